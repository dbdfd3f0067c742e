"""Reads of the step plan, always scoped to the user: journeys, positions, timelines."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils import timezone

from teamwerk.tenancy.models import Organisation, School
from teamwerk.tenancy.roles import Action, Role
from teamwerk.tenancy.selectors import has_group_view, roles_of, school_get, user_can

from . import services
from .models import Answer, Journey
from .route import Check, Position, Route, default_route, evaluate_journey, next_review

GROUP_CHECK = "S4.pooling"
# The step-8 checks recur: an answer older than the review interval asks to evaluate again.
RECURRING_STEP = 8


# --- answers ------------------------------------------------------------------------------


def _latest_only(answers):
    """Keep the newest answer per journey and check (ties on the same moment: highest id)."""
    newer = Answer.objects.filter(
        journey=OuterRef("journey"), check_code=OuterRef("check_code")
    ).filter(
        Q(answered_at__gt=OuterRef("answered_at"))
        | Q(answered_at=OuterRef("answered_at"), pk__gt=OuterRef("pk"))
    )
    return answers.exclude(Exists(newer))


def current_answers_to(check_code: str):
    """The answer that counts for ``check_code`` in every journey (one query)."""
    return _latest_only(Answer.objects.filter(check_code=check_code))


def latest_answers(journey_ids: Iterable[int]) -> dict[int, dict[str, Answer]]:
    """journey id -> {check code: its current answer}, in one query for many journeys."""
    by_journey: dict[int, dict[str, Answer]] = defaultdict(dict)
    ids = [pk for pk in journey_ids if pk is not None]
    if not ids:
        return by_journey
    rows = _latest_only(Answer.objects.filter(journey_id__in=ids)).select_related("answered_by")
    for answer in rows:
        by_journey[answer.journey_id][answer.check_code] = answer
    return by_journey


def _is_stale(route: Route, answer: Answer, today: dt.date) -> bool:
    if route.check(answer.check_code).step != RECURRING_STEP:
        return False
    return today >= next_review(route, timezone.localdate(answer.answered_at))


# --- position -----------------------------------------------------------------------------


@dataclass
class RouteState:
    """Where a journey stands, with the answers behind it."""

    journey: Journey | None
    position: Position
    current: dict[str, Answer]  # the answer that counts, per check code
    stale: dict[str, Answer]  # step-8 answers too old to count: evaluate again
    route: Route = field(repr=False)

    @property
    def last_answer(self) -> Answer | None:
        answers = [*self.current.values(), *self.stale.values()]
        return max(answers, key=lambda a: (a.answered_at, a.pk), default=None)

    @property
    def open_answer(self) -> Answer | None:
        """The current answer to the open check (a blocking "no", or the go-back latch)."""
        check = self.position.open_check
        return self.current.get(check.code) if check else None

    @property
    def evaluated_on(self) -> dt.date | None:
        answer = self.current.get("S8.evaluated")
        if answer is None or not answer.value:
            return None
        return timezone.localdate(answer.answered_at)

    @property
    def next_review_on(self) -> dt.date | None:
        evaluated = self.evaluated_on
        return next_review(self.route, evaluated) if evaluated else None

    @property
    def answered_count(self) -> int:
        return len(self.current)


def position_for(
    journey: Journey | None,
    *,
    answers: dict[str, Answer] | None = None,
    today: dt.date | None = None,
    route: Route | None = None,
) -> RouteState:
    """Evaluate the route with the latest answers of the journey (``answers`` if preloaded)."""
    route = route or default_route()
    today = today or timezone.localdate()
    if answers is None:
        answers = latest_answers([journey.pk]).get(journey.pk, {}) if journey else {}
    current: dict[str, Answer] = {}
    stale: dict[str, Answer] = {}
    for code, answer in answers.items():
        if code not in route.codes:
            continue  # a check removed from the route: kept in the timeline, not evaluated
        (stale if _is_stale(route, answer, today) else current)[code] = answer
    position = evaluate_journey(route, {code: a.value for code, a in current.items()})
    return RouteState(journey, position, current, stale, route)


# --- reading a school's journey -----------------------------------------------------------


def route_school_get(user, pk) -> School:
    """A school whose route the user may read, or 404."""
    return school_get(user, pk, Action.VIEW)


def journey_for_school(user, school: School) -> Journey:
    """The school's journey (created empty on first use), if the user may read the school."""
    if not user_can(user, Action.VIEW, school=school):
        raise Http404
    return services.journey_ensure(school=school)


def group_journey(user, organisation: Organisation) -> Journey | None:
    """The group's own journey, readable by every member of the organisation."""
    return (
        Journey.objects.for_user(user, Action.VIEW)
        .filter(organisation=organisation, school__isnull=True)
        .first()
    )


@dataclass(frozen=True)
class Perspective:
    """How the user sees a school's route: which advice, and whether they may answer."""

    can_edit: bool
    roles: tuple[str, ...]  # route roles whose advice is shown, the user's own first

    @property
    def read_only(self) -> bool:
        return not self.can_edit


