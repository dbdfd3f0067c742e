"""The 8-step route ("stappenplan") towards team-based ICT coordination.

The content lives in ``data/route.toml`` (versioned). This module loads and validates it and
computes where a school stands from its answers. Pure Python (stdlib ``tomllib``), no Django.

Transition model
----------------
Every check is a yes/no question. Each answer has a :class:`Branch` whose ``next`` is one of:

* ``"continue"``: go to the next check of the same step. After the last check of a step the
  school moves to the next step; after the last check of the last step the route is complete.
* ``"stay"``: the school stays at this step. The check blocks until it gets another answer.
* a step number ``n``: go to step ``n``. A forward jump must go to the next step (number + 1).
  A jump to an *earlier* step is a **go back**: the walk stops there, step ``n`` becomes the
  current step, the steps after it up to the step of the check get the status ``revisit`` and
  the check that sent the school back stays open (it is the "latch"). Once the adjustment is
  done the school answers that check again (the step-8 checks: "no"), and the walk passes it.

:func:`evaluate_journey` walks the route from step 1, taking each check in file order, and
stops at the first unanswered check, at a blocking answer, at a go back, or at the end. A
checklist step (step 7) uses the same walk: every item continues on "yes" and stays on "no",
so the step is done only when every item is "yes". The walk only moves forward, except for a
go back, which ends it; so it always terminates and the result depends only on the answers.
"""

from __future__ import annotations

import re
import string
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, Literal

DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "route.toml"
SUPPORTED_VERSIONS = frozenset({1})
LANGS: tuple[str, ...] = ("nl", "en")
ROLES: tuple[str, ...] = ("directie", "ict", "teamlid")
REQUIRED_ROLES: tuple[str, ...] = ("directie", "ict")
VARIANTS: tuple[str, ...] = ("school", "group")
# Where the work of a step happens in the app ("policy" is a later module).
MODULES = frozenset({"policy", "group", "planning", "team", "evaluation"})
STEP_KINDS: tuple[str, ...] = ("checks", "checklist")
MESSAGE_KINDS: tuple[str, ...] = ("answer", "act", "revisit", "review")
MESSAGE_FIELDS = frozenset({"step", "title", "question", "months"})
CODE_RE = re.compile(r"^S(\d+)\.[a-z][a-z0-9_]*$")

Action = Literal["continue", "stay", "goto"]
State = Literal["open", "blocked", "revisit", "complete"]
StepStatus = Literal["done", "current", "todo", "revisit"]
NextKind = Literal["answer", "act", "revisit", "review"]


class RouteError(ValueError):
    """The route file is unreadable or invalid; ``problems`` names every problem found."""

    def __init__(self, problems: Sequence[str], source: str | None = None) -> None:
        self.problems: tuple[str, ...] = tuple(problems)
        self.source = source
        where = f" in {source}" if source else ""
        head = f"invalid route{where}: {len(self.problems)} problem(s)"
        super().__init__("\n  - ".join([head, *self.problems]))


def _check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; expected one of {LANGS}")


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; expected one of {ROLES}")


# --- content model ------------------------------------------------------------------------


def _no_terms(text: str, lang: str) -> str:
    return text


# Fills the regional placeholders ({the_group}, {the_advisory_service}, …) of a text; the
# stappenplan app sets it to ``tenancy.terms.fill_terms`` so this module stays free of Django.
_fill_terms: Callable[[str, str], str] = _no_terms


def set_term_filler(filler: Callable[[str, str], str]) -> None:
    global _fill_terms
    _fill_terms = filler


@dataclass(frozen=True, slots=True)
class Text:
    """A text in Dutch and English."""

    nl: str
    en: str

    def get(self, lang: str) -> str:
        _check_lang(lang)
        return _fill_terms(self.nl if lang == "nl" else self.en, lang)


