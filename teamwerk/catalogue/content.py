"""The standard task catalogue of ICT coordination: loader and validator.

The catalogue lives in ``data/catalogue.toml`` (domains, role profiles, tasks, each with
Dutch and English texts). This module reads it with :mod:`tomllib`, checks it thoroughly
and returns immutable dataclasses. It imports nothing from Django, so it can be used in
migrations, management commands, the allocation engine and plain tests alike.

Every problem found is collected; :class:`CatalogueError` lists them all at once, so an
editor of the TOML file can fix everything in one go.
"""

from __future__ import annotations

import functools
import os
import re
import tomllib
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "DEFAULT_PATH",
    "LANGUAGES",
    "LEVELS",
    "MAX_HOURS_PER_YEAR",
    "MAX_NAME_LENGTH",
    "SEED_004_BULLETS",
    "Catalogue",
    "CatalogueError",
    "Domain",
    "Profile",
    "Task",
    "Text",
    "default_catalogue",
    "load_catalogue",
    "loads_catalogue",
    "seed_004_group",
]

DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "catalogue.toml"

LANGUAGES = ("nl", "en")
LEVELS = ("school", "group")
# A full-time Dutch teaching year (normjaartaak); no single task can exceed it.
MAX_HOURS_PER_YEAR = 1659
# Names and titles are shown in lists and table headers; keep them short.
MAX_NAME_LENGTH = 120

DOMAIN_CODE_RE = re.compile(r"^[A-Z]{3}$")
PROFILE_CODE_RE = re.compile(r"^[A-Z](?:[A-Z_]{0,18}[A-Z])?$")  # at most 20 characters
TASK_CODE_RE = re.compile(r"^(?P<domain>[A-Z]{3})-\d{2}$")
# "004:A.1.1", "000:website", "002:ibp", "001:stap7" or the product's own "teamwerk".
SOURCE_RE = re.compile(r"^(?:\d{3}:[A-Za-z0-9][A-Za-z0-9._-]*|teamwerk)$")

# Every bullet of seed 004 (the model job description of an ICT coordinator), by group:
# A.1 policy, A.2 support, A.3 pedagogical-didactic, A.4 technical, B professional
# development, C consultation and cooperation. Paraphrased in our own words.
SEED_004_BULLETS: dict[str, str] = {
    "004:A.1.1": "Neemt de gedeelde visie op goed ICT-beleid als uitgangspunt.",
    "004:A.1.2": "Werkt eraan dat ICT overal in de school vanzelfsprekend gebruikt wordt.",
    "004:A.1.3": "Adviseert over het aankopen en invoeren van digitale middelen.",
    "004:A.1.4": "Stelt samen met de directeur plannen op voor korte en lange termijn.",
    "004:A.1.5": "Verdeelt het ICT-budget over de aankopen en volgt die op.",
    "004:A.1.6": "Ziet toe op veilig en verantwoord gebruik van ICT.",
    "004:A.2.1": "Helpt bij het kiezen van een geschikt digitaal middel.",
    "004:A.2.2": "Moedigt het gebruik van ICT aan en ondersteunt het.",
    "004:A.2.3": "Schuift aan bij overleg en werkgroepen waar ICT aan bod komt.",
    "004:A.2.4": "Houdt het team op de hoogte van ICT op school.",
    "004:A.2.5": "Zet ICT-opleidingen op.",
    "004:A.2.6": "Sluit aan bij wat elk personeelslid al kan.",
    "004:A.3.1": "Bereidt het ICT-beleidsplan mee voor en werkt het uit.",
    "004:A.3.2": "Volgt het ICT-beleid op en stuurt het bij als dat nodig is.",
    "004:A.3.3": "Voert ICT samen met leraren vernieuwend en didactisch in.",
    "004:A.3.4": "Beoordeelt educatieve digitale middelen samen met leraren.",
    "004:A.4.1": "Houdt een inventaris van de digitale middelen bij.",
    "004:A.4.2": "Zorgt voor een degelijk licentiebeleid.",
    "004:A.4.3": "Onderhoudt hardware en netwerken.",
    "004:A.4.4": "Verzorgt de technische helpdesk op de eerste lijn.",
    "004:A.4.5": "Beheert digitale middelen, ook administratieve software en leeromgeving.",
    "004:A.4.6": "Beheert de websites en sociale media van de school.",
    "004:A.4.7": "Regelt wie welke accounts en toegang krijgt.",
    "004:B.1": "Blijft op de hoogte van ICT-ontwikkelingen in het onderwijs.",
    "004:B.2": "Brengt vernieuwing binnen op basis van gevolgde opleidingen.",
    "004:B.3": "Verbreedt en deelt expertise volgens de gemaakte afspraken.",
    "004:B.4": "Denkt na over de eigen aanpak en past die aan.",
    "004:C.1": "Werkt constructief samen met de directie.",
    "004:C.2": "Stemt af met collega's in vergaderingen en werkgroepen.",
    "004:C.3": "Werkt samen met gemeentelijke diensten zoals de ICT- en technische dienst.",
    "004:C.4": "Stemt af met de DPO (functionaris gegevensbescherming) van de gemeente.",
    "004:C.5": "Overlegt geregeld met de andere ICT-coördinatoren binnen de scholengemeenschap.",
}

