"""Tests of the 8-step route: the shipped content, the journey engine and the validator.

Pure Python: no Django, no database.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from teamwerk.stappenplan.route import (
    LANGS,
    REQUIRED_ROLES,
    Check,
    Position,
    Route,
    RouteError,
    Text,
    advice,
    default_route,
    destination,
    evaluate_journey,
    load_route,
    next_review,
)
from teamwerk.tenancy.terms import NETHERLANDS, activate_region, deactivate_region

ROUTE = load_route()
ROLES = REQUIRED_ROLES  # directie, ict

# Hand-written expectations (not derived from the file): per check and answer,
# the current step and state right after answering it on the way there.
EXPECTED: dict[str, dict[bool, tuple[int, str]]] = {
    "S1.awareness": {True: (2, "open"), False: (1, "blocked")},
    "S2.vision": {True: (3, "open"), False: (2, "blocked")},
    "S3.policy_plan": {True: (4, "open"), False: (3, "blocked")},
    "S4.pooling": {True: (5, "open"), False: (5, "open")},
    "S5.tailored": {True: (6, "open"), False: (5, "blocked")},
    "S6.expertise": {True: (7, "open"), False: (6, "open")},
    "S6.sourcing": {True: (7, "open"), False: (6, "blocked")},
    "S7.team": {True: (7, "open"), False: (7, "blocked")},
    "S7.division": {True: (7, "open"), False: (7, "blocked")},
    "S7.hours": {True: (7, "open"), False: (7, "blocked")},
    "S7.mandates": {True: (7, "open"), False: (7, "blocked")},
    "S7.knowledge": {True: (7, "open"), False: (7, "blocked")},
    "S7.backup": {True: (7, "open"), False: (7, "blocked")},
    "S7.documentation": {True: (7, "open"), False: (7, "blocked")},
    "S7.organisation": {True: (7, "open"), False: (7, "blocked")},
    "S7.working": {True: (8, "open"), False: (7, "blocked")},
    "S8.evaluated": {True: (8, "open"), False: (8, "blocked")},
    "S8.tasks": {True: (5, "revisit"), False: (8, "open")},
    "S8.composition": {True: (6, "revisit"), False: (8, "open")},
    "S8.division": {True: (7, "revisit"), False: (8, "complete")},
}

EVIDENCE = {
    "S5.tailored": "plan_decided_share",
    "S6.expertise": "no_expertise_tasks",
    "S6.sourcing": "recruit_outsource_tasks",
    "S7.team": "team_members",
    "S7.division": "owners",
    "S7.hours": "hours",
    "S7.mandates": "mandates",
    "S7.knowledge": "agreement:knowledge",
    "S7.backup": "agreement:backup",
    "S7.documentation": "agreement:documentation",
    "S7.organisation": "agreement:organisation",
    "S7.working": "agreement:working",
    "S8.evaluated": "last_evaluation",
}

CHECKLIST = [c for c in EXPECTED if c.startswith("S7.")]


CASES = [(code, answer) for code in EXPECTED for answer in (True, False)]


def all_yes(**overrides: bool | None) -> dict[str, bool | None]:
    """Every check answered so that the route is complete, then the overrides."""
    answers: dict[str, bool | None] = dict.fromkeys(ROUTE.codes, True)
    answers.update({"S8.tasks": False, "S8.composition": False, "S8.division": False})
    answers.update({k.replace("__", "."): v for k, v in overrides.items()})
    return answers


def forward_answer(check: Check, target: str) -> bool:
    """An answer that moves on (no stay, no go back), preferring the one that opens target."""
    onward = [
        a for a in (True, False) if check.branch(a).action != "stay" and not check.branch(a).back
    ]
    if len(onward) == 1:
        return onward[0]
    for answer in onward:
        if destination(ROUTE, check.code, answer).check == target:
            return answer
    return True


def answers_reaching(target: str) -> dict[str, bool]:
    """Answers that leave ``target`` as the open, unanswered check."""
    answers: dict[str, bool] = {}
    for _ in range(len(ROUTE.codes) + 1):
        position = evaluate_journey(ROUTE, answers)
        assert position.state == "open" and position.open_check is not None
        if position.open_check.code == target:
            return answers
        answers[position.open_check.code] = forward_answer(position.open_check, target)
    raise AssertionError(f"cannot reach {target}")


def after(code: str, answer: bool) -> Position:
    return evaluate_journey(ROUTE, {**answers_reaching(code), code: answer})


# --- the shipped content --------------------------------------------------------------------


def test_expectations_cover_every_check() -> None:
    assert list(EXPECTED) == list(ROUTE.codes)


def test_route_structure() -> None:
    assert ROUTE.version == 1
    assert [(p.number, p.steps) for p in ROUTE.phases] == [
        (1, (1, 2, 3)),
        (2, (4, 5, 6)),
        (3, (7, 8)),
    ]
    assert [s.number for s in ROUTE.steps] == list(range(1, 9))
    modules = {s.number: s.module for s in ROUTE.steps}
    assert modules == {
        1: None, 2: "policy", 3: "policy", 4: "group",
        5: "planning", 6: "team", 7: "team", 8: "evaluation",
    }  # fmt: skip
    assert [s.number for s in ROUTE.steps if s.is_checklist] == [7]
    assert {c.code: c.evidence for c in ROUTE.checks if c.evidence} == EVIDENCE
    assert default_route() is default_route()
    assert default_route().codes == ROUTE.codes


def iter_texts(route: Route) -> list[tuple[str, Text]]:
    found: list[tuple[str, Text]] = [(f"phase {p.number}", p.name) for p in route.phases]
    found += [(f"start.{r}", t) for r, t in route.start.by_role.items()]
    for step in route.steps:
        found += [(f"step {step.number}.title", step.title), (f"step {step.number}", step.summary)]
        found += [(f"step {step.number}.guidance", t) for ts in step.guidance.values() for t in ts]
        if step.done_advice:
            found += [(f"step {step.number}.done", t) for t in step.done_advice.by_role.values()]
        for check in step.checks:
            found.append((check.code, check.question))
            for branch in (check.yes, check.no):
                found += [(check.code, t) for t in branch.advice.by_role.values()]
    return found


def test_every_text_is_translated() -> None:
    for where, text in iter_texts(ROUTE):
        assert text.nl and text.en, where
        assert text.nl != text.en, where


def test_step5_guidance_per_variant() -> None:
    step = ROUTE.step(5)
    school = " ".join(t.nl for t in step.guidance_for("school"))
    group = " ".join(t.en for t in step.guidance_for("group"))
    assert "coördinerend directeur" in school and "essentieel" in school
    assert "economies of scale" in group and "specialised expertise" in group
    assert len(step.guidance_for("school")) == 3 and len(step.guidance_for("group")) == 4
    assert step.guidance_for(None) == ()


# --- every branch of every check ------------------------------------------------------------


@pytest.mark.parametrize(("code", "answer"), CASES)
def test_branch_destination(code: str, answer: bool) -> None:
    step, state = EXPECTED[code][answer]
    position = after(code, answer)
    assert (position.current_step, position.state) == (step, state)
    assert position.status(step) == "current"
    assert position.current_phase == ROUTE.step(step).phase
    assert destination(ROUTE, code, answer).step == step
    assert position.trail[-1] == (code, answer)


@pytest.mark.parametrize(("code", "answer"), CASES)
@pytest.mark.parametrize("lang", LANGS)
def test_branch_advice_per_role(code: str, answer: bool, lang: str) -> None:
    texts = {role: advice(ROUTE, code, answer, role, lang) for role in ROLES}
    assert all(t.strip() for t in texts.values())
    assert texts["directie"] != texts["ict"]
    other = "en" if lang == "nl" else "nl"
    assert texts["directie"] != advice(ROUTE, code, answer, "directie", other)
    assert isinstance(advice(ROUTE, code, answer, "teamlid", lang), str)  # optional role


@pytest.mark.parametrize(("code", "answer"), CASES)
@pytest.mark.parametrize("role", ROLES)
def test_position_advice_after_answer(code: str, answer: bool, role: str) -> None:
    position = after(code, answer)
    for lang in LANGS:
        shown = position.advice_for(role, lang)
        if not code.startswith("S7.") or not answer:
            expected = advice(ROUTE, code, answer, role, lang)  # own advice
        elif code == "S7.working":
            expected = ROUTE.step(7).done_advice.text(role, lang)  # type: ignore[union-attr]
        else:
            # Advice never repeats an answered check: inside the checklist it is about the
            # open item (what makes it a "yes"), not the advice that led into step 7.
            assert position.open_check is not None
            expected = advice(ROUTE, position.open_check.code, False, role, lang)
            assert shown != advice(ROUTE, "S6.expertise", True, role, lang)
        assert shown == expected


@pytest.mark.parametrize(("code", "answer"), CASES)
def test_next_step_matches_position(code: str, answer: bool) -> None:
    position = after(code, answer)
    nxt = position.next_step
    kinds = {"open": "answer", "blocked": "act", "revisit": "revisit", "complete": "review"}
    assert nxt.kind == kinds[position.state]
    assert nxt.step == position.current_step
    assert nxt.module == ROUTE.step(position.current_step).module
    assert nxt.check == (position.open_check.code if position.open_check else None)
    assert nxt.text.nl and nxt.text.en and "{" not in nxt.text.nl + nxt.text.en


# --- journeys -------------------------------------------------------------------------------


def test_unanswered_journey_starts_at_step_1() -> None:
    position = evaluate_journey(ROUTE, {})
    assert position.current_step == 1 and position.current_phase == 1
    assert position.state == "open" and position.open_check is not None
    assert position.open_check.code == "S1.awareness"
    assert dict(position.statuses) == {1: "current", **dict.fromkeys(range(2, 9), "todo")}
    assert position.variant is None and position.flags == frozenset()
    assert position.next_step.kind == "answer"
    assert position.advice_for("directie", "nl") == ROUTE.start.text("directie", "nl")
    assert position.advice_for("ict", "en") != position.advice_for("directie", "en")
    assert not position.complete and not position.checklist_complete
    assert [i.code for i in position.checklist] == CHECKLIST


@pytest.mark.parametrize(
    ("code", "step", "directie", "ict"),
    [
        ("S1.awareness", 1, ("strategisch", "strategic"), ("kerntaken", "core tasks")),
        ("S2.vision", 2, ("begeleidingsdienst", "support service"), ("kerntaken", "core tasks")),
        ("S3.policy_plan", 3, ("kader voor het beleid", "framework"), ("beleidstaken", "policy")),
    ],
)
def test_steps_1_to_3_no_stays(
    code: str, step: int, directie: tuple[str, str], ict: tuple[str, str]
) -> None:
    answers = {**answers_reaching(code), code: False}
    answers.update({c: True for c in ROUTE.codes if c not in answers})  # later answers ignored
    position = evaluate_journey(ROUTE, answers)
    assert (position.current_step, position.state) == (step, "blocked")
    assert position.open_check is not None and position.open_check.code == code
    assert all(position.status(n) == "done" for n in range(1, step))
    assert all(position.status(n) == "todo" for n in range(step + 1, 9))
    for lang, word_d, word_i in zip(LANGS, directie, ict, strict=True):
        assert word_d in position.advice_for("directie", lang)
        assert word_i in position.advice_for("ict", lang)
    assert position.next_step.kind == "act"


def test_step_2_and_3_advice_mentions_the_school_group() -> None:
    for code in ("S2.vision", "S3.policy_plan"):
        assert "scholengroep" in advice(ROUTE, code, False, "directie", "nl")
        assert "school group" in advice(ROUTE, code, False, "directie", "en")
    assert "Digisprong" in advice(ROUTE, "S3.policy_plan", False, "directie", "en")
    assert "technical core tasks" in advice(ROUTE, "S3.policy_plan", False, "ict", "en")


def test_a_dutch_board_reads_its_own_bodies_in_the_advice() -> None:
    token = activate_region(NETHERLANDS)
    try:
        nl = advice(ROUTE, "S3.policy_plan", False, "directie", "nl")
        en = advice(ROUTE, "S3.policy_plan", False, "directie", "en")
        question = ROUTE.check("S4.pooling").question.get("nl")
    finally:
        deactivate_region(token)
    assert "samen met het bestuur" in nl and "een onderwijsadviesbureau" in nl
    assert "Kennisnet" in nl
    for word in ("scholengroep", "begeleidingsdienst", "Digisprong"):
        assert word not in nl and word not in question
    assert "op het niveau van het bestuur" in question
    assert "together with the board" in en and "Kennisnet" in en


@pytest.mark.parametrize(
    ("answer", "variant", "marker"),
    [(True, "group", "schaalvoordelen"), (False, "school", "coördinerend")],
)
def test_step_4_sets_variant(answer: bool, variant: str, marker: str) -> None:
    before = evaluate_journey(ROUTE, answers_reaching("S4.pooling"))
    assert before.variant is None
    position = after("S4.pooling", answer)
    assert position.variant == variant and position.current_step == 5
    assert any(marker in q for q in position.guiding_questions("nl"))
    later = evaluate_journey(ROUTE, all_yes(S4__pooling=answer))  # kept to the end
    assert later.variant == variant and later.complete


def test_step_6_no_gives_recruit_or_outsource() -> None:
    position = after("S6.expertise", False)
    assert position.open_check is not None and position.open_check.code == "S6.sourcing"
    assert "recruit_or_outsource" in position.flags
    text = position.advice_for("directie", "en")
    assert "recruit" in text and "outsource" in text and "strategic" in text
    nl = position.advice_for("directie", "nl")
    assert "werf" in nl and "uitbeste" in nl
    blocked = after("S6.sourcing", False)
    assert blocked.state == "blocked" and "recruit_or_outsource" in blocked.flags
    done = after("S6.sourcing", True)
    assert done.current_step == 7 and "recruit_or_outsource" in done.flags


def test_step_6_yes_skips_sourcing() -> None:
    position = evaluate_journey(ROUTE, all_yes(S6__sourcing=False))
    assert position.complete and "recruit_or_outsource" not in position.flags
    assert ("S6.sourcing", False) not in position.trail


def test_step_7_complete_only_when_all_items_yes() -> None:
    position = evaluate_journey(ROUTE, all_yes(S8__evaluated=None))
    assert position.checklist_complete and position.status(7) == "done"
    assert position.current_step == 8 and position.open_check is not None
    assert position.open_check.code == "S8.evaluated"
    done = ROUTE.step(7).done_advice
    assert done is not None and position.advice_for("ict", "en") == done.text("ict", "en")
    assert {i.code: i.evidence for i in position.checklist} == {c: EVIDENCE[c] for c in CHECKLIST}


@pytest.mark.parametrize("item", CHECKLIST)
@pytest.mark.parametrize("missing", [False, None])
def test_step_7_one_missing_item_keeps_school_at_7(item: str, missing: bool | None) -> None:
    position = evaluate_journey(ROUTE, all_yes(**{item.replace(".", "__"): missing}))
    assert position.current_step == 7 and not position.checklist_complete
    assert position.state == ("blocked" if missing is False else "open")
    assert position.open_check is not None and position.open_check.code == item
    assert [i.code for i in position.checklist_missing] == [item]
    assert position.status(8) == "todo"


def test_step_7_first_item_not_yes_is_open() -> None:
    position = evaluate_journey(ROUTE, all_yes(S7__hours=None, S7__backup=False))
    assert position.state == "open" and position.open_check is not None
    assert position.open_check.code == "S7.hours"
    assert [i.code for i in position.checklist_missing] == ["S7.hours", "S7.backup"]
    # Other items are answered: the advice is about the open item, not the entering advice.
    open_item = advice(ROUTE, "S7.hours", False, "directie", "en")
    assert position.advice_for("directie", "en") == open_item


@pytest.mark.parametrize(
    ("code", "target", "revisit"),
    [("S8.tasks", 5, [6, 7, 8]), ("S8.composition", 6, [7, 8]), ("S8.division", 7, [8])],
)
def test_step_8_adjust_goes_back(code: str, target: int, revisit: list[int]) -> None:
    position = evaluate_journey(ROUTE, all_yes(**{code.replace(".", "__"): True}))
    assert position.state == "revisit" and position.current_step == target
    assert position.current_phase == ROUTE.step(target).phase
    assert position.revisit is not None
    assert (position.revisit.check, position.revisit.from_step, position.revisit.to_step) == (
        code, 8, target,
    )  # fmt: skip
    assert position.open_check is not None and position.open_check.code == code  # the latch
    assert [n for n, s in position.statuses.items() if s == "revisit"] == revisit
    assert all(position.status(n) == "done" for n in range(1, target))
    assert position.next_step.kind == "revisit"
    assert position.next_step.module == ROUTE.step(target).module
    assert f"{target}" in position.next_step.text.en
    for role in ROLES:
        assert position.advice_for(role, "nl") == advice(ROUTE, code, True, role, "nl")
    # adjustment done: answering the latch "no" again completes the route
    assert evaluate_journey(ROUTE, all_yes()).complete


def test_step_8_earliest_go_back_wins() -> None:
    position = evaluate_journey(ROUTE, all_yes(S8__tasks=True, S8__composition=True))
    assert position.current_step == 5 and position.revisit is not None
    assert position.revisit.check == "S8.tasks"
    position = evaluate_journey(ROUTE, all_yes(S8__composition=True, S8__division=True))
    assert position.current_step == 6


def test_changed_answer_during_revisit_takes_over() -> None:
    # Someone left: expertise is now missing and the sourcing decision is still open.
    answers = all_yes(S8__composition=True, S6__expertise=False)
    answers.pop("S6.sourcing")
    position = evaluate_journey(ROUTE, answers)
    assert (position.current_step, position.state) == (6, "open")
    assert position.open_check is not None and position.open_check.code == "S6.sourcing"
    assert position.revisit is None and position.status(8) == "todo"


def test_step_8_not_evaluated_stays() -> None:
    position = evaluate_journey(ROUTE, all_yes(S8__evaluated=False))
    assert (position.current_step, position.state) == (8, "blocked")
    assert position.next_step.module == "evaluation"
    assert position.checklist_complete
    assert len(position.guiding_questions("en")) == 3


def test_complete_route_keeps_step_8_current() -> None:
    position = evaluate_journey(ROUTE, all_yes())
    assert position.complete and position.open_check is None
    assert position.current_step == 8 and position.current_phase == 3
    assert dict(position.statuses) == {**dict.fromkeys(range(1, 8), "done"), 8: "current"}
    assert position.next_step.kind == "review" and position.next_step.check is None
    assert "12" in position.next_step.text.nl and "12" in position.next_step.text.en
    assert position.variant == "group"
    assert len(position.trail) == len(ROUTE.codes) - 1  # S6.sourcing skipped


def test_model_objects_are_hashable() -> None:
    position = evaluate_journey(ROUTE, all_yes())
    assert len({ROUTE, *ROUTE.checks, *ROUTE.steps, position, position.next_step}) > 20


def test_answers_input_handling() -> None:
    position = evaluate_journey(ROUTE, {"S1.awareness": None, "S0.old": True})
    assert position.current_step == 1 and position.state == "open"
    assert position.unknown_codes == ("S0.old",)
    with pytest.raises(TypeError):
        evaluate_journey(ROUTE, {"S1.awareness": 1})  # type: ignore[dict-item]
    with pytest.raises(TypeError):
        evaluate_journey(ROUTE, {"S1.awareness": "yes"})  # type: ignore[dict-item]


def test_roles_and_languages() -> None:
    assert advice(ROUTE, "S4.pooling", True, "teamlid", "nl") == ""  # optional, absent
    assert advice(ROUTE, "S1.awareness", False, "teamlid", "en")
    with pytest.raises(ValueError, match="role"):
        advice(ROUTE, "S1.awareness", True, "boss", "nl")
    with pytest.raises(ValueError, match="language"):
        advice(ROUTE, "S1.awareness", True, "ict", "fr")
    with pytest.raises(KeyError):
        advice(ROUTE, "S9.nothing", True, "ict", "nl")
    with pytest.raises(ValueError, match="language"):
        evaluate_journey(ROUTE, {}).advice_for("ict", "de")


def test_next_review() -> None:
    assert next_review(ROUTE, date(2025, 9, 15)) == date(2026, 9, 15)
    assert next_review(ROUTE, date(2024, 2, 29)) == date(2025, 2, 28)


answer_maps = st.dictionaries(st.sampled_from(ROUTE.codes), st.sampled_from([True, False, None]))


@settings(max_examples=300, deadline=None)
@given(answer_maps)
def test_any_answers_give_a_consistent_position(answers: dict[str, bool | None]) -> None:
    position = evaluate_journey(ROUTE, answers)
    assert list(position.statuses.values()).count("current") == 1
    assert position.status(position.current_step) == "current"
    assert all(position.status(n) == "done" for n in range(1, position.current_step))
    assert (position.open_check is None) == position.complete
    if position.state == "open":
        assert position.open_check is not None and answers.get(position.open_check.code) is None
    if position.current_step > 5:
        assert position.variant in ("school", "group")
    for role in ROLES:
        assert position.advice_for(role, "nl") and position.advice_for(role, "en")
    assert evaluate_journey(ROUTE, dict(answers)) == position  # deterministic


# --- validator ------------------------------------------------------------------------------

MINIMAL = """\
version = 1
review_interval_months = 12