@dataclass(frozen=True, slots=True)
class Advice:
    """Advice per role; ``directie`` and ``ict`` are required, ``teamlid`` is optional."""

    by_role: Mapping[str, Text] = field(hash=False)

    def text(self, role: str, lang: str) -> str:
        """The advice for ``role`` in ``lang``; "" for an optional role without advice."""
        _check_role(role)
        _check_lang(lang)
        found = self.by_role.get(role)
        return found.get(lang) if found else ""


@dataclass(frozen=True, slots=True)
class Branch:
    """What one answer to a check means: advice, where to go, and what it records."""

    answer: bool
    action: Action
    target: int | None  # step number when action == "goto"
    back: bool  # a goto to an earlier step
    advice: Advice
    variant: str | None = None  # sets the variant of step 5 ("school" | "group")
    flags: tuple[str, ...] = ()  # outcome flags, e.g. "recruit_or_outsource"


@dataclass(frozen=True, slots=True)
class Check:
    """A yes/no question of a step (or an item of a checklist step)."""

    code: str
    step: int
    question: Text
    yes: Branch
    no: Branch
    evidence: str | None = None  # key of the app data shown next to the check

    def branch(self, answer: bool) -> Branch:
        return self.yes if answer else self.no


@dataclass(frozen=True, slots=True)
class Step:
    number: int
    phase: int
    title: Text
    summary: Text
    checks: tuple[Check, ...]
    module: str | None = None
    kind: str = "checks"  # "checks" | "checklist"
    # guiding questions per key: "all" or a variant
    guidance: Mapping[str, tuple[Text, ...]] = field(default_factory=dict, hash=False)
    done_advice: Advice | None = None  # checklist steps: advice once every item is "yes"

    @property
    def is_checklist(self) -> bool:
        return self.kind == "checklist"

    def guidance_for(self, variant: str | None) -> tuple[Text, ...]:
        """Guiding questions: those for every school, then those of the variant."""
        own = self.guidance.get(variant, ()) if variant else ()
        return (*self.guidance.get("all", ()), *own)


@dataclass(frozen=True, slots=True)
class Phase:
    number: int
    name: Text
    steps: tuple[int, ...]


@dataclass(frozen=True)
class Route:
    version: int
    phases: tuple[Phase, ...]
    steps: tuple[Step, ...]  # step n is steps[n - 1]
    start: Advice  # advice before any answer
    messages: Mapping[str, Text] = field(hash=False)  # NextStep text templates per NextKind
    review_interval_months: int
    _by_code: dict[str, Check] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index = {c.code: c for s in self.steps for c in s.checks}
        object.__setattr__(self, "_by_code", index)

    @property
    def checks(self) -> tuple[Check, ...]:
        """Every check in route order."""
        return tuple(self._by_code.values())

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(self._by_code)

    def step(self, number: int) -> Step:
        if not 1 <= number <= len(self.steps):
            raise KeyError(f"unknown step {number}")
        return self.steps[number - 1]

    def phase(self, number: int) -> Phase:
        for phase in self.phases:
            if phase.number == number:
                return phase
        raise KeyError(f"unknown phase {number}")

    def check(self, code: str) -> Check:
        try:
            return self._by_code[code]
        except KeyError:
            raise KeyError(f"unknown check code {code!r}") from None


# --- loading and validation ---------------------------------------------------------------


def load_route(path: str | Path | None = None) -> Route:
    """Load and validate a route file (default: the shipped ``data/route.toml``)."""
    source = Path(path) if path is not None else DEFAULT_PATH
    try:
        raw = tomllib.loads(source.read_text(encoding="utf-8"))
    except OSError as exc:
        raise RouteError([f"cannot read the file: {exc}"], str(source)) from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise RouteError([f"not valid TOML: {exc}"], str(source)) from exc
    return parse_route(raw, source=str(source))


@cache
def default_route() -> Route:
    """The shipped route, loaded once."""
    return load_route()