# Seed-004 group whose tasks need proof of pedagogical qualification.
PEDAGOGICAL_SEED_GROUP = "A.3"

_TOP_KEYS = frozenset({"version", "domains", "profiles", "tasks"})
_DOMAIN_KEYS = frozenset({"code", "order", "seed_ref", "name", "description"})
_PROFILE_KEYS = frozenset({"code", "name", "description", "competences"})
_TASK_FLAGS = (
    "core",
    "strategic",
    "technical",
    "needs_pedagogical_qualification",
    "outsourceable",
)
_TASK_KEYS = frozenset(
    {
        "code",
        "domain",
        "title",
        "description",
        *_TASK_FLAGS,
        "usual_level",
        "usual_hours",
        "profiles",
        "sources",
    }
)


def seed_004_group(ref: str) -> str:
    """Return the seed-004 task group of a bullet ref: "004:A.1.3" -> "A.1", "004:B.2" -> "B"."""
    body = ref.removeprefix("004:")
    return body.rsplit(".", 1)[0]


class CatalogueError(ValueError):
    """The catalogue file is missing, unreadable or invalid; ``problems`` lists why."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = list(problems)
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        lines = "\n".join(f"  - {problem}" for problem in self.problems)
        super().__init__(f"Task catalogue {source} has {count} {noun}:\n{lines}")


@dataclass(frozen=True, slots=True)
class Text:
    """A text in every interface language."""

    nl: str
    en: str

    def get(self, language: str) -> str:
        """The text in ``language`` ("nl", "en", or a variant like "nl-BE"); Dutch otherwise."""
        return self.en if language.lower().startswith("en") else self.nl


@dataclass(frozen=True, slots=True)
class Domain:
    """A group of tasks, following the task groups of the model job description."""

    code: str
    order: int
    seed_ref: str
    name: Text
    description: Text


@dataclass(frozen=True, slots=True)
class Profile:
    """A role that can hold tasks (pedagogical ICT coordinator, helpdesk, ...)."""

    code: str
    name: Text
    description: Text
    competences: tuple[Text, ...]


@dataclass(frozen=True, slots=True)
class Task:
    """One standard task of ICT coordination."""

    code: str
    domain: str
    title: Text
    description: Text
    core: bool
    strategic: bool
    technical: bool
    needs_pedagogical_qualification: bool
    outsourceable: bool
    usual_level: str
    usual_hours: tuple[int, int]
    profiles: tuple[str, ...]
    sources: tuple[str, ...]

    @property
    def hours_min(self) -> int:
        return self.usual_hours[0]

    @property
    def hours_max(self) -> int:
        return self.usual_hours[1]


@dataclass(frozen=True, slots=True)
class Catalogue:
    """The validated catalogue. Domains are sorted by ``order``; tasks keep file order."""

    version: int
    domains: tuple[Domain, ...]
    profiles: tuple[Profile, ...]
    tasks: tuple[Task, ...]

    def domain(self, code: str) -> Domain:
        for domain in self.domains:
            if domain.code == code:
                return domain
        raise KeyError(code)

    def profile(self, code: str) -> Profile:
        for profile in self.profiles:
            if profile.code == code:
                return profile
        raise KeyError(code)

    def task(self, code: str) -> Task:
        for task in self.tasks:
            if task.code == code:
                return task
        raise KeyError(code)

    def tasks_in(self, domain_code: str) -> tuple[Task, ...]:
        return tuple(task for task in self.tasks if task.domain == domain_code)

    def tasks_for_profile(self, profile_code: str) -> tuple[Task, ...]:
        return tuple(task for task in self.tasks if profile_code in task.profiles)

    def tasks_for_source(self, ref: str) -> tuple[Task, ...]:
        return tuple(task for task in self.tasks if ref in task.sources)

    def untraced_seed_004_bullets(self) -> tuple[str, ...]:
        """Seed-004 bullets that no task names in its ``sources``."""
        cited = {source for task in self.tasks for source in task.sources}
        return tuple(ref for ref in SEED_004_BULLETS if ref not in cited)


def load_catalogue(path: str | os.PathLike[str] | None = None) -> Catalogue:
    """Read, validate and return the catalogue at ``path`` (default: the bundled file).

    Raises :class:`CatalogueError` listing every problem found.
    """
    file = Path(path) if path is not None else DEFAULT_PATH
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogueError(str(file), [f"cannot read the file: {exc}"]) from exc
    return loads_catalogue(text, source=str(file))


def loads_catalogue(text: str, source: str = "<string>") -> Catalogue:
    """Parse and validate catalogue TOML given as a string."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError(source, [f"invalid TOML: {exc}"]) from exc
    return _Validator(source).build(data)