[start.directie]
nl = "Begin hier."
en = "Start here."

[start.ict]
nl = "Help mee."
en = "Help out."

[messages.answer]
nl = "Stap {step}: {question}"
en = "Step {step}: {question}"

[messages.act]
nl = "Werk aan {title}."
en = "Work on {title}."

[messages.revisit]
nl = "Terug naar {step}."
en = "Back to {step}."

[messages.review]
nl = "Over {months} maanden."
en = "In {months} months."

[[phases]]
number = 1
name = { nl = "Fase", en = "Phase" }

[[steps]]
number = 1
phase = 1
module = "team"
title = { nl = "Een", en = "One" }
summary = { nl = "Eerste stap.", en = "First step." }

[[steps.checks]]
code = "S1.first"
question = { nl = "Klaar?", en = "Ready?" }
yes = { next = 2, advice = { directie = { nl = "Ga.", en = "Go." }, ict = { nl = "Ok.", en = "Ok!" } } }
no = { next = "stay", advice = { directie = { nl = "Wacht.", en = "Wait." }, ict = { nl = "Rust.", en = "Rest." } } }

[[steps]]
number = 2
phase = 1
title = { nl = "Twee", en = "Two" }
summary = { nl = "Tweede stap.", en = "Second step." }

[[steps.checks]]
code = "S2.second"
question = { nl = "Goed?", en = "Good?" }
yes = { next = "continue", advice = { directie = { nl = "Top.", en = "Great." }, ict = { nl = "Fijn.", en = "Nice." } } }
no = { next = "stay", advice = { directie = { nl = "Niet.", en = "Not." }, ict = { nl = "Nog.", en = "Yet." } } }