def parse_route(raw: Mapping[str, Any], source: str | None = None) -> Route:
    """Build a route from parsed TOML; raise RouteError listing every problem."""
    problems: list[str] = []
    route = _Parser(problems).route(raw)
    if problems:
        raise RouteError(problems, source)
    return route


class _Parser:
    """Builds the model while collecting problems; returns placeholders for broken parts."""

    def __init__(self, problems: list[str]) -> None:
        self.p = problems
        self.step_numbers: set[int] = set()
        self.seen_codes: dict[str, str] = {}

    def route(self, raw: Mapping[str, Any]) -> Route:
        top = ("version", "review_interval_months", "start", "messages", "phases", "steps")
        self.keys(raw, top, "route")
        version = raw.get("version")
        if not _is_int(version):
            self.p.append("route: missing integer 'version'")
            version = 0
        elif version not in SUPPORTED_VERSIONS:
            self.p.append(f"route: unsupported version {version} ({sorted(SUPPORTED_VERSIONS)})")
        months = raw.get("review_interval_months")
        if not _is_int(months) or months < 1:
            self.p.append("route: 'review_interval_months' must be a positive integer")
            months = 12
        start = self.advice(raw.get("start"), "start")
        messages = self.messages(raw.get("messages"))
        raw_phases = self.table_list(raw.get("phases"), "phases")
        raw_steps = self.table_list(raw.get("steps"), "steps")
        self.step_numbers = {s["number"] for s in raw_steps if _is_int(s.get("number"))}
        steps = tuple(self.step(s, f"steps[{i}]") for i, s in enumerate(raw_steps))
        self.step_order(steps)
        phases = self.phases(raw_phases, steps)
        return Route(version, phases, steps, start, messages, months)

    # -- pieces --

    def keys(self, raw: Mapping[str, Any], allowed: Iterable[str], where: str) -> None:
        for key in raw:
            if key not in allowed:
                self.p.append(f"{where}: unknown key {key!r}")

    def table_list(self, raw: Any, where: str) -> list[Mapping[str, Any]]:
        if not isinstance(raw, list) or not raw:
            self.p.append(f"{where}: missing (expected a non-empty [[{where}]] list)")
            return []
        tables = [t for t in raw if isinstance(t, Mapping)]
        if len(tables) != len(raw):
            self.p.append(f"{where}: every entry must be a table")
        return tables

    def text(self, raw: Any, where: str) -> Text:
        if raw is None:
            self.p.append(f"{where}: missing (expected 'nl' and 'en' text)")
            return Text("", "")
        if not isinstance(raw, Mapping):
            self.p.append(f"{where}: expected a table with 'nl' and 'en' text")
            return Text("", "")
        self.keys(raw, LANGS, where)
        values: dict[str, str] = {}
        for lang in LANGS:
            value = raw.get(lang)
            if not isinstance(value, str) or not value.strip():
                self.p.append(f"{where}: missing {lang!r} text")
                value = ""
            values[lang] = value.strip()
        return Text(**values)

    def advice(self, raw: Any, where: str) -> Advice:
        if not isinstance(raw, Mapping):
            self.p.append(f"{where}: missing advice (a table per role: {REQUIRED_ROLES})")
            return Advice({})
        self.keys(raw, ROLES, where)
        for role in REQUIRED_ROLES:
            if role not in raw:
                self.p.append(f"{where}: missing advice for role {role!r}")
        by_role = {r: self.text(raw[r], f"{where}.{r}") for r in ROLES if r in raw}
        return Advice(by_role)

    def messages(self, raw: Any) -> dict[str, Text]:
        if not isinstance(raw, Mapping):
            self.p.append(f"messages: missing (a table per kind: {MESSAGE_KINDS})")
            return {}
        self.keys(raw, MESSAGE_KINDS, "messages")
        out: dict[str, Text] = {}
        for kind in MESSAGE_KINDS:
            text = out[kind] = self.text(raw.get(kind), f"messages.{kind}")
            for lang in LANGS:
                self.template(text.get(lang), f"messages.{kind}.{lang}")
        return out

    def template(self, value: str, where: str) -> None:
        try:
            names = {n for _, n, _, _ in string.Formatter().parse(value) if n is not None}
        except ValueError as exc:
            self.p.append(f"{where}: bad template ({exc})")
            return
        for name in sorted(names - MESSAGE_FIELDS):
            self.p.append(f"{where}: unknown placeholder {{{name}}}")

    def phases(self, raw: list[Mapping[str, Any]], steps: tuple[Step, ...]) -> tuple[Phase, ...]:
        out: list[Phase] = []
        for i, item in enumerate(raw):
            where = f"phases[{i}]"
            self.keys(item, ("number", "name"), where)
            number = item.get("number")
            if not _is_int(number):
                self.p.append(f"{where}: missing integer 'number'")
                continue
            name = self.text(item.get("name"), f"{where}.name")
            members = tuple(s.number for s in steps if s.phase == number)
            if not members:
                self.p.append(f"{where}: phase {number} has no steps")
            out.append(Phase(number, name, members))
        numbers = [ph.number for ph in out]
        if numbers != list(range(1, len(numbers) + 1)):
            self.p.append(f"phases: numbers must run 1..{len(numbers)} in order, got {numbers}")
        known = set(numbers)
        for s in steps:
            if s.phase not in known:
                self.p.append(f"step {s.number}: unknown phase {s.phase}")
        order = [s.phase for s in steps]
        if order != sorted(order):
            self.p.append("steps: phases must follow the order of the steps")
        return tuple(out)

    def step(self, raw: Mapping[str, Any], where: str) -> Step:
        allowed = ("number", "phase", "module", "kind", "title", "summary", "checks")
        self.keys(raw, (*allowed, "guidance", "done_advice"), where)
        number = raw.get("number")
        if not _is_int(number):
            self.p.append(f"{where}: missing integer 'number'")
            number = 0
        where = f"{where} (step {number})"
        phase = raw.get("phase")
        if not _is_int(phase):
            self.p.append(f"{where}: missing integer 'phase'")
            phase = 0
        module = raw.get("module")
        if module is not None and module not in MODULES:
            self.p.append(f"{where}: unknown module {module!r} ({sorted(MODULES)})")
        kind = raw.get("kind", "checks")
        if kind not in STEP_KINDS:
            self.p.append(f"{where}: unknown kind {kind!r} ({STEP_KINDS})")
        title = self.text(raw.get("title"), f"{where}.title")
        summary = self.text(raw.get("summary"), f"{where}.summary")
        guidance = self.guidance(raw.get("guidance", {}), f"{where}.guidance")
        done_advice = None
        if kind == "checklist":
            done_advice = self.advice(raw.get("done_advice"), f"{where}.done_advice")
        elif "done_advice" in raw:
            self.p.append(f"{where}: 'done_advice' is only for checklist steps")
        raw_checks = self.table_list(raw.get("checks"), f"{where}.checks")
        checks = tuple(
            self.check(c, f"{where}.checks[{i}]", number, kind == "checklist")
            for i, c in enumerate(raw_checks)
        )
        return Step(number, phase, title, summary, checks, module, kind, guidance, done_advice)

    def step_order(self, steps: tuple[Step, ...]) -> None:
        numbers = [s.number for s in steps]
        if numbers != list(range(1, len(numbers) + 1)):
            self.p.append(f"steps: numbers must run 1..{len(numbers)} in order, got {numbers}")

    def guidance(self, raw: Any, where: str) -> dict[str, tuple[Text, ...]]:
        if not isinstance(raw, Mapping):
            self.p.append(f"{where}: expected a table of lists ('all' or a variant)")
            return {}
        self.keys(raw, ("all", *VARIANTS), where)
        out: dict[str, tuple[Text, ...]] = {}
        for key, items in raw.items():
            if not isinstance(items, list):
                self.p.append(f"{where}.{key}: expected a list of texts")
                continue
            out[key] = tuple(self.text(t, f"{where}.{key}[{i}]") for i, t in enumerate(items))
        return out

    def check(self, raw: Mapping[str, Any], where: str, step: int, checklist: bool) -> Check:
        self.keys(raw, ("code", "question", "evidence", "yes", "no"), where)
        code = raw.get("code")
        if not isinstance(code, str) or not code:
            self.p.append(f"{where}: missing 'code'")
            code = f"?{where}"
        else:
            where = f"{where} ({code})"
            match = CODE_RE.match(code)
            if not match or int(match.group(1)) != step:
                self.p.append(f"{where}: code must look like 'S{step}.name' (lowercase name)")
            if code in self.seen_codes:
                self.p.append(f"{where}: duplicate check code (also {self.seen_codes[code]})")
            else:
                self.seen_codes[code] = where
        question = self.text(raw.get("question"), f"{where}.question")
        evidence = raw.get("evidence")
        if evidence is not None and (not isinstance(evidence, str) or not evidence.strip()):
            self.p.append(f"{where}: 'evidence' must be a non-empty string")
            evidence = None
        if checklist and evidence is None:
            self.p.append(f"{where}: a checklist item needs an 'evidence' key")
        yes = self.branch(raw.get("yes"), f"{where}.yes", True, step, checklist)
        no = self.branch(raw.get("no"), f"{where}.no", False, step, checklist)
        return Check(code, step, question, yes, no, evidence)

    def branch(self, raw: Any, where: str, answer: bool, step: int, checklist: bool) -> Branch:
        if not isinstance(raw, Mapping):
            self.p.append(f"{where}: missing branch (a table with 'next' and 'advice')")
            return Branch(answer, "stay", None, False, Advice({}))
        self.keys(raw, ("next", "advice", "variant", "flags"), where)
        action, target = self.next(raw.get("next"), where, step)
        if checklist and action != ("continue" if answer else "stay"):
            expected = "continue" if answer else "stay"
            self.p.append(f"{where}: a checklist item must use next = {expected!r}")
        variant = raw.get("variant")
        if variant is not None and variant not in VARIANTS:
            self.p.append(f"{where}: unknown variant {variant!r} ({VARIANTS})")
        flags = raw.get("flags", [])
        if not isinstance(flags, list) or not all(isinstance(f, str) and f for f in flags):
            self.p.append(f"{where}: 'flags' must be a list of names")
            flags = []
        advice = self.advice(raw.get("advice"), f"{where}.advice")
        back = target is not None and target < step
        return Branch(answer, action, target, back, advice, variant, tuple(flags))

    def next(self, value: Any, where: str, step: int) -> tuple[Action, int | None]:
        if value in ("continue", "stay"):
            return value, None
        if not _is_int(value):
            self.p.append(f"{where}: 'next' must be 'continue', 'stay' or a step number")
            return "stay", None
        if value not in self.step_numbers:
            self.p.append(f"{where}: unknown next step {value}")
        elif value == step:
            self.p.append(f"{where}: next step {value} is its own step (use 'stay')")
        elif value > step + 1:
            self.p.append(f"{where}: a forward jump must go to step {step + 1}, not {value}")
        return "goto", value


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# --- single answers -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Destination:
    """Where one answer leads, as evaluate_journey would report it if all before is passed."""

    step: int  # the current step after the answer
    check: str | None  # the check open next (the same one for 'stay' and for a go back)
    back: bool = False  # a go back to an earlier step
    complete: bool = False  # the route is complete (the step stays the last step)


