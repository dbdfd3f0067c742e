"""Turns a route state into what the pages and the PDF show, in the active language.

The route content carries its own Dutch and English; interface words go through gettext.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from teamwerk.core.i18n import current_language

from .evidence import Evidence
from .models import Answer
from .route import Check, Route, Step
from .selectors import GROUP_CHECK, GroupOverview, Perspective, RouteState, TimelineEntry

ROLE_LABELS = {
    "directie": gettext_lazy("Voor de directie"),
    "ict": gettext_lazy("Voor de ICT-coördinator"),
    "teamlid": gettext_lazy("Voor teamleden"),
}
STATE_LABELS = {
    "open": gettext_lazy("Wacht op een antwoord"),
    "blocked": gettext_lazy("Eerst werk aan deze stap"),
    "revisit": gettext_lazy("Een eerdere stap hernemen"),
    "complete": gettext_lazy("Doorlopen"),
}
STATUS_LABELS = {
    "done": gettext_lazy("klaar"),
    "current": gettext_lazy("nu bezig"),
    "todo": gettext_lazy("nog te doen"),
    "revisit": gettext_lazy("opnieuw bekijken"),
}
# Where the work of a step happens. The other modules are reversed defensively: a module
# without the page (yet) simply gets no link.
MODULE_LINKS = {
    "planning": ("plan_index", gettext_lazy("Naar het takenoverzicht")),
    "team": ("team_dashboard", gettext_lazy("Naar het team")),
    "group": ("stappenplan_group", gettext_lazy("Naar het groepsoverzicht")),
    "evaluation": ("evaluation_index", gettext_lazy("Naar de evaluatierondes")),
}
# Step 8's advice asks to record actions and to talk things through: those modules too.
MODULE_MORE_LINKS = {
    "evaluation": (
        ("actions_list", gettext_lazy("Naar de acties")),
        ("conversations_index", gettext_lazy("Naar de gesprekken")),
    ),
}
# Where the data behind an evidence key lives.
EVIDENCE_LINKS = {
    "plan_decided_share": ("plan_index", gettext_lazy("Open het takenoverzicht")),
    "recruit_outsource_tasks": ("plan_index", gettext_lazy("Open het takenoverzicht")),
    "no_expertise_tasks": ("team_dashboard", gettext_lazy("Open het teamoverzicht")),
    "team_members": ("team_people", gettext_lazy("Open de mensen van het team")),
    "owners": ("team_matrix", gettext_lazy("Open de taakverdeling")),
    "hours": ("team_matrix", gettext_lazy("Open de taakverdeling")),
    "mandates": ("documents_index", gettext_lazy("Open de functiebeschrijvingen")),
    "agreement": ("team_agreements", gettext_lazy("Open de afspraken van het team")),
    "last_evaluation": ("evaluation_index", gettext_lazy("Open de evaluatierondes")),
}


def _link(name: str, label) -> tuple[str, str] | None:
    try:
        return reverse(name), str(label)
    except NoReverseMatch:
        return None


def module_link(module: str | None, *, group_view: bool = False) -> tuple[str, str] | None:
    """(url, label) of the module page where the work of a step happens, or None."""
    if module not in MODULE_LINKS or (module == "group" and not group_view):
        return None
    return _link(*MODULE_LINKS[module])


def more_module_links(module: str | None) -> list[tuple[str, str]]:
    """Further (url, label) pairs for a step's work, e.g. the actions of step 8."""
    links = (_link(*spec) for spec in MODULE_MORE_LINKS.get(module or "", ()))
    return [link for link in links if link]


def evidence_link(key: str | None) -> tuple[str, str] | None:
    """(url, label) of the page that holds the data behind an evidence key, or None."""
    if not key:
        return None
    spec = EVIDENCE_LINKS.get(key.split(":", 1)[0])
    return _link(*spec) if spec else None


def person(answer: Answer | None) -> str:
    if answer is None:
        return ""
    user = answer.answered_by
    if user is None:
        return _("iemand die geen toegang meer heeft")
    return user.get_full_name() or user.email


@dataclass
class AdviceBlock:
    role: str
    label: str
    text: str
    own: bool  # the user's own role (not just shown for information)