def perspective_for(user, school: School) -> Perspective:
    """Directie (and beheerder) see the directie advice, ICT-coördinatoren the ict advice;
    who only reads (teamlid, lezer) sees both, after the teamlid advice where there is one."""
    held = set(roles_of(user, school=school))
    can_edit = user_can(user, Action.EDIT, school=school)
    own = []
    if held & {Role.DIRECTIE, Role.BEHEERDER}:
        own.append("directie")
    if Role.ICT in held:
        own.append("ict")
    if can_edit and own:
        return Perspective(True, tuple(own))
    return Perspective(can_edit, ("teamlid", "directie", "ict"))


# --- timeline -----------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    answer: Answer
    check: Check | None  # None: a check no longer in the route
    previous: Answer | None  # the answer to the same check this one replaced
    superseded: bool  # a newer answer to the same check exists
    stale: bool  # a step-8 answer older than the review interval

    @property
    def changed(self) -> bool:
        return self.previous is not None and self.previous.value != self.answer.value


def timeline(
    journey: Journey | None,
    *,
    codes: Iterable[str] | None = None,
    today: dt.date | None = None,
) -> list[TimelineEntry]:
    """Every answer of the journey, newest first, each knowing what it replaced."""
    if journey is None or journey.pk is None:
        return []
    route = default_route()
    today = today or timezone.localdate()
    answers = journey.answers.select_related("answered_by").order_by("answered_at", "pk")
    if codes is not None:
        answers = answers.filter(check_code__in=list(codes))
    last: dict[str, Answer] = {}
    entries: list[tuple[Answer, Answer | None]] = []
    for answer in answers:
        entries.append((answer, last.get(answer.check_code)))
        last[answer.check_code] = answer
    known = set(route.codes)
    result = []
    for answer, previous in reversed(entries):
        check = route.check(answer.check_code) if answer.check_code in known else None
        is_current = last[answer.check_code].pk == answer.pk
        result.append(
            TimelineEntry(
                answer=answer,
                check=check,
                previous=previous,
                superseded=not is_current,
                stale=is_current and check is not None and _is_stale(route, answer, today),
            )
        )
    return result


# --- the group ----------------------------------------------------------------------------


@dataclass
class SchoolRow:
    school: School
    state: RouteState


@dataclass
class StuckCheck:
    check: Check
    rows: list[SchoolRow]


@dataclass
class GroupOverview:
    organisation: Organisation
    rows: list[SchoolRow]
    group_journey: Journey | None
    group_answer: Answer | None  # the group's current answer to step 4
    group_timeline: list[TimelineEntry]
    can_answer: bool  # organisation-wide EDIT: may answer step 4 for the group
    route: Route = field(repr=False)

    @property
    def stuck(self) -> list[StuckCheck]:
        """Schools that are not through, grouped by the check they wait on (route order)."""
        by_code: dict[str, list[SchoolRow]] = defaultdict(list)
        for row in self.rows:
            check = row.state.position.open_check
            if check is not None:
                by_code[check.code].append(row)
        return [
            StuckCheck(self.route.check(code), by_code[code])
            for code in self.route.codes
            if code in by_code
        ]

    def phase_counts(self) -> list[tuple[object, int]]:
        counts = defaultdict(int)
        for row in self.rows:
            counts[row.state.position.current_phase] += 1
        return [(phase, counts[phase.number]) for phase in self.route.phases]


def group_overview(user, organisation: Organisation | None) -> GroupOverview:
    """Every school of the group side by side; for directie without a school and beheerder."""
    if organisation is None or not has_group_view(user, organisation):
        raise Http404
    route = default_route()
    today = timezone.localdate()
    schools = list(
        School.objects.for_user(user, Action.VIEW)
        .active()
        .filter(organisation=organisation)
        .select_related("organisation")
        .order_by("name")
    )
    journeys = {
        j.school_id: j
        for j in Journey.objects.for_user(user, Action.VIEW).filter(
            organisation=organisation, school__in=schools
        )
    }
    group = group_journey(user, organisation)
    answers = latest_answers([*(j.pk for j in journeys.values()), group.pk if group else None])
    rows = [
        SchoolRow(
            school,
            position_for(
                journeys.get(school.pk),
                answers=answers.get(getattr(journeys.get(school.pk), "pk", None), {}),
                today=today,
                route=route,
            ),
        )
        for school in schools
    ]
    group_answers = answers.get(group.pk, {}) if group else {}
    return GroupOverview(
        organisation=organisation,
        rows=rows,
        group_journey=group,
        group_answer=group_answers.get(GROUP_CHECK),
        group_timeline=timeline(group, codes=[GROUP_CHECK], today=today),
        can_answer=user_can(user, Action.EDIT, organisation=organisation),
        route=route,
    )


def group_answer_for_school(user, school: School) -> Answer | None:
    """The group's current answer to step 4, shown next to a school's own step 4."""
    group = group_journey(user, school.organisation)
    if group is None:
        return None
    return latest_answers([group.pk]).get(group.pk, {}).get(GROUP_CHECK)