def advice(route: Route, check_code: str, answer: bool, role: str, lang: str) -> str:
    """The advice ``role`` gets on answering ``check_code`` with ``answer``, in ``lang``."""
    return route.check(check_code).branch(answer).advice.text(role, lang)


def destination(route: Route, check_code: str, answer: bool) -> Destination:
    """Where answering ``check_code`` with ``answer`` takes the school."""
    check = route.check(check_code)
    branch = check.branch(answer)
    if branch.action == "stay":
        return Destination(check.step, check.code)
    if branch.action == "goto" and branch.target is not None:
        if branch.back:
            return Destination(branch.target, check.code, back=True)
        return Destination(branch.target, route.step(branch.target).checks[0].code)
    checks = route.step(check.step).checks
    position = checks.index(check)
    if position + 1 < len(checks):
        return Destination(check.step, checks[position + 1].code)
    if check.step < len(route.steps):
        return Destination(check.step + 1, route.step(check.step + 1).checks[0].code)
    return Destination(check.step, None, complete=True)


def next_review(route: Route, evaluated_on: date) -> date:
    """Suggested date of the next team evaluation (step 8 recurs)."""
    months = evaluated_on.month - 1 + route.review_interval_months
    year, month = evaluated_on.year + months // 12, months % 12 + 1
    day = evaluated_on.day
    while True:  # clamp 31 -> 30/29/28
        try:
            return date(year, month, day)
        except ValueError:
            day -= 1