[[steps.checks]]
code = "S2.third"
evidence = "owners"
question = { nl = "Bijsturen?", en = "Adjust?" }
yes = { next = 1, advice = { directie = { nl = "Terug.", en = "Back." }, ict = { nl = "Opnieuw.", en = "Again." } } }
no = { next = "continue", advice = { directie = { nl = "Klaar.", en = "Done." }, ict = { nl = "Af.", en = "Over." } } }
"""  # noqa: E501


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "route.toml"
    path.write_text(text, encoding="utf-8")
    return path


def broken(tmp_path: Path, *edits: tuple[str, str]) -> RouteError:
    text = MINIMAL
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    with pytest.raises(RouteError) as caught:
        load_route(write(tmp_path, text))
    return caught.value


def test_minimal_route_is_valid_and_walks(tmp_path: Path) -> None:
    route = load_route(write(tmp_path, MINIMAL))
    assert route.codes == ("S1.first", "S2.second", "S2.third")
    answers = {"S1.first": True, "S2.second": True, "S2.third": False}
    assert evaluate_journey(route, answers).complete
    back = evaluate_journey(route, {**answers, "S2.third": True})
    assert (back.current_step, back.state) == (1, "revisit")
    assert dict(back.statuses) == {1: "current", 2: "revisit"}


@pytest.mark.parametrize(
    ("edits", "problem"),
    [
        ([(', en = "First step."', "")], "summary: missing 'en' text"),
        ([('summary = { nl = "Eerste stap.", en = "First step." }', "")], "summary: missing"),
        ([('en = "Go."', 'en = "  "')], "advice.directie: missing 'en' text"),
        ([("yes = { next = 2", "yes = { next = 9")], "unknown next step 9"),
        ([("yes = { next = 2", "yes = { next = 1")], "is its own step"),
        ([("yes = { next = 2", 'yes = { next = "later"')], "'next' must be"),
        ([(', ict = { nl = "Ok.", en = "Ok!" }', "")], "missing advice for role 'ict'"),
        ([('code = "S2.third"', 'code = "S2.second"')], "duplicate check code"),
        ([('code = "S2.third"', 'code = "S5.third"')], "code must look like 'S2.name'"),
        ([("version = 1", "version = ")], "not valid TOML"),
        ([("version = 1", "version = 2")], "unsupported version 2"),
        ([("version = 1\n", "")], "missing integer 'version'"),
        ([("phase = 1\nmodule", 'phase = 1\ncolour = "red"\nmodule')], "unknown key 'colour'"),
        ([('ict = { nl = "Ok."', 'boss = { nl = "Ok."')], "unknown key 'boss'"),
        ([('module = "team"', 'module = "nowhere"')], "unknown module 'nowhere'"),
        ([("Stap {step}", "Stap {stap}")], "unknown placeholder {stap}"),
        ([('[start.ict]\nnl = "Help mee."\nen = "Help out."\n', "")], "start: missing advice"),
        ([("number = 2\nphase = 1", "number = 3\nphase = 1")], "numbers must run 1..2"),
        ([("number = 2\nphase = 1", "number = 2\nphase = 4")], "unknown phase 4"),
        ([("yes = { next = 2,", 'yes = { next = 2, variant = "city",')], "unknown variant 'city'"),
        ([("yes = { next = 2,", "yes = { next = 2, flags = [1],")], "'flags' must be"),
    ],
)
def test_validator_rejects(tmp_path: Path, edits: list[tuple[str, str]], problem: str) -> None:
    error = broken(tmp_path, *edits)
    assert any(problem in p for p in error.problems), error.problems
    assert problem in str(error) and "route.toml" in str(error)


def test_validator_checks_checklist_rules(tmp_path: Path) -> None:
    error = broken(tmp_path, ("number = 2\nphase = 1", 'number = 2\nphase = 1\nkind = "checklist"'))
    problems = "\n".join(error.problems)
    assert "done_advice" in problems
    assert "(S2.second): a checklist item needs an 'evidence' key" in problems
    assert "(S2.third).yes: a checklist item must use next = 'continue'" in problems
    assert "(S2.third).no: a checklist item must use next = 'stay'" in problems
    assert "(S2.third): a checklist item needs" not in problems  # it has evidence
    assert "(S2.second).yes" not in problems and "(S2.second).no" not in problems


def test_validator_rejects_forward_jump(tmp_path: Path) -> None:
    third = MINIMAL + (
        '\n[[steps]]\nnumber = 3\nphase = 1\ntitle = { nl = "Drie", en = "Three" }\n'
        'summary = { nl = "Derde.", en = "Third." }\n[[steps.checks]]\ncode = "S3.x"\n'
        'question = { nl = "X?", en = "X!" }\n'
        'yes = { next = "continue", advice = { directie = { nl = "a", en = "b" }, '
        'ict = { nl = "c", en = "d" } } }\n'
        'no = { next = "stay", advice = { directie = { nl = "a", en = "b" }, '
        'ict = { nl = "c", en = "d" } } }\n'
    )
    assert load_route(write(tmp_path, third)).codes[-1] == "S3.x"
    with pytest.raises(RouteError, match="forward jump must go to step 2, not 3"):
        load_route(write(tmp_path, third.replace("yes = { next = 2", "yes = { next = 3", 1)))


def test_validator_reports_every_problem_at_once(tmp_path: Path) -> None:
    error = broken(
        tmp_path,
        (', en = "First step."', ""),
        ("yes = { next = 2", "yes = { next = 7"),
        (', ict = { nl = "Ok.", en = "Ok!" }', ""),
        ('code = "S2.third"', 'code = "S2.second"'),
    )
    expected = [
        "summary: missing 'en' text",
        "unknown next step 7",
        "missing advice for role 'ict'",
        "duplicate check code",
    ]
    for problem in expected:
        assert any(problem in p for p in error.problems), (problem, error.problems)
    assert len(error.problems) == len(expected)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(RouteError, match="cannot read"):
        load_route(tmp_path / "nope.toml")
