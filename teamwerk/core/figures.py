"""One number, one meaning: the figures every page shows about a school's tasks and hours.

Each figure has one key, one label and one short explanation (``MEANINGS``), and is computed
in one place:

- which planned task counts as work for the own team, and with how many hours:
  ``counts_for_team`` and ``task_hours`` (the plan, the dashboard, the assistant and the route
  all use these two);
- the figures of many schools at once, in a fixed number of queries: ``school_figures``.

Templates show a figure with ``{% figure "hours_needed" value %}`` (``core/_figure.html``),
which carries ``data-figure`` and ``data-value`` so a test can read every page and check that
they agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from teamwerk.planning.models import Horizon, Level, PlannedTask, Sourcing, TaskPlan

ZERO = Decimal("0")

# Work the own team (or the group) does this year: these tasks are divided over people.
TEAM_WORK = Q(
    applies=True,
    horizon__in=["", Horizon.NOW],
    sourcing__in=["", Sourcing.TEAM, Sourcing.GROUP],
)
# Work that applies this year but that nobody inside does: the question of step 6.
RECRUIT_OR_OUTSOURCE = Q(
    applies=True,
    horizon__in=["", Horizon.NOW],
    sourcing__in=[Sourcing.RECRUIT, Sourcing.OUTSOURCE],
)
AT_GROUP_LEVEL = Q(applies=True) & (Q(level=Level.GROUP) | Q(sourcing=Sourcing.GROUP))
UNDECIDED = Q(applies__isnull=True) | Q(applies=True) & (
    Q(horizon="") | Q(sourcing="") | Q(level="")
)


def counts_for_team(planned_task: PlannedTask) -> bool:
    """The task applies this year and the own team or the group does it."""
    return (
        bool(planned_task.applies)
        and planned_task.horizon in ("", Horizon.NOW)
        and planned_task.sourcing in ("", Sourcing.TEAM, Sourcing.GROUP)
    )


def task_hours(planned_task: PlannedTask) -> Decimal:
    """The plan's hours, or the middle of the catalogue's usual range when the plan has none."""
    if planned_task.hours is not None:
        return Decimal(planned_task.hours)
    return Decimal(planned_task.task.usual_hours_mid)


@dataclass(frozen=True)
class Meaning:
    label: Promise
    explanation: Promise
    hours: bool = False


MEANINGS: dict[str, Meaning] = {
    "hours_needed": Meaning(
        _("Uren nodig"),
        _(
            "De uren van de taken die dit schooljaar van toepassing zijn en die het eigen team "
            "of de groep doet. Taken die je uitbesteedt of waarvoor je iemand aanwerft, tellen "
            "niet mee. Zonder eigen schatting telt het midden van wat de catalogus aangeeft."
        ),
        hours=True,
    ),
    "hours_divided": Meaning(
        _("Uren verdeeld"),
        _(
            "De uren die trekkers en back-ups in deze school samen op hun taken hebben staan. "
            "Een nieuwe trekker krijgt de uren van de taak; een back-up standaard geen."
        ),
        hours=True,
    ),
    "hours_available": Meaning(
        _("Uren beschikbaar"),
        _("De ICT-uren die de mensen dit schooljaar samen in deze school krijgen."),
        hours=True,
    ),
    "budget": Meaning(
        _("Budget"),
        _(
            "De ICT-uren per jaar die de school voor ICT-coördinatie voorziet (ingesteld bij "
            "de school). Voor de groep: de scholen samen."
        ),
        hours=True,
    ),
    "tasks_plan": Meaning(
        _("Taken in het takenoverzicht"),
        _("Alle taken op het takenoverzicht, beslist of niet, van toepassing of niet."),
    ),
    "tasks_team": Meaning(
        _("Taken voor het eigen team"),
        _(
            "Taken die dit schooljaar van toepassing zijn en die het eigen team of de groep "
            "doet: die verdeel je over trekkers en back-ups."
        ),
    ),
    "tasks_with_owner": Meaning(
        _("Taken met een trekker"),
        _("Taken voor het eigen team die een trekker hebben."),
    ),
    "tasks_group": Meaning(
        _("Taken op groepsniveau"),
        _("Taken die van toepassing zijn en op het niveau van de groep geregeld worden."),
    ),
    "over_hours": Meaning(
        _("Mensen boven hun uren"),
        _("Mensen die meer uren aan taken hebben staan dan ze ICT-uren krijgen in deze school."),
    ),
    "person_hours_divided": Meaning(
        _("Uren aan taken"),
        _("De uren die deze persoon in deze school op de eigen taken heeft staan."),
        hours=True,
    ),
    "person_hours_available": Meaning(
        _("ICT-uren"),
        _("De ICT-uren die deze persoon dit schooljaar in deze school krijgt."),
        hours=True,
    ),
}


def plain_number(value) -> str:
    """The value as data-value carries it: 93, 7.5 (no grouping, a dot)."""
    if value is None or value == "":
        return "0"
    number = Decimal(str(value)).quantize(Decimal("0.1")).normalize()
    text = format(number, "f")
    return "0" if text in ("-0", "") else text


@dataclass
class SchoolFigures:
    """The figures of one school in one school year, as every page shows them."""

    school: object
    school_year: object
    has_plan: bool = False
    tasks_plan: int = 0
    undecided: int = 0
    tasks_team: int = 0
    tasks_with_owner: int = 0
    tasks_with_backup: int = 0
    tasks_group: int = 0
    hours_needed: Decimal = ZERO
    hours_divided: Decimal = ZERO
    hours_available: Decimal = ZERO
    budget: Decimal = ZERO
    over_hours: int = 0

    @property
    def decided_percent(self) -> int:
        if not self.tasks_plan:
            return 0
        return round(100 * (self.tasks_plan - self.undecided) / self.tasks_plan)

    @property
    def owner_percent(self) -> int:
        return round(100 * self.tasks_with_owner / self.tasks_team) if self.tasks_team else 0

    @property
    def backup_percent(self) -> int:
        return round(100 * self.tasks_with_backup / self.tasks_team) if self.tasks_team else 0

    @property
    def without_owner(self) -> int:
        return self.tasks_team - self.tasks_with_owner


def plan_counts(plan_ids) -> dict[int, dict[str, int]]:
    """Per plan: tasks in it, undecided, at group level (one query)."""
    rows = (
        TaskPlan.objects.filter(pk__in=list(plan_ids))
        .annotate(
            n_plan=Count("items"),
            n_undecided=Count("items", filter=_prefixed(UNDECIDED)),
            n_group=Count("items", filter=_prefixed(AT_GROUP_LEVEL)),
        )
        .values("pk", "n_plan", "n_undecided", "n_group")
    )
    return {r["pk"]: r for r in rows}


def _prefixed(condition: Q) -> Q:
    """The same condition on the plan's items (``items__…``)."""
    result = Q()
    result.connector = condition.connector
    result.negated = condition.negated
    for child in condition.children:
        if isinstance(child, Q):
            result.children.append(_prefixed(child))
        else:
            key, value = child
            result.children.append((f"items__{key}", value))
    return result