# --- journey ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    code: str
    evidence: str | None
    question: Text
    answer: bool | None  # None = unanswered


@dataclass(frozen=True, slots=True)
class Revisit:
    """A go back: ``check`` (at ``from_step``) sent the school back to ``to_step``."""

    check: str
    from_step: int
    to_step: int


@dataclass(frozen=True, slots=True)
class NextStep:
    """What the school should do next.

    kind: ``answer`` an open question; ``act`` work on a blocking "no", then answer again;
    ``revisit`` redo an earlier step, then answer the check that sent you back again;
    ``review`` the route is complete, evaluate again within ``review_interval_months``.
    """

    kind: NextKind
    step: int
    check: str | None
    module: str | None
    text: Text


@dataclass(frozen=True)
class Position:
    """Where a school stands on the route, computed by :func:`evaluate_journey`."""

    current_step: int
    current_phase: int
    state: State  # open | blocked | revisit | complete
    open_check: Check | None  # unanswered, blocking, or the latch of a go back
    statuses: Mapping[int, StepStatus] = field(hash=False)
    variant: str | None  # of step 5: "school" | "group" | None (step 4 not answered)
    flags: frozenset[str]
    checklist: tuple[ChecklistItem, ...]  # items of the checklist step (step 7), raw answers
    revisit: Revisit | None
    next_step: NextStep
    advice: Advice  # advice for now, see advice_for
    guidance: tuple[Text, ...]  # guiding questions of the current step (and variant)
    trail: tuple[tuple[str, bool], ...]  # the answers the walk used, in order
    unknown_codes: tuple[str, ...]  # answered codes that are not in the route

    @property
    def complete(self) -> bool:
        return self.state == "complete"

    @property
    def checklist_complete(self) -> bool:
        return bool(self.checklist) and all(i.answer is True for i in self.checklist)

    @property
    def checklist_missing(self) -> tuple[ChecklistItem, ...]:
        return tuple(i for i in self.checklist if i.answer is not True)

    def status(self, step: int) -> StepStatus:
        return self.statuses[step]

    def advice_for(self, role: str, lang: str) -> str:
        """Advice for now: of the blocking / go-back answer if there is one; else of the
        latest answer that brought the school here (checklist items excluded; a finished
        checklist gives its step's done advice); before any answer, the route's start advice.
        "" for an optional role without advice."""
        return self.advice.text(role, lang)

    def guiding_questions(self, lang: str) -> list[str]:
        return [t.get(lang) for t in self.guidance]