def advice_blocks(advice_text, perspective: Perspective, lang: str) -> list[AdviceBlock]:
    """Advice per role in the order of the perspective, skipping roles without advice.

    ``advice_text(role, lang)`` gives the text (Position.advice_for or a branch's advice).
    """
    blocks = []
    for role in perspective.roles:
        text = advice_text(role, lang)
        if text:
            blocks.append(AdviceBlock(role, str(ROLE_LABELS[role]), text, perspective.can_edit))
    return blocks


@dataclass
class CheckView:
    check: Check
    question: str
    answer: Answer | None  # the current answer (None: open, or too old to count)
    stale: Answer | None  # a step-8 answer that is too old to count
    evidence: Evidence | None
    evidence_link: tuple[str, str] | None
    advice: list[AdviceBlock]  # for the current answer
    reached: bool  # the walk passed or stopped here (not skipped by an earlier answer)
    is_open: bool  # the check the school is at now

    @property
    def code(self) -> str:
        return self.check.code

    @property
    def answered_by(self) -> str:
        return person(self.answer)

    @property
    def version(self) -> int:
        """The newest answer the page shows (0 = none): the answer form's optimistic version."""
        shown = self.answer or self.stale
        return shown.pk if shown else 0


@dataclass
class StepView:
    step: Step
    number: int
    title: str
    summary: str
    status: str
    status_label: str
    is_current: bool
    checks: list[CheckView] = field(default_factory=list)


@dataclass
class PhaseView:
    number: int
    name: str
    steps: list[StepView]
    status: str  # done | current | todo


@dataclass
class TimelineView:
    entry: TimelineEntry
    step: int | None
    question: str

    @property
    def answer(self) -> Answer:
        return self.entry.answer

    @property
    def answered_by(self) -> str:
        return person(self.entry.answer)


def timeline_views(entries: list[TimelineEntry], lang: str) -> list[TimelineView]:
    return [
        TimelineView(
            entry=entry,
            step=entry.check.step if entry.check else None,
            question=entry.check.question.get(lang)
            if entry.check
            else _("Een vraag die niet meer in het stappenplan staat"),
        )
        for entry in entries
    ]


# A later step counts as "mostly done" by the data from this share on (e.g. 81% of the tasks
# have a trekker).
AHEAD_PROGRESS = 80


@dataclass
class AheadView:
    number: int
    title: str
    reasons: list[str]