def school_figures(schools, years: dict) -> dict[int, SchoolFigures]:
    """The figures of every school given, in a fixed number of queries (whatever their
    number). ``years`` maps an organisation id to its school year."""
    from teamwerk.team.selectors import figures_for_schools

    dashboards = figures_for_schools(list(schools), years)
    plans = {
        p.school_id: p.pk
        for p in TaskPlan.objects.filter(
            school_id__in=[s.pk for s in schools],
            school_year_id__in=[y.pk for y in years.values() if y is not None],
        ).only("pk", "school_id")
    }
    counts = plan_counts(plans.values())
    result = {}
    for school in schools:
        d = dashboards[school.pk]
        c = counts.get(plans.get(school.pk), {})
        result[school.pk] = SchoolFigures(
            school=school,
            school_year=d.school_year,
            has_plan=d.has_plan,
            tasks_plan=c.get("n_plan", 0),
            undecided=c.get("n_undecided", 0),
            tasks_team=d.task_count,
            tasks_with_owner=d.with_owner,
            tasks_with_backup=d.with_backup,
            tasks_group=c.get("n_group", 0),
            hours_needed=d.hours_needed,
            hours_divided=d.hours_assigned,
            hours_available=d.hours_available,
            budget=d.school_budget,
            over_hours=len(d.over_hours),
        )
    return result


def figures_of_school(school, school_year) -> SchoolFigures:
    return school_figures([school], {school.organisation_id: school_year})[school.pk]
