"""Reads for the home page, "waar sta ik en wat nu": the school's step and its open check,
my tasks and hours, what needs me, and for group roles every school side by side.

Every read goes through the modules' own scoped selectors; the side-by-side table does a
fixed number of queries whatever the number of schools (pinned by a test).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from teamwerk.core.figures import SchoolFigures, figures_of_school, school_figures
from teamwerk.tenancy.models import Organisation, School
from teamwerk.tenancy.roles import Action
from teamwerk.tenancy.selectors import current_school_year, has_group_view, user_can

REVIEW_SOON_DAYS = 30


@dataclass
class RouteSummary:
    step: int
    title: str
    state: str
    state_label: str
    open_question: str
    url: str


@dataclass
class NeedsMe:
    """One thing on the home page that asks for the user's attention."""

    key: str
    text: str
    url: str
    level: str = "warning"  # warning | danger | info


@dataclass
class MyWork:
    person: object
    owned: list = field(default_factory=list)
    backing: list = field(default_factory=list)
    hours_used: object = 0
    hours_available: object = 0
    url: str = ""


@dataclass
class SchoolHome:
    school: School
    figures: SchoolFigures
    route: RouteSummary | None
    my_work: MyWork | None
    needs_me: list[NeedsMe]
    can_edit: bool


def _route_summary(state, school: School) -> RouteSummary:
    from teamwerk.core.i18n import current_language
    from teamwerk.stappenplan.display import STATE_LABELS

    lang = current_language()
    position = state.position
    step = state.route.step(position.current_step)
    check = position.open_check
    return RouteSummary(
        step=step.number,
        title=step.title.get(lang),
        state=position.state,
        state_label=str(STATE_LABELS[position.state]),
        open_question=check.question.get(lang) if check else "",
        url=reverse("stappenplan_school", args=[school.pk]),
    )


def school_home(user, school: School) -> SchoolHome:
    """The current school's part of the home page (the caller's user may view the school)."""
    from teamwerk.stappenplan import selectors as route_selectors
    from teamwerk.team import selectors as team_selectors
    from teamwerk.team.models import Agreement, Competence

    year = current_school_year(school.organisation)
    figures = figures_of_school(school, year)
    journey = route_selectors.journey_for_school(user, school)
    state = route_selectors.position_for(journey)
    route = _route_summary(state, school)
    can_edit = user_can(user, Action.EDIT, school=school)

    my_work = None
    needs: list[NeedsMe] = []
    person = team_selectors.my_person(user, school.organisation)
    if person is not None:
        overview = team_selectors.person_overview(person, school, year)
        my_work = MyWork(
            person=person,
            owned=overview.owned,
            backing=overview.backing,
            hours_used=overview.hours_used,
            hours_available=overview.hours_available,
            url=reverse("team_my_tasks"),
        )
        rated = Competence.objects.filter(person=person, set_by_self=True).exists()
        if not rated:
            needs.append(
                NeedsMe(
                    "rate_yourself",
                    _(
                        "Vul in wat je kunt en graag doet: zo kan de school de taken "
                        "eerlijk verdelen."
                    ),
                    reverse("team_my_competences"),
                    "info",
                )
            )
        if overview.hours_used > overview.hours_available:
            needs.append(
                NeedsMe(
                    "my_hours",
                    _("Je hebt meer uren aan taken dan ICT-uren: bespreek het met je directie."),
                    reverse("team_my_tasks"),
                    "danger",
                )
            )
    if can_edit and figures.has_plan:
        if figures.without_owner:
            needs.append(
                NeedsMe(
                    "no_owner",
                    ngettext(
                        "%(count)d taak van het eigen team heeft nog geen trekker.",
                        "%(count)d taken van het eigen team hebben nog geen trekker.",
                        figures.without_owner,
                    )
                    % {"count": figures.without_owner},
                    reverse("team_dashboard_list", args=["zonder-trekker"]),
                )
            )
        if figures.over_hours:
            needs.append(
                NeedsMe(
                    "over_hours",
                    ngettext(
                        "%(count)d persoon heeft meer uren aan taken dan ICT-uren.",
                        "%(count)d mensen hebben meer uren aan taken dan ICT-uren.",
                        figures.over_hours,
                    )
                    % {"count": figures.over_hours},
                    reverse("team_dashboard_list", args=["boven-uren"]),
                    "danger",
                )
            )
    if can_edit and not figures.has_plan:
        needs.append(
            NeedsMe(
                "no_plan",
                _("Er is nog geen takenoverzicht voor dit schooljaar."),
                reverse("plan_index"),
            )
        )
    today = timezone.localdate()
    soon = today + dt.timedelta(days=REVIEW_SOON_DAYS)
    if can_edit:
        due = list(
            Agreement.objects.for_user(user)
            .filter(school=school, school_year=year, review_on__isnull=False, review_on__lte=soon)
            .order_by("review_on")
            .values_list("review_on", flat=True)[:50]
        )
        if due:
            needs.append(
                NeedsMe(
                    "agreement_review",
                    ngettext(
                        "%(count)d afspraak moet opnieuw bekeken worden (ten laatste %(date)s).",
                        "%(count)d afspraken moeten opnieuw bekeken worden (de eerste %(date)s).",
                        len(due),
                    )
                    % {"count": len(due), "date": _day(due[0])},
                    reverse("team_agreements"),
                    "danger" if due[0] < today else "warning",
                )
            )
        review = state.next_review_on
        if review is not None and review <= soon:
            needs.append(
                NeedsMe(
                    "route_review",
                    _("De ICT-teamwerking moet opnieuw geëvalueerd worden (ten laatste %(date)s).")
                    % {"date": _day(review)},
                    reverse("stappenplan_step", args=[school.pk, 8]),
                    "danger" if review < today else "warning",
                )
            )
    return SchoolHome(school, figures, route, my_work, needs, can_edit)