class RouteDisplay:
    """All texts of one school's route in the active language, built once per request."""

    def __init__(
        self,
        state: RouteState,
        perspective: Perspective,
        evidence: dict[str, Evidence] | None = None,
        *,
        group_view: bool = False,
    ) -> None:
        self.state = state
        self.route: Route = state.route
        self.position = state.position
        self.perspective = perspective
        self.evidence = evidence or {}
        self.group_view = group_view
        self.lang = current_language()
        self._walked = {code for code, _answer in self.position.trail}

    # --- the whole route

    def step_view(self, step: Step, *, with_checks: bool = False) -> StepView:
        status = self.position.status(step.number)
        view = StepView(
            step=step,
            number=step.number,
            title=step.title.get(self.lang),
            summary=step.summary.get(self.lang),
            status=status,
            status_label=str(STATUS_LABELS[status]),
            is_current=step.number == self.position.current_step,
        )
        if with_checks:
            view.checks = [self.check_view(check) for check in step.checks]
        return view

    def phases(self) -> list[PhaseView]:
        result = []
        for phase in self.route.phases:
            steps = [self.step_view(self.route.step(n)) for n in phase.steps]
            if all(s.status == "done" for s in steps):
                status = "done"
            elif any(s.status in ("current", "revisit") for s in steps):
                status = "current"
            else:
                status = "todo"
            result.append(PhaseView(phase.number, phase.name.get(self.lang), steps, status))
        return result

    def check_view(self, check: Check) -> CheckView:
        answer = self.state.current.get(check.code)
        open_check = self.position.open_check
        is_open = open_check is not None and open_check.code == check.code
        reached = check.code in self._walked or is_open
        advice = []
        if answer is not None:
            branch = check.branch(answer.value)
            advice = advice_blocks(branch.advice.text, self.perspective, self.lang)
        return CheckView(
            check=check,
            question=check.question.get(self.lang),
            answer=answer,
            stale=self.state.stale.get(check.code),
            evidence=self.evidence.get(check.evidence) if check.evidence else None,
            evidence_link=evidence_link(check.evidence),
            advice=advice,
            reached=reached,
            is_open=is_open,
        )

    # --- now

    @property
    def current_step(self) -> StepView:
        return self.step_view(self.route.step(self.position.current_step))

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.position.state])

    @property
    def open_check(self) -> CheckView | None:
        check = self.position.open_check
        return self.check_view(check) if check else None

    @property
    def next_step_text(self) -> str:
        return self.position.next_step.text.get(self.lang)

    @property
    def advice_now(self) -> list[AdviceBlock]:
        return advice_blocks(self.position.advice_for, self.perspective, self.lang)

    @property
    def ahead(self) -> list[AheadView]:
        """Later steps whose work the data shows done (or mostly done), while the route
        still waits at an earlier step: the route says so and offers to move on."""
        position = self.position
        if position.complete:
            return []
        result = []
        for step in self.route.steps:
            if step.number <= position.current_step:
                continue
            reasons = []
            for check in step.checks:
                answer = self.state.current.get(check.code)
                if answer is not None and answer.value:
                    continue
                evidence = self.evidence.get(check.evidence) if check.evidence else None
                if evidence is None or not evidence.available:
                    continue
                done = evidence.hint is True or (
                    evidence.progress is not None and evidence.progress >= AHEAD_PROGRESS
                )
                if done:
                    summary = evidence.summary
                    if summary.endswith(":") and evidence.why:
                        summary = evidence.why[:1].upper() + evidence.why[1:] + "."
                    reasons.append(summary)
            if reasons:
                result.append(AheadView(step.number, step.title.get(self.lang), reasons))
        return result

    @property
    def guiding_questions(self) -> list[str]:
        return self.position.guiding_questions(self.lang)

    @property
    def module_link(self) -> tuple[str, str] | None:
        return module_link(self.position.next_step.module, group_view=self.group_view)

    @property
    def more_module_links(self) -> list[tuple[str, str]]:
        return more_module_links(self.position.next_step.module)

    @property
    def checklist_step(self) -> StepView | None:
        """The checklist step (7) with its items, while it is the step the school is at."""
        for step in self.route.steps:
            if step.is_checklist and step.number == self.position.current_step:
                return self.step_view(step, with_checks=True)
        return None

    @property
    def checklist_done(self) -> int:
        return sum(1 for item in self.position.checklist if item.answer is True)

    @property
    def checklist_total(self) -> int:
        return len(self.position.checklist)

    @property
    def decisions(self) -> list[StepView]:
        """Every step with its checks and current answers (the print and the step pages)."""
        return [self.step_view(step, with_checks=True) for step in self.route.steps]

    def timeline(self, entries: list[TimelineEntry]) -> list[TimelineView]:
        return timeline_views(entries, self.lang)

    def guidance_for_step(self, step: Step) -> list[tuple[str, list[str]]]:
        """(heading, questions) for a step page: the school's variant, or both when unknown."""
        variant = self.position.variant
        if variant or not step.guidance:
            questions = [t.get(self.lang) for t in step.guidance_for(variant)]
            return [("", questions)] if questions else []
        headings = {
            "school": _("Als de school het alleen doet"),
            "group": _("Als de groep middelen samenlegt"),
        }
        blocks = []
        common = [t.get(self.lang) for t in step.guidance.get("all", ())]
        if common:
            blocks.append(("", common))
        for variant_key, heading in headings.items():
            items = [t.get(self.lang) for t in step.guidance.get(variant_key, ())]
            if items:
                blocks.append((heading, items))
        return blocks


@dataclass
class StuckView:
    code: str
    step: int
    question: str
    rows: list


class GroupDisplay:
    """The group overview in the active language."""

    READ_ONLY = Perspective(can_edit=False, roles=())

    def __init__(self, overview: GroupOverview) -> None:
        self.overview = overview
        self.route = overview.route
        self.lang = current_language()

    def rows(self) -> list[tuple]:
        return [(row, RouteDisplay(row.state, self.READ_ONLY)) for row in self.overview.rows]

    def phase_counts(self) -> list[dict]:
        return [
            {"number": phase.number, "name": phase.name.get(self.lang), "count": count}
            for phase, count in self.overview.phase_counts()
        ]

    def stuck(self) -> list[StuckView]:
        return [
            StuckView(s.check.code, s.check.step, s.check.question.get(self.lang), s.rows)
            for s in self.overview.stuck
        ]

    @property
    def group_question(self) -> str:
        return self.route.check(GROUP_CHECK).question.get(self.lang)

    def timeline(self) -> list[TimelineView]:
        return timeline_views(self.overview.group_timeline, self.lang)
