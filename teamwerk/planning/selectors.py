"""Reads for task plans, always through the user's scope; summaries computed in one pass."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.paginator import Paginator
from django.db.models import OuterRef, QuerySet, Subquery, Sum
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from teamwerk.catalogue.models import Domain, Level, Task
from teamwerk.core.figures import counts_for_team, task_hours
from teamwerk.tenancy.models import Organisation, School, SchoolYear
from teamwerk.tenancy.roles import Action
from teamwerk.tenancy.terms import fill_terms

from .models import Horizon, PendingImport, PlannedTask, Sourcing, TaskPlan
from .services import can_edit_plan
from .values import EDITABLE_FIELDS, display_value, field_label

ZERO = Decimal(0)


def plans_for_user(user, action: str = Action.VIEW) -> QuerySet[TaskPlan]:
    return TaskPlan.objects.for_user(user, action).select_related(
        "school", "organisation", "school_year"
    )


def plan_get(user, pk, action: str = Action.VIEW) -> TaskPlan:
    """A plan inside the user's scope for the action, or 404 (existence is not leaked)."""
    try:
        return plans_for_user(user, action).get(pk=pk)
    except (TaskPlan.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def plan_for(user, *, organisation, school, school_year) -> TaskPlan | None:
    plans = plans_for_user(user).filter(organisation=organisation, school_year=school_year)
    return plans.filter(school=school).first() if school else plans.filter(school=None).first()


def plans_of_place(user, *, organisation, school) -> list[TaskPlan]:
    """Every year's plan of a school (or of the group), newest first."""
    plans = plans_for_user(user).filter(organisation=organisation)
    plans = plans.filter(school=school) if school else plans.filter(school=None)
    return list(plans.order_by("-school_year__start_year"))


def item_get(user, plan: TaskPlan, pk) -> PlannedTask:
    try:
        return (
            PlannedTask.objects.for_user(user)
            .select_related("task", "task__domain", "plan")
            .get(pk=pk, plan=plan)
        )
    except (PlannedTask.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def plan_items(plan: TaskPlan) -> list[PlannedTask]:
    """Every task of the plan with its task and domain: one query, whatever the size."""
    return list(
        plan.items.select_related("task", "task__domain").order_by(
            "task__domain__order", "task__code"
        )
    )


# -- decisions and totals ----------------------------------------------------------------------


def missing_choices(item: PlannedTask) -> list[str]:
    """What still has to be decided for this task, as field labels."""
    if item.applies is None:
        return [field_label("applies")]
    if item.applies is False:
        return []
    return [
        field_label(name) for name in ("horizon", "level", "sourcing") if not getattr(item, name)
    ]


@dataclass
class Totals:
    count: int = 0
    applies: int = 0
    not_applies: int = 0
    undecided: int = 0
    hours_now: Decimal = ZERO
    hours_later: Decimal = ZERO
    group: int = 0

    def add(self, item: PlannedTask) -> None:
        self.count += 1
        if item.applies:
            self.applies += 1
        elif item.applies is False:
            self.not_applies += 1
        if not item.is_decided:
            self.undecided += 1
        if counts_for_team(item):
            # Hours needed: the one definition of core.figures (own team or group, this year).
            self.hours_now += task_hours(item)
        elif item.applies and item.horizon == Horizon.LATER:
            self.hours_later += item.hours or ZERO
        if item.applies and (item.level == Level.GROUP or item.sourcing == Sourcing.GROUP):
            self.group += 1

    @property
    def decided(self) -> int:
        return self.count - self.undecided

    @property
    def decided_percent(self) -> int:
        return round(100 * self.decided / self.count) if self.count else 100


@dataclass
class DomainBlock:
    domain: Domain
    items: list[PlannedTask] = field(default_factory=list)
    totals: Totals = field(default_factory=Totals)


@dataclass
class PlanSummary:
    blocks: list[DomainBlock]
    totals: Totals
    hours_available: Decimal
    school_hours: Decimal | None = None  # group plan: what the schools plan themselves

    @property
    def hours_left(self) -> Decimal:
        return self.hours_available - self.totals.hours_now

    @property
    def hours_short(self) -> Decimal:
        return max(ZERO, self.totals.hours_now - self.hours_available)

    @property
    def over_budget(self) -> bool:
        return self.totals.hours_now > self.hours_available

    @property
    def used_percent(self) -> int:
        if not self.hours_available:
            return 100 if self.totals.hours_now else 0
        return min(100, round(100 * self.totals.hours_now / self.hours_available))


def hours_available(plan: TaskPlan) -> Decimal:
    """Hours for ICT coordination: the school's budget; for the group, all schools together.
    (Until the team module knows people's hours, the organisation's settings are the source.)"""
    if plan.school_id:
        return plan.school.ict_hours_available
    total = (
        School.objects.active()
        .filter(organisation_id=plan.organisation_id)
        .aggregate(total=Sum("ict_hours_available"))["total"]
    )
    return total or ZERO


def school_plans_hours(plan: TaskPlan) -> Decimal:
    """For the group plan: the hours the schools plan this year on their own tasks."""
    items = PlannedTask.objects.filter(
        organisation_id=plan.organisation_id,
        plan__school_year_id=plan.school_year_id,
        plan__school__isnull=False,
        applies=True,
        horizon__in=["", Horizon.NOW],
    ).exclude(sourcing=Sourcing.GROUP)
    return items.aggregate(total=Sum("hours"))["total"] or ZERO


def plan_summary(plan: TaskPlan, items: list[PlannedTask]) -> PlanSummary:
    blocks: dict[int, DomainBlock] = {}
    totals = Totals()
    for item in items:
        domain = item.task.domain
        block = blocks.setdefault(domain.pk, DomainBlock(domain))
        block.items.append(item)
        block.totals.add(item)
        totals.add(item)
    ordered = sorted(blocks.values(), key=lambda b: (b.domain.order, b.domain.code))
    summary = PlanSummary(ordered, totals, hours_available(plan))
    if plan.is_group_plan:
        summary.school_hours = school_plans_hours(plan)
    return summary


# -- filters ---------------------------------------------------------------------------------


@dataclass
class PlanFilters:
    q: str = ""
    domain: str = ""
    status: str = ""  # "" | "undecided" | "applies" | "not_applies" | "active" | "later"
    sourcing: str = ""
    level: str = ""

    @property
    def active(self) -> bool:
        return any((self.q, self.domain, self.status, self.sourcing, self.level))

    def matches(self, item: PlannedTask) -> bool:
        task = item.task
        if self.domain and task.domain.code != self.domain:
            return False
        if self.status == "undecided" and item.is_decided:
            return False
        if self.status == "applies" and not item.applies:
            return False
        if self.status == "not_applies" and item.applies is not False:
            return False
        if self.status == "active" and not item.is_active:
            return False
        if self.status == "later" and not (item.applies and item.horizon == Horizon.LATER):
            return False
        if self.sourcing and item.sourcing != self.sourcing:
            return False
        if self.level and item.level != self.level:
            return False
        if self.q:
            titles = fill_terms(f"{task.title_nl} {task.title_en}")  # {teachers} → the word
            haystack = " ".join((task.code, titles, item.notes)).casefold()
            if not all(word in haystack for word in self.q.casefold().split()):
                return False
        return True


def filter_blocks(blocks: list[DomainBlock], filters: PlanFilters) -> list[DomainBlock]:
    """The domain blocks with only the tasks that match; totals stay those of the whole domain."""
    if not filters.active:
        return blocks
    shown = []
    for block in blocks:
        items = [item for item in block.items if filters.matches(item)]
        if items:
            shown.append(DomainBlock(block.domain, items, block.totals))
    return shown


def missing_catalogue_tasks(plan: TaskPlan) -> QuerySet[Task]:
    """Tasks the organisation offers that this plan does not have (new, or its own)."""
    present = plan.items.values("task_id")
    tasks = Task.objects.visible_to_organisation(plan.organisation).exclude(pk__in=present)
    return tasks.select_related("domain").order_by("domain__order", "code")


# -- history ---------------------------------------------------------------------------------

REASON_LABELS = {
    "bulk": gettext_lazy("in één keer voor meerdere taken"),
    "import": gettext_lazy("via Excel"),
    "group": gettext_lazy("groepsbeslissing"),
    "copy": gettext_lazy("overgenomen van vorig jaar"),
}


@dataclass
class HistoryEntry:
    when: object
    who: object
    task: Task
    kind: str  # "+", "~", "-"
    changes: list[tuple[str, str, str]]
    reason: str = ""


def _history_queryset(plan: TaskPlan):
    history = PlannedTask.history.model
    previous = (
        history.objects.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id"))
        .order_by("-history_id")
        .values("history_id")[:1]
    )
    return (
        PlannedTask.history.filter(plan_id=plan.pk)
        .select_related("history_user", "task")
        .annotate(previous_id=Subquery(previous))
        .order_by("-history_date", "-history_id")
    )


def _entries(records) -> list[HistoryEntry]:
    history = PlannedTask.history.model
    previous_ids = [r.previous_id for r in records if r.previous_id]
    previous = {r.history_id: r for r in history.objects.filter(history_id__in=previous_ids)}
    entries = []
    for record in records:
        before = previous.get(record.previous_id)
        changes = []
        if record.history_type == "~" and before is not None:
            for name in EDITABLE_FIELDS:
                old, new = getattr(before, name), getattr(record, name)
                if old != new:
                    changes.append(
                        (field_label(name), display_value(name, old), display_value(name, new))
                    )
            if not changes:
                continue
        elif record.history_type == "+":
            for name in EDITABLE_FIELDS:
                value = getattr(record, name)
                if value not in (None, ""):
                    changes.append((field_label(name), "", display_value(name, value)))
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=record.history_user,
                task=record.task,
                kind=record.history_type,
                changes=changes,
                reason=str(REASON_LABELS.get(record.history_change_reason or "", "")),
            )
        )
    return entries


