"""Tests for the standard task catalogue (content file and its Django-free loader)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from teamwerk.catalogue.content import (
    DEFAULT_PATH,
    SEED_004_BULLETS,
    Catalogue,
    CatalogueError,
    Task,
    Text,
    default_catalogue,
    load_catalogue,
    loads_catalogue,
    seed_004_group,
)

DOMAIN_SEED_REFS = {
    "POL": "A.1",
    "SUP": "A.2",
    "PED": "A.3",
    "TEC": "A.4",
    "PRO": "B",
    "COO": "C",
}
PROFILE_CODES = {
    "PED_COORD",
    "TEC_COORD",
    "DIGI_LEAD",
    "INNO_LEAD",
    "ICOACH",
    "APP_MGR",
    "ISP_OFFICER",
    "INFO_MGR",
    "NET_ADMIN",
    "HELPDESK",
    "WEB_MGR",
}
FLAGS = ("core", "strategic", "technical", "needs_pedagogical_qualification", "outsourceable")


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


def _text_pairs(task: Task) -> list[tuple[str, Text]]:
    return [("title", task.title), ("description", task.description)]


# --- the bundled content -----------------------------------------------------------------


def test_default_path_is_the_bundled_file() -> None:
    assert DEFAULT_PATH.is_file()
    assert DEFAULT_PATH.parts[-2:] == ("data", "catalogue.toml")


def test_load_by_explicit_path_equals_default(catalogue: Catalogue) -> None:
    assert load_catalogue(str(DEFAULT_PATH)) == catalogue
    assert default_catalogue() == catalogue


def test_version_is_a_positive_integer(catalogue: Catalogue) -> None:
    assert isinstance(catalogue.version, int)
    assert catalogue.version >= 1


def test_version_is_the_first_key_with_a_changelog() -> None:
    lines = DEFAULT_PATH.read_text(encoding="utf-8").splitlines()
    first_key = next(line for line in lines if line.strip() and not line.startswith("#"))
    assert first_key.startswith("version = ")
    assert any("changelog" in line.lower() for line in lines if line.startswith("#"))


def test_at_least_45_tasks(catalogue: Catalogue) -> None:
    assert len(catalogue.tasks) >= 45


def test_exactly_six_domains_in_order(catalogue: Catalogue) -> None:
    assert [d.code for d in catalogue.domains] == list(DOMAIN_SEED_REFS)
    assert [d.order for d in catalogue.domains] == [1, 2, 3, 4, 5, 6]
    assert {d.code: d.seed_ref for d in catalogue.domains} == DOMAIN_SEED_REFS


@pytest.mark.parametrize("domain_code", list(DOMAIN_SEED_REFS))
def test_every_domain_has_tasks(catalogue: Catalogue, domain_code: str) -> None:
    assert catalogue.tasks_in(domain_code)


def test_domains_have_bilingual_texts(catalogue: Catalogue) -> None:
    for domain in catalogue.domains:
        for text in (domain.name, domain.description):
            assert text.nl.strip() and text.en.strip()
            assert text.nl != text.en or text is domain.name


def test_seed_004_has_32_bullets_in_the_expected_groups() -> None:
    per_group = Counter(seed_004_group(ref) for ref in SEED_004_BULLETS)
    assert per_group == {"A.1": 6, "A.2": 6, "A.3": 4, "A.4": 7, "B": 4, "C": 5}
    assert len(SEED_004_BULLETS) == 32
    assert all(text.strip() for text in SEED_004_BULLETS.values())


@pytest.mark.parametrize("ref", list(SEED_004_BULLETS))
def test_seed_004_bullet_is_traced_to_a_task_of_its_domain(catalogue: Catalogue, ref: str) -> None:
    tasks = catalogue.tasks_for_source(ref)
    assert tasks, f"{ref} ({SEED_004_BULLETS[ref]}) is not traced to any task"
    groups = {catalogue.domain(task.domain).seed_ref for task in tasks}
    assert seed_004_group(ref) in groups


def test_no_seed_004_bullet_untraced(catalogue: Catalogue) -> None:
    assert catalogue.untraced_seed_004_bullets() == ()


def test_other_seeds_are_used(catalogue: Catalogue) -> None:
    sources = {s for task in catalogue.tasks for s in task.sources}
    for prefix in ("000:", "002:", "teamwerk"):
        assert any(s.startswith(prefix) for s in sources), prefix


def test_digitalisation_lead_tasks_from_seed_000(catalogue: Catalogue) -> None:
    seed_000 = [t for t in catalogue.tasks if any(s.startswith("000:") for s in t.sources)]
    assert len(seed_000) >= 10
    assert sum("DIGI_LEAD" in t.profiles for t in seed_000) >= 8


@pytest.mark.parametrize(
    "keyword",
    [
        "Chromebooks",
        "digital didactics",
        "lesson material",
        "pupil monitoring",
        "timetabling",
        "website",
        "robotics",
        "office staff",
        "innovation",
    ],
)
def test_seed_000_topics_are_covered(catalogue: Catalogue, keyword: str) -> None:
    assert any(
        keyword.lower() in f"{t.title.en} {t.description.en}".lower()
        for t in catalogue.tasks
        if any(s.startswith("000:") for s in t.sources)
    )


@pytest.mark.parametrize("keyword", ["AVG", "verwerkersovereenkomst", "datalek", "bewust"])
def test_privacy_topics_from_seed_002_are_covered(catalogue: Catalogue, keyword: str) -> None:
    assert any(
        keyword.lower() in f"{t.title.nl} {t.description.nl}".lower()
        for t in catalogue.tasks
        if "002:ibp" in t.sources
    )


def test_every_task_has_nl_and_en_title_and_description(catalogue: Catalogue) -> None:
    for task in catalogue.tasks:
        for field, text in _text_pairs(task):
            assert text.nl.strip(), f"{task.code} {field} nl"
            assert text.en.strip(), f"{task.code} {field} en"
            assert text.nl != text.en, f"{task.code} {field} is not translated"


def test_descriptions_are_one_or_two_sentences(catalogue: Catalogue) -> None:
    for task in catalogue.tasks:
        for language in ("nl", "en"):
            text = task.description.get(language)
            sentences = [s for s in re.split(r"(?<=[.!?])\s+", text) if s]
            assert 1 <= len(sentences) <= 2, f"{task.code} {language}: {text}"
            assert text.endswith("."), f"{task.code} {language}"


def test_flags_are_bools(catalogue: Catalogue) -> None:
    for task in catalogue.tasks:
        for flag in FLAGS:
            assert type(getattr(task, flag)) is bool, f"{task.code}.{flag}"


def test_hours_are_positive_and_ordered(catalogue: Catalogue) -> None:
    for task in catalogue.tasks:
        low, high = task.usual_hours
        assert isinstance(low, int) and isinstance(high, int)
        assert 0 < low <= high, task.code
        assert (task.hours_min, task.hours_max) == (low, high)


def test_levels_are_school_or_group_and_both_occur(catalogue: Catalogue) -> None:
    levels = Counter(task.usual_level for task in catalogue.tasks)
    assert set(levels) == {"school", "group"}


def test_a3_tasks_need_pedagogical_qualification(catalogue: Catalogue) -> None:
    a3_tasks = [
        task
        for task in catalogue.tasks
        if any(seed_004_group(s) == "A.3" for s in task.sources if s.startswith("004:"))
    ]
    assert len(a3_tasks) >= 4
    for task in a3_tasks:
        assert task.domain == "PED", task.code
        assert task.needs_pedagogical_qualification, task.code


def test_only_teaching_work_needs_pedagogical_qualification(catalogue: Catalogue) -> None:
    for task in catalogue.tasks:
        if task.needs_pedagogical_qualification:
            assert task.domain == "PED", task.code
            assert not task.technical, task.code


def test_strategic_tasks_are_not_outsourceable(catalogue: Catalogue) -> None:
    for task in catalogue.tasks:
        assert not (task.strategic and task.outsourceable), task.code


def test_flag_mix_is_meaningful(catalogue: Catalogue) -> None:
    for flag in FLAGS:
        values = {getattr(task, flag) for task in catalogue.tasks}
        assert values == {True, False}, flag


def test_task_codes_unique_and_well_formed(catalogue: Catalogue) -> None:
    codes = [task.code for task in catalogue.tasks]
    assert len(codes) == len(set(codes))
    for task in catalogue.tasks:
        assert re.fullmatch(r"[A-Z]{3}-\d{2}", task.code), task.code
        assert task.code.split("-")[0] == task.domain


def test_task_codes_are_numbered_without_gaps_per_domain(catalogue: Catalogue) -> None:
    for domain in catalogue.domains:
        numbers = [int(t.code.split("-")[1]) for t in catalogue.tasks_in(domain.code)]
        assert numbers == list(range(1, len(numbers) + 1)), domain.code


def test_task_titles_unique(catalogue: Catalogue) -> None:
    for language in ("nl", "en"):
        titles = [task.title.get(language) for task in catalogue.tasks]
        assert len(titles) == len(set(titles)), language


def test_sources_are_well_formed(catalogue: Catalogue) -> None:
    for task in catalogue.tasks:
        assert task.sources, task.code
        for source in task.sources:
            assert re.fullmatch(r"\d{3}:[A-Za-z0-9._-]+|teamwerk", source), source
            if source.startswith("004:"):
                assert source in SEED_004_BULLETS


def test_exactly_the_eleven_profiles(catalogue: Catalogue) -> None:
    codes = [profile.code for profile in catalogue.profiles]
    assert len(codes) == len(set(codes)) == 11
    assert set(codes) == PROFILE_CODES


@pytest.mark.parametrize("profile_code", sorted(PROFILE_CODES))
def test_every_profile_used_and_described(catalogue: Catalogue, profile_code: str) -> None:
    profile = catalogue.profile(profile_code)
    assert catalogue.tasks_for_profile(profile_code), f"{profile_code} holds no task"
    assert profile.name.nl and profile.name.en
    assert profile.description.nl and profile.description.en
    assert len(profile.competences) >= 3
    for competence in profile.competences:
        assert competence.nl.strip() and competence.en.strip()


def test_seed_000_leads_have_the_richest_competences(catalogue: Catalogue) -> None:
    assert len(catalogue.profile("DIGI_LEAD").competences) >= 8
    assert len(catalogue.profile("INNO_LEAD").competences) >= 6


def test_digitalisation_lead_has_what_seed_000_asks_of_that_role(catalogue: Catalogue) -> None:
    """Seed 000 asks the digitalisation lead too to carry an innovation, handle resistance,
    work together in person and digitally, and think out of the box."""
    texts = " ".join(c.en.lower() for c in catalogue.profile("DIGI_LEAD").competences)
    for words in ("innovation", "push back", "digital channels", "unusual solutions"):
        assert words in texts, words


def test_task_profiles_known(catalogue: Catalogue) -> None:
    for task in catalogue.tasks:
        assert task.profiles, task.code
        assert set(task.profiles) <= PROFILE_CODES, task.code


def test_lookups(catalogue: Catalogue) -> None:
    assert catalogue.task("POL-01").domain == "POL"
    assert catalogue.domain("PED").seed_ref == "A.3"
    with pytest.raises(KeyError):
        catalogue.task("XXX-99")
    assert Text(nl="Hallo", en="Hello").get("en-GB") == "Hello"
    assert Text(nl="Hallo", en="Hello").get("nl-BE") == "Hallo"


def test_catalogue_is_immutable(catalogue: Catalogue) -> None:
    task = catalogue.tasks[0]
    with pytest.raises(AttributeError):
        task.code = "POL-99"  # type: ignore[misc]
    assert isinstance(catalogue.tasks, tuple)
    assert isinstance(task.profiles, tuple)


# --- the validator -----------------------------------------------------------------------

DOMAIN = """
[[domains]]
code = "POL"
order = 1
seed_ref = "A.1"
name = { nl = "Beleid", en = "Policy" }
description = { nl = "Over beleid.", en = "About policy." }
"""

PROFILE = """
[[profiles]]
code = "PED_COORD"
name = { nl = "Pedagogisch ICT-coördinator", en = "Pedagogical ICT coordinator" }
description = { nl = "Stuurt aan.", en = "Leads." }
competences = [{ nl = "Coacht", en = "Coaches" }]
"""

TASK = """
[[tasks]]
code = "POL-01"
domain = "POL"
title = { nl = "Visie", en = "Vision" }
description = { nl = "Vertrekt van de visie.", en = "Starts from the vision." }
core = true
strategic = true
technical = false
needs_pedagogical_qualification = false
outsourceable = false
usual_level = "school"
usual_hours = [8, 20]
profiles = ["PED_COORD"]
sources = ["004:A.1.1"]
"""


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "catalogue.toml"
    path.write_text(body, encoding="utf-8")
    return path


def _minimal(task: str = TASK, domain: str = DOMAIN, profile: str = PROFILE) -> str:
    return "version = 1\n" + domain + profile + task


def _errors(tmp_path: Path, body: str) -> CatalogueError:
    with pytest.raises(CatalogueError) as info:
        load_catalogue(_write(tmp_path, body))
    return info.value


def test_minimal_catalogue_loads(tmp_path: Path) -> None:
    catalogue = load_catalogue(_write(tmp_path, _minimal()))
    assert catalogue.version == 1
    assert [t.code for t in catalogue.tasks] == ["POL-01"]
    assert catalogue.tasks[0].usual_hours == (8, 20)
    assert catalogue.profiles[0].competences == (Text(nl="Coacht", en="Coaches"),)


def test_loads_catalogue_from_string() -> None:
    assert loads_catalogue(_minimal()).tasks[0].title.en == "Vision"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('domain = "POL"', 'domain = "XYZ"', "unknown domain 'XYZ'"),
        (
            'profiles = ["PED_COORD"]',
            'profiles = ["PED_COORD", "WIZARD"]',
            "unknown profile 'WIZARD'",
        ),
        ('en = "Vision" }', 'en = "" }', "'title': 'en' text must be a non-empty string"),
        (
            'title = { nl = "Visie", en = "Vision" }',
            'title = { nl = "Visie" }',
            "'title': missing 'en' text",
        ),
        (
            'description = { nl = "Vertrekt van de visie.", en = "Starts from the vision." }',
            'description = { en = "Starts from the vision." }',
            "'description': missing 'nl' text",
        ),
        ("usual_hours = [8, 20]", "usual_hours = [30, 20]", "minimum 30 is more than maximum 20"),
        ("usual_hours = [8, 20]", "usual_hours = [0, 20]", "minimum must be more than 0"),
        ("usual_hours = [8, 20]", "usual_hours = [8]", "usual_hours must be [min, max]"),
        ("usual_hours = [8, 20]", "usual_hours = [8, 5000]", "exceeds a full-time year"),
        ('usual_level = "school"', 'usual_level = "region"', "usual_level 'region'"),
        ("core = true", 'core = "yes"', "'core' must be true or false"),
        ("technical = false\n", "", "missing 'technical'"),
        ('code = "POL-01"', 'code = "POL-1"', "code 'POL-1' must look like 'POL-01'"),
        ('code = "POL-01"', 'code = "SUP-01"', "does not start with its domain 'POL'"),
        (
            'sources = ["004:A.1.1"]',
            'sources = ["004:A.1.9"]',
            "unknown seed-004 bullet '004:A.1.9'",
        ),
        ('sources = ["004:A.1.1"]', 'sources = ["somewhere"]', "invalid entry 'somewhere'"),
        ('sources = ["004:A.1.1"]', "sources = []", "'sources' must be a non-empty list"),
        (
            'profiles = ["PED_COORD"]',
            'profiles = ["PED_COORD", "PED_COORD"]',
            "names 'PED_COORD' 2 times",
        ),
        (
            'sources = ["004:A.1.1"]',
            'sources = ["004:A.3.1"]',
            "needs_pedagogical_qualification must be true",
        ),
        ("outsourceable = false", "outsourceable = true", "strategic task cannot be outsourceable"),
        ("core = true", "core = true\nstratgic = true", "unknown key 'stratgic'"),
        (
            'title = { nl = "Visie", en = "Vision" }',
            'title = { nl = "Visie", en = "' + "x" * 121 + '" }',
            "'title' 'en' text is longer than 120 characters",
        ),
    ],
)
def test_validator_rejects_broken_task(tmp_path: Path, old: str, new: str, expected: str) -> None:
    assert old in TASK
    error = _errors(tmp_path, _minimal(task=TASK.replace(old, new, 1)))
    assert expected in str(error), str(error)
    assert "POL-01" in str(error) or "SUP-01" in str(error) or "tasks[0]" in str(error)


def test_validator_rejects_duplicate_task_code(tmp_path: Path) -> None:
    second = TASK.replace(
        'title = { nl = "Visie", en = "Vision" }', 'title = { nl = "Andere", en = "Other" }'
    )
    error = _errors(tmp_path, _minimal(task=TASK + second))
    assert "duplicate task code 'POL-01'" in str(error)


def test_validator_rejects_duplicate_domain_and_profile(tmp_path: Path) -> None:
    other_domain = DOMAIN.replace("order = 1", "order = 2").replace('"A.1"', '"A.2"')
    error = _errors(tmp_path, _minimal(domain=DOMAIN + other_domain, profile=PROFILE + PROFILE))
    message = str(error)
    assert "duplicate domain code 'POL'" in message
    assert "duplicate profile code 'PED_COORD'" in message


def test_validator_rejects_duplicate_domain_order(tmp_path: Path) -> None:
    second = DOMAIN.replace('"POL"', '"SUP"').replace('"A.1"', '"A.2"')
    task2 = TASK.replace('"POL-01"', '"SUP-01"').replace('"POL"', '"SUP"')
    task2 = task2.replace('"Visie"', '"Steun"')
    error = _errors(tmp_path, _minimal(domain=DOMAIN + second, task=TASK + task2))
    assert "duplicate domain order 1" in str(error)


def test_validator_rejects_domain_without_tasks(tmp_path: Path) -> None:
    extra = DOMAIN.replace('"POL"', '"SUP"').replace("order = 1", "order = 2")
    extra = extra.replace('"A.1"', '"A.2"')
    error = _errors(tmp_path, _minimal(domain=DOMAIN + extra))
    assert "domain SUP has no tasks" in str(error)


def test_validator_rejects_unused_profile(tmp_path: Path) -> None:
    extra = PROFILE.replace('"PED_COORD"', '"HELPDESK"')
    error = _errors(tmp_path, _minimal(profile=PROFILE + extra))
    assert "profile HELPDESK is not used by any task" in str(error)


def test_validator_rejects_bad_domain_and_profile_fields(tmp_path: Path) -> None:
    domain = DOMAIN.replace('en = "Policy"', 'fr = "Politique"').replace("order = 1", 'order = "1"')
    profile = PROFILE.replace(
        'competences = [{ nl = "Coacht", en = "Coaches" }]', "competences = []"
    )
    message = str(_errors(tmp_path, _minimal(domain=domain, profile=profile)))
    assert "domain POL: 'name': unknown language 'fr'" in message
    assert "domain POL: 'name': missing 'en' text" in message
    assert "domain POL: 'order' must be an integer" in message
    assert "profile PED_COORD: 'competences' must be a non-empty list" in message


def test_validator_rejects_bad_codes(tmp_path: Path) -> None:
    domain = DOMAIN.replace('code = "POL"', 'code = "Policy"')
    profile = PROFILE.replace('code = "PED_COORD"', 'code = "ped-coord"')
    message = str(_errors(tmp_path, _minimal(domain=domain, profile=profile)))
    assert "code 'Policy' must be three capital letters" in message
    assert "code 'ped-coord' must be capital letters and underscores" in message


def test_validator_rejects_bad_version_and_missing_sections(tmp_path: Path) -> None:
    message = str(_errors(tmp_path, 'version = "one"\nextra = 1\n'))
    assert "'version' must be an integer" in message
    assert "unknown key 'extra'" in message
    for section in ("domains", "profiles", "tasks"):
        assert f"missing [[{section}]] tables" in message
    assert "'version' must be 1 or higher" in str(
        _errors(tmp_path, _minimal().replace("version = 1", "version = 0"))
    )
    assert "missing 'version'" in str(_errors(tmp_path, _minimal().replace("version = 1", "")))


def test_validator_reports_invalid_toml(tmp_path: Path) -> None:
    error = _errors(tmp_path, "version = 1\n[[tasks]\n")
    assert "invalid TOML" in str(error)
    assert str(tmp_path / "catalogue.toml") in str(error)


def test_missing_file_is_a_catalogue_error(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError, match="cannot read the file"):
        load_catalogue(tmp_path / "nope.toml")


def test_validator_lists_every_problem_at_once(tmp_path: Path) -> None:
    broken = (
        TASK.replace('domain = "POL"', 'domain = "XYZ"')
        .replace('usual_level = "school"', 'usual_level = "land"')
        .replace("usual_hours = [8, 20]", "usual_hours = [9, 3]")
    )
    error = _errors(tmp_path, _minimal(task=broken))
    assert len(error.problems) >= 3
    message = str(error)
    assert f"{len(error.problems)} problems" in message
    for expected in ("unknown domain 'XYZ'", "usual_level 'land'", "minimum 9 is more"):
        assert expected in message


def test_one_broken_task_does_not_cascade(tmp_path: Path) -> None:
    broken = TASK.replace("usual_hours = [8, 20]", "usual_hours = [20, 8]")
    error = _errors(tmp_path, _minimal(task=broken))
    assert len(error.problems) == 1, error.problems


def test_catalogue_error_is_a_value_error() -> None:
    assert issubclass(CatalogueError, ValueError)
    error = CatalogueError("x.toml", ["a", "b"])
    assert error.problems == ["a", "b"]
    assert str(error) == "Task catalogue x.toml has 2 problems:\n  - a\n  - b"