def _day(value: dt.date) -> str:
    from django.utils import formats

    return formats.date_format(value, "j F Y")


# --- every school side by side -------------------------------------------------------------

SORTS = {
    "naam": gettext_lazy("school"),
    "stap": gettext_lazy("stap"),
    "beslist": gettext_lazy("beslist"),
    "trekkers": gettext_lazy("met trekker"),
    "uren": gettext_lazy("uren nodig"),
    "boven": gettext_lazy("boven hun uren"),
}
PAGE_SIZE = 100  # more than that: the table says how many it leaves out


@dataclass
class SchoolRow:
    school: School
    figures: SchoolFigures
    step: int
    state: str
    state_label: str
    open_question: str

    @property
    def needs_attention(self) -> bool:
        f = self.figures
        return (
            self.state == "blocked"
            or not f.has_plan
            or f.without_owner > 0
            or f.over_hours > 0
            or f.hours_needed > f.budget
        )


@dataclass
class SchoolsTable:
    rows: list[SchoolRow]
    matching: int  # rows that pass the filter (``rows`` holds at most PAGE_SIZE of them)
    total: int
    sort: str
    descending: bool
    query: str
    step: int | None
    attention: bool
    steps: list[int]

    @property
    def filtered(self) -> bool:
        return bool(self.query or self.step or self.attention)


def _sort_key(sort: str):
    return {
        "naam": lambda r: r.school.name.lower(),
        "stap": lambda r: (r.step, r.state != "blocked", r.school.name.lower()),
        "beslist": lambda r: (r.figures.decided_percent, r.school.name.lower()),
        "trekkers": lambda r: (r.figures.owner_percent, r.school.name.lower()),
        "uren": lambda r: (r.figures.hours_needed, r.school.name.lower()),
        "boven": lambda r: (r.figures.over_hours, r.school.name.lower()),
    }[sort]


def schools_table(user, organisation: Organisation, params) -> SchoolsTable | None:
    """Every school of the organisation the user may see, with its step and figures,
    sorted and filtered on the server (``params``: the GET parameters ``sort``, ``q``,
    ``stap``, ``aandacht``). None for users without a group view. A fixed number of
    queries, whatever the number of schools."""
    from teamwerk.stappenplan.models import Journey
    from teamwerk.stappenplan.route import default_route
    from teamwerk.stappenplan.selectors import latest_answers, position_for

    if organisation is None or not has_group_view(user, organisation):
        return None
    raw_sort = params.get("sort", "naam") or "naam"
    descending = raw_sort.startswith("-")
    sort = raw_sort.lstrip("-")
    if sort not in SORTS:
        sort, descending = "naam", False
    query = (params.get("q") or "").strip()[:100]
    try:
        step = int(params.get("stap") or 0) or None
    except ValueError:
        step = None
    route = default_route()
    if step is not None and not 1 <= step <= len(route.steps):
        step = None
    attention = params.get("aandacht") == "1"

    schools = list(
        School.objects.for_user(user, Action.VIEW)
        .active()
        .filter(organisation=organisation)
        .select_related("organisation")
        .order_by("name")
    )
    total = len(schools)
    if query:
        schools = [s for s in schools if query.lower() in s.name.lower()]
    year = current_school_year(organisation)
    figures = school_figures(schools, {organisation.pk: year})
    journeys = {
        j.school_id: j
        for j in Journey.objects.for_user(user, Action.VIEW).filter(
            organisation=organisation, school__in=[s.pk for s in schools]
        )
    }
    answers = latest_answers([j.pk for j in journeys.values()])
    today = timezone.localdate()
    from teamwerk.core.i18n import current_language
    from teamwerk.stappenplan.display import STATE_LABELS

    lang = current_language()
    rows = []
    for school in schools:
        journey = journeys.get(school.pk)
        state = position_for(
            journey,
            answers=answers.get(journey.pk, {}) if journey else {},
            today=today,
            route=route,
        )
        position = state.position
        check = position.open_check
        rows.append(
            SchoolRow(
                school=school,
                figures=figures[school.pk],
                step=position.current_step,
                state=position.state,
                state_label=str(STATE_LABELS[position.state]),
                open_question=check.question.get(lang) if check else "",
            )
        )
    if step is not None:
        rows = [r for r in rows if r.step == step]
    if attention:
        rows = [r for r in rows if r.needs_attention]
    rows.sort(key=_sort_key(sort), reverse=descending)
    return SchoolsTable(
        rows=rows[:PAGE_SIZE],
        matching=len(rows),
        total=total,
        sort=sort,
        descending=descending,
        query=query,
        step=step,
        attention=attention,
        steps=[s.number for s in route.steps],
    )