@functools.cache
def default_catalogue() -> Catalogue:
    """The bundled catalogue, loaded once per process (it is immutable)."""
    return load_catalogue()


class _Validator:
    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[str] = []

    def problem(self, message: str) -> None:
        self.problems.append(message)

    # -- generic field checks; each returns None when the value is unusable -------------

    def unknown_keys(self, where: str, table: Mapping[str, Any], allowed: frozenset[str]) -> None:
        for key in sorted(set(table) - allowed):
            self.problem(f"{where}: unknown key {key!r} (allowed: {', '.join(sorted(allowed))})")

    def required(self, where: str, table: Mapping[str, Any], key: str) -> Any:
        if key not in table:
            self.problem(f"{where}: missing {key!r}")
            return None
        return table[key]

    def string(self, where: str, table: Mapping[str, Any], key: str) -> str | None:
        value = self.required(where, table, key)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            self.problem(f"{where}: {key!r} must be a non-empty string, got {value!r}")
            return None
        return value

    def integer(self, where: str, table: Mapping[str, Any], key: str) -> int | None:
        value = self.required(where, table, key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(f"{where}: {key!r} must be an integer, got {value!r}")
            return None
        return value

    def boolean(self, where: str, table: Mapping[str, Any], key: str) -> bool | None:
        value = self.required(where, table, key)
        if value is None:
            return None
        if not isinstance(value, bool):
            self.problem(f"{where}: {key!r} must be true or false, got {value!r}")
            return None
        return value

    def text_value(self, where: str, value: Any) -> Text | None:
        if not isinstance(value, dict):
            self.problem(f"{where}: must be a table with 'nl' and 'en' texts, got {value!r}")
            return None
        ok = True
        for key in sorted(set(value) - set(LANGUAGES)):
            self.problem(f"{where}: unknown language {key!r} (allowed: nl, en)")
            ok = False
        for language in LANGUAGES:
            item = value.get(language)
            if item is None:
                self.problem(f"{where}: missing {language!r} text")
                ok = False
            elif not isinstance(item, str) or not item.strip():
                self.problem(f"{where}: {language!r} text must be a non-empty string")
                ok = False
            elif item != item.strip():
                self.problem(f"{where}: {language!r} text has leading or trailing whitespace")
                ok = False
        return Text(nl=value["nl"], en=value["en"]) if ok else None

    def text(
        self, where: str, table: Mapping[str, Any], key: str, max_length: int | None = None
    ) -> Text | None:
        value = self.required(where, table, key)
        if value is None:
            return None
        text = self.text_value(f"{where}: {key!r}", value)
        if text is not None and max_length is not None:
            for language in LANGUAGES:
                if len(text.get(language)) > max_length:
                    self.problem(
                        f"{where}: {key!r} {language!r} text is longer than {max_length} characters"
                    )
                    return None
        return text

    def code_list(
        self, where: str, table: Mapping[str, Any], key: str, pattern: re.Pattern[str]
    ) -> tuple[str, ...] | None:
        value = self.required(where, table, key)
        if value is None:
            return None
        if not isinstance(value, list) or not value:
            self.problem(f"{where}: {key!r} must be a non-empty list, got {value!r}")
            return None
        ok = True
        for item in value:
            if not isinstance(item, str) or not pattern.match(item):
                self.problem(f"{where}: {key!r} has an invalid entry {item!r}")
                ok = False
        for item, count in Counter(i for i in value if isinstance(i, str)).items():
            if count > 1:
                self.problem(f"{where}: {key!r} names {item!r} {count} times")
                ok = False
        return tuple(value) if ok else None

    def table_list(self, data: Mapping[str, Any], key: str) -> list[Any]:
        value = data.get(key)
        if value is None:
            self.problem(f"missing [[{key}]] tables")
            return []
        if not isinstance(value, list) or not value:
            self.problem(f"{key!r} must be a non-empty list of [[{key}]] tables")
            return []
        return value

    def duplicates(self, kind: str, codes: list[str]) -> None:
        for code, count in Counter(codes).items():
            if count > 1:
                self.problem(f"duplicate {kind} code {code!r} ({count} times)")

    @staticmethod
    def label(kind: str, index: int, table: Any) -> str:
        code = table.get("code") if isinstance(table, dict) else None
        return f"{kind} {code}" if isinstance(code, str) and code else f"{kind}s[{index}]"

    # -- sections ------------------------------------------------------------------------

    def domains(self, raw: list[Any]) -> list[Domain]:
        result: list[Domain] = []
        for index, table in enumerate(raw):
            where = self.label("domain", index, table)
            if not isinstance(table, dict):
                self.problem(f"{where}: must be a table")
                continue
            self.unknown_keys(where, table, _DOMAIN_KEYS)
            code = self.string(where, table, "code")
            if code is not None and not DOMAIN_CODE_RE.match(code):
                self.problem(f"{where}: code {code!r} must be three capital letters, like 'POL'")
                code = None
            order = self.integer(where, table, "order")
            seed_ref = self.string(where, table, "seed_ref")
            name = self.text(where, table, "name", MAX_NAME_LENGTH)
            description = self.text(where, table, "description")
            if None in (code, order, seed_ref, name, description):
                continue
            result.append(Domain(code, order, seed_ref, name, description))
        self.duplicates("domain", [d.code for d in result])
        for order, count in Counter(d.order for d in result).items():
            if count > 1:
                self.problem(f"duplicate domain order {order} ({count} times)")
        for seed_ref, count in Counter(d.seed_ref for d in result).items():
            if count > 1:
                self.problem(f"duplicate domain seed_ref {seed_ref!r} ({count} times)")
        return sorted(result, key=lambda d: d.order)

    def profiles(self, raw: list[Any]) -> list[Profile]:
        result: list[Profile] = []
        for index, table in enumerate(raw):
            where = self.label("profile", index, table)
            if not isinstance(table, dict):
                self.problem(f"{where}: must be a table")
                continue
            self.unknown_keys(where, table, _PROFILE_KEYS)
            code = self.string(where, table, "code")
            if code is not None and not PROFILE_CODE_RE.match(code):
                self.problem(
                    f"{where}: code {code!r} must be capital letters and underscores "
                    "(at most 20), like 'PED_COORD'"
                )
                code = None
            name = self.text(where, table, "name", MAX_NAME_LENGTH)
            description = self.text(where, table, "description")
            competences = self.competences(where, table)
            if None in (code, name, description, competences):
                continue
            result.append(Profile(code, name, description, competences))
        self.duplicates("profile", [p.code for p in result])
        return result

    def competences(self, where: str, table: Mapping[str, Any]) -> tuple[Text, ...] | None:
        value = self.required(where, table, "competences")
        if value is None:
            return None
        if not isinstance(value, list) or not value:
            self.problem(f"{where}: 'competences' must be a non-empty list of {{nl, en}} texts")
            return None
        texts = [self.text_value(f"{where}: competence {i + 1}", v) for i, v in enumerate(value)]
        if any(t is None for t in texts):
            return None
        return tuple(t for t in texts if t is not None)

    def tasks(self, raw: list[Any], domain_codes: set[str], profile_codes: set[str]) -> list[Task]:
        result: list[Task] = []
        for index, table in enumerate(raw):
            where = self.label("task", index, table)
            if not isinstance(table, dict):
                self.problem(f"{where}: must be a table")
                continue
            task = self.task(where, table, domain_codes, profile_codes)
            if task is not None:
                result.append(task)
        self.duplicates("task", [t.code for t in result])
        for title, count in Counter(t.title.nl.casefold() for t in result).items():
            if count > 1:
                self.problem(f"duplicate task title {title!r} ({count} times)")
        return result

    def task(
        self,
        where: str,
        table: Mapping[str, Any],
        domain_codes: set[str],
        profile_codes: set[str],
    ) -> Task | None:
        before = len(self.problems)
        self.unknown_keys(where, table, _TASK_KEYS)

        code = self.string(where, table, "code")
        domain = self.string(where, table, "domain")
        if domain is not None and domain not in domain_codes:
            self.problem(f"{where}: unknown domain {domain!r}")
        if code is not None:
            match = TASK_CODE_RE.match(code)
            if not match:
                self.problem(f"{where}: code {code!r} must look like 'POL-01'")
            elif domain is not None and match["domain"] != domain:
                self.problem(f"{where}: code {code!r} does not start with its domain {domain!r}")

        title = self.text(where, table, "title", MAX_NAME_LENGTH)
        description = self.text(where, table, "description")
        flags = {flag: self.boolean(where, table, flag) for flag in _TASK_FLAGS}

        level = self.string(where, table, "usual_level")
        if level is not None and level not in LEVELS:
            self.problem(f"{where}: usual_level {level!r} must be 'school' or 'group'")

        hours = self.hours(where, table)

        profiles = self.code_list(where, table, "profiles", PROFILE_CODE_RE)
        for profile in profiles or ():
            if profile not in profile_codes:
                self.problem(f"{where}: unknown profile {profile!r}")

        sources = self.code_list(where, table, "sources", SOURCE_RE)
        for source in sources or ():
            if source.startswith("004:") and source not in SEED_004_BULLETS:
                self.problem(f"{where}: unknown seed-004 bullet {source!r}")

        pedagogical = [s for s in sources or () if s.startswith(f"004:{PEDAGOGICAL_SEED_GROUP}.")]
        if pedagogical and flags["needs_pedagogical_qualification"] is False:
            self.problem(
                f"{where}: comes from {pedagogical[0]} (pedagogical-didactic), so "
                "needs_pedagogical_qualification must be true"
            )
        if flags["strategic"] and flags["outsourceable"]:
            self.problem(
                f"{where}: a strategic task cannot be outsourceable "
                "(recruit for strategic tasks, outsource only non-strategic or technical work)"
            )

        if (
            len(self.problems) > before
            or code is None
            or domain is None
            or title is None
            or description is None
            or level is None
            or hours is None
            or profiles is None
            or sources is None
        ):
            return None
        return Task(
            code=code,
            domain=domain,
            title=title,
            description=description,
            core=bool(flags["core"]),
            strategic=bool(flags["strategic"]),
            technical=bool(flags["technical"]),
            needs_pedagogical_qualification=bool(flags["needs_pedagogical_qualification"]),
            outsourceable=bool(flags["outsourceable"]),
            usual_level=level,
            usual_hours=hours,
            profiles=profiles,
            sources=sources,
        )

    def hours(self, where: str, table: Mapping[str, Any]) -> tuple[int, int] | None:
        value = self.required(where, table, "usual_hours")
        if value is None:
            return None
        if (
            not isinstance(value, list)
            or len(value) != 2
            or any(isinstance(v, bool) or not isinstance(v, int) for v in value)
        ):
            self.problem(f"{where}: usual_hours must be [min, max] whole hours, got {value!r}")
            return None
        low, high = value
        ok = True
        if low <= 0:
            self.problem(f"{where}: usual_hours minimum must be more than 0, got {low}")
            ok = False
        if low > high:
            self.problem(f"{where}: usual_hours minimum {low} is more than maximum {high}")
            ok = False
        if high > MAX_HOURS_PER_YEAR:
            self.problem(
                f"{where}: usual_hours maximum {high} exceeds a full-time year "
                f"({MAX_HOURS_PER_YEAR} hours)"
            )
            ok = False
        return (low, high) if ok else None

    # -- whole catalogue -----------------------------------------------------------------

    def build(self, data: Mapping[str, Any]) -> Catalogue:
        self.unknown_keys("top level", data, _TOP_KEYS)
        version = self.integer("top level", data, "version")
        if version is not None and version < 1:
            self.problem(f"top level: 'version' must be 1 or higher, got {version}")

        domains = self.domains(self.table_list(data, "domains"))
        profiles = self.profiles(self.table_list(data, "profiles"))
        # Validate tasks against every code that was given, even if its table had other
        # problems, so one broken domain does not cascade into "unknown domain" everywhere.
        domain_codes = _codes(data.get("domains"))
        profile_codes = _codes(data.get("profiles"))
        tasks = self.tasks(self.table_list(data, "tasks"), domain_codes, profile_codes)

        # Coverage is judged on what the task tables say, valid or not, so a typo in one
        # task does not also report its domain or profiles as unused.
        raw = data.get("tasks")
        raw_tasks = [t for t in raw if isinstance(t, dict)] if isinstance(raw, list) else []
        used_domains = {t.get("domain") for t in raw_tasks if isinstance(t.get("domain"), str)}
        used_profiles = {
            p
            for t in raw_tasks
            if isinstance(t.get("profiles"), list)
            for p in t["profiles"]
            if isinstance(p, str)
        }
        for domain in domains:
            if domain.code not in used_domains:
                self.problem(f"domain {domain.code} has no tasks")
        for profile in profiles:
            if profile.code not in used_profiles:
                self.problem(f"profile {profile.code} is not used by any task")

        if self.problems or version is None:
            raise CatalogueError(self.source, self.problems)
        return Catalogue(
            version=version,
            domains=tuple(domains),
            profiles=tuple(profiles),
            tasks=tuple(tasks),
        )


def _codes(raw: Any) -> set[str]:
    if not isinstance(raw, list):
        return set()
    return {t["code"] for t in raw if isinstance(t, dict) and isinstance(t.get("code"), str)}