def evaluate_journey(route: Route, answers: Mapping[str, bool | None]) -> Position:
    """Compute the position from the latest answer per check code (missing/None = open)."""
    given: dict[str, bool] = {}
    for code, value in answers.items():
        if value is None:
            continue
        if not isinstance(value, bool):
            raise TypeError(f"answer for {code!r} must be True, False or None, not {value!r}")
        given[code] = value
    walk = _Walk(route, given)
    number = 1
    while True:
        step = route.step(number)
        for check in step.checks:
            answer = given.get(check.code)
            if answer is None:
                return walk.stop(number, "open", check)
            branch = check.branch(answer)
            walk.take(check, branch, step)
            if branch.action == "stay":
                return walk.stop(number, "blocked", check, branch.advice)
            if branch.action == "goto" and branch.target is not None:
                if branch.back:
                    revisit = Revisit(check.code, number, branch.target)
                    return walk.stop(branch.target, "revisit", check, branch.advice, revisit)
                number = branch.target  # validated: always number + 1
                break
        else:  # every check continued
            if step.done_advice is not None:
                walk.guide = step.done_advice
            if number == len(route.steps):
                return walk.stop(number, "complete", None)
            number += 1


def _status(number: int, current: int, last: int) -> StepStatus:
    """Before the current step: done; after it up to ``last`` (a go back): revisit."""
    if number < current:
        return "done"
    if number == current:
        return "current"
    return "revisit" if number <= last else "todo"