def plan_recent_changes(plan: TaskPlan, limit: int = 6) -> list[HistoryEntry]:
    return _entries(list(_history_queryset(plan)[:limit]))


def plan_history_page(plan: TaskPlan, page_number, per_page: int = 50):
    """One page of who changed what in this plan, newest first; a fixed number of queries."""
    paginator = Paginator(_history_queryset(plan), per_page)
    page = paginator.get_page(page_number)
    return page, _entries(list(page.object_list))


# -- import -----------------------------------------------------------------------------------


def pending_import_get(user, plan: TaskPlan, pk) -> PendingImport:
    """Only the person who uploaded a file sees its preview."""
    try:
        return PendingImport.objects.for_user(user, Action.EDIT).get(
            pk=pk, plan=plan, created_by=user
        )
    except (PendingImport.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# -- the group view (step 5, group variant) ----------------------------------------------------


@dataclass
class SchoolRun:
    school: School
    hours: Decimal | None
    horizon: str
    handed_to_group: bool


@dataclass
class GroupTaskRow:
    task: Task
    runs: list[SchoolRun] = field(default_factory=list)
    asking: list[School] = field(default_factory=list)  # schools that want it at group level
    group_item: PlannedTask | None = None
    reasons: list[tuple[str, str, str]] = field(default_factory=list)  # (key, label, help)

    @property
    def hours(self) -> Decimal:
        return sum((run.hours or ZERO for run in self.runs), ZERO)

    not_running: list[School] = field(default_factory=list)  # the group's schools without it

    @property
    def handed_to_group(self) -> list[School]:
        return [run.school for run in self.runs if run.handed_to_group]

    @property
    def later(self) -> list[School]:
        return [run.school for run in self.runs if run.horizon == Horizon.LATER]

    @property
    def at_group_level(self) -> bool:
        item = self.group_item
        return bool(item and item.applies and item.level == Level.GROUP)

    @property
    def is_candidate(self) -> bool:
        """Asked for by a school, or run in several schools and specialised: economies of
        scale on work that does not need to sit in one school."""
        if self.at_group_level:
            return False
        keys = {key for key, _label, _help in self.reasons}
        return "asked" in keys or {"scale", "expertise"} <= keys


@dataclass
class SchoolStatus:
    school: School
    plan: TaskPlan | None
    totals: Totals

    @property
    def hours_left(self) -> Decimal:
        return self.school.ict_hours_available - self.totals.hours_now


@dataclass
class GroupOverview:
    organisation: Organisation
    school_year: SchoolYear
    schools: list[SchoolStatus]
    rows: list[GroupTaskRow]
    group_plan: TaskPlan | None

    @property
    def candidates(self) -> list[GroupTaskRow]:
        return [row for row in self.rows if row.is_candidate]

    @property
    def at_group(self) -> list[GroupTaskRow]:
        return [row for row in self.rows if row.at_group_level]


def _reasons(task: Task, running: int, asking: int) -> list[tuple[str, str, str]]:
    """Why a task could move to the group (or why it is better kept in the schools)."""
    reasons = []
    if asking:
        reasons.append(
            (
                "asked",
                ngettext(
                    "%(count)s school vraagt het",
                    "%(count)s scholen vragen het",
                    asking,
                )
                % {"count": asking},
                _("Een school koos niveau 'groep' of 'via de groep' voor deze taak."),
            )
        )
    if running >= 2:
        reasons.append(
            (
                "scale",
                _("schaalvoordeel: %(count)s scholen") % {"count": running},
                _("Meerdere scholen doen dit elk apart; één keer voor allemaal kan goedkoper."),
            )
        )
    if task.technical or task.usual_level == Level.GROUP:
        reasons.append(
            (
                "expertise",
                _("expertise"),
                _("Technisch of gespecialiseerd werk: één deskundige voor de groep volstaat."),
            )
        )
    if task.outsourceable:
        reasons.append(
            (
                "outsource",
                _("uitbesteedbaar"),
                _("Kan bij een partner; samen uitbesteden geeft een beter contract."),
            )
        )
    if task.needs_pedagogical_qualification and not asking:
        reasons.append(
            (
                "local",
                _("dicht bij de klas"),
                _("Hangt aan de lessen van de school: vaak beter in de school zelf."),
            )
        )
    return reasons


def group_overview(organisation: Organisation, school_year: SchoolYear) -> GroupOverview:
    """For every task: which schools run it, their hours, and why it could move to the group.
    A fixed number of queries, whatever the number of schools or tasks."""
    schools = {
        s.pk: s for s in School.objects.active().filter(organisation=organisation).order_by("name")
    }
    plans = TaskPlan.objects.filter(organisation=organisation, school_year=school_year)
    school_plans = {p.school_id: p for p in plans if p.school_id}
    group_plan = next((p for p in plans if p.school_id is None), None)
    items = PlannedTask.objects.filter(
        organisation=organisation, plan__school_year=school_year
    ).select_related("task", "task__domain")

    rows: dict[int, GroupTaskRow] = {}
    totals = {pk: Totals() for pk in schools}
    for task in Task.objects.visible_to_organisation(organisation).select_related("domain"):
        rows[task.pk] = GroupTaskRow(task)
    for item in items:
        row = rows.setdefault(item.task_id, GroupTaskRow(item.task))
        if item.school_id is None:
            row.group_item = item
            continue
        school = schools.get(item.school_id)
        if school is None:
            continue
        totals[school.pk].add(item)
        if item.applies and item.horizon != Horizon.DROPPED:
            handed = item.sourcing == Sourcing.GROUP
            row.runs.append(SchoolRun(school, item.hours, item.horizon, handed))
        if item.applies is not False and (
            item.level == Level.GROUP or item.sourcing == Sourcing.GROUP
        ):
            row.asking.append(school)
    for row in rows.values():
        running = sum(1 for run in row.runs if not run.handed_to_group)
        row.reasons = _reasons(row.task, running, len(row.asking))
        row.runs.sort(key=lambda run: run.school.name)
        with_it = {run.school.pk for run in row.runs}
        row.not_running = [school for pk, school in schools.items() if pk not in with_it]
    ordered = sorted(
        rows.values(),
        key=lambda r: (
            not r.is_candidate,
            not r.at_group_level,
            -len(r.runs),
            r.task.domain.order,
            r.task.code,
        ),
    )
    statuses = [
        SchoolStatus(school, school_plans.get(pk), totals[pk]) for pk, school in schools.items()
    ]
    return GroupOverview(organisation, school_year, statuses, ordered, group_plan)


def editable(user, plan: TaskPlan) -> bool:
    return can_edit_plan(user, plan)


def plan_years(organisation: Organisation, *, also: SchoolYear) -> list[SchoolYear]:
    """The school years the organisation has plans for (and ``also``), newest first; one
    query, whatever the number of schools."""
    years = set(SchoolYear.objects.filter(task_plans__organisation=organisation).distinct())
    return sorted(years | {also}, key=lambda year: -year.start_year)