class _Walk:
    """Mutable state of one evaluate_journey walk."""

    def __init__(self, route: Route, given: dict[str, bool]) -> None:
        self.route = route
        self.given = given
        self.trail: list[tuple[str, bool]] = []
        self.flags: set[str] = set()
        self.variant: str | None = None
        self.guide: Advice = route.start

    def take(self, check: Check, branch: Branch, step: Step) -> None:
        self.trail.append((check.code, branch.answer))
        self.variant = branch.variant or self.variant
        self.flags.update(branch.flags)
        if not step.is_checklist:
            self.guide = branch.advice

    def stop(
        self,
        current: int,
        state: State,
        check: Check | None,
        now: Advice | None = None,
        revisit: Revisit | None = None,
    ) -> Position:
        route = self.route
        step = route.step(current)
        last = revisit.from_step if revisit else current
        statuses = {s.number: _status(s.number, current, last) for s in route.steps}
        checklist = tuple(
            ChecklistItem(c.code, c.evidence, c.question, self.given.get(c.code))
            for s in route.steps
            if s.is_checklist
            for c in s.checks
        )
        known = set(route.codes)
        if (
            state == "open"
            and check is not None
            and route.step(check.step).is_checklist
            and any(item.answer is not None for item in checklist)
        ):
            # Advice never repeats a check already answered: once items of the checklist are
            # answered, the advice that led into the step (about its first item) gives way
            # to what makes the open item a "yes".
            now = check.branch(False).advice
        return Position(
            current_step=current,
            current_phase=step.phase,
            state=state,
            open_check=check,
            statuses=statuses,
            variant=self.variant,
            flags=frozenset(self.flags),
            checklist=checklist,
            revisit=revisit,
            next_step=self.next_step(step, state, check),
            advice=now or self.guide,
            guidance=step.guidance_for(self.variant),
            trail=tuple(self.trail),
            unknown_codes=tuple(sorted(c for c in self.given if c not in known)),
        )

    def next_step(self, step: Step, state: State, check: Check | None) -> NextStep:
        kind: NextKind = {
            "open": "answer", "blocked": "act", "revisit": "revisit", "complete": "review"
        }[state]  # fmt: skip
        template = self.route.messages[kind]

        def render(lang: str) -> str:
            return template.get(lang).format(
                step=step.number,
                title=step.title.get(lang),
                question=check.question.get(lang) if check else "",
                months=self.route.review_interval_months,
            )

        text = Text(render("nl"), render("en"))
        return NextStep(kind, step.number, check.code if check else None, step.module, text)
