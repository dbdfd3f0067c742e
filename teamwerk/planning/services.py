"""Writes for task plans. Every function checks the actor's scope, runs in one transaction and
records who changed what (django-simple-history)."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from teamwerk.catalogue.models import Domain, Level, Task
from teamwerk.catalogue.services import own_task_code, task_create_own
from teamwerk.tenancy.models import Organisation, School, SchoolYear
from teamwerk.tenancy.querysets import scope_for
from teamwerk.tenancy.roles import Action
from teamwerk.tenancy.selectors import current_school_year

from .models import Horizon, PendingImport, PlannedTask, Sourcing, TaskPlan
from .values import EDITABLE_FIELDS, clean_values

# simple_history keeps this next to each record; the history page shows it.
REASON_BULK = "bulk"
REASON_IMPORT = "import"
REASON_GROUP = "group"
REASON_COPY = "copy"
BATCH = 500


class PlanConflict(Exception):
    """Someone else saved this task since the user loaded it. Nothing was written.

    ``current`` is the task as it is now; ``submitted`` holds what the user tried to save, so
    the page can show both and let the user choose.
    """

    def __init__(self, current: PlannedTask, submitted: dict):
        super().__init__(_("Iemand anders heeft deze taak intussen gewijzigd."))
        self.current = current
        self.submitted = submitted


class PlanChanged(Exception):
    """The plan changed between the preview of an import and its confirmation."""


# -- scope --------------------------------------------------------------------------------------


def can_edit_plan(user, plan: TaskPlan) -> bool:
    """EDIT on the plan's school, or organisation-wide EDIT (the only way to edit a group plan)."""
    scope = scope_for(user, Action.EDIT)
    if plan.organisation_id in scope.organisation_wide:
        return True
    return plan.school_id is not None and plan.school_id in scope.schools


def _check_edit(actor, plan: TaskPlan) -> None:
    if not can_edit_plan(actor, plan):
        raise PermissionDenied


def _check_group_edit(actor, organisation: Organisation) -> None:
    if organisation.pk not in scope_for(actor, Action.EDIT).organisation_wide:
        raise PermissionDenied


def _clean_or_raise(fields: dict) -> dict:
    cleaned, errors = clean_values(fields)
    if errors:
        raise ValidationError(errors)
    return cleaned


# -- creating plans -----------------------------------------------------------------------------


def _plan_exists(*, organisation, school, school_year) -> bool:
    plans = TaskPlan.objects.filter(organisation=organisation, school_year=school_year)
    return plans.filter(school=school).exists() if school else plans.filter(school=None).exists()


def _new_plan(*, actor, organisation, school, school_year) -> TaskPlan:
    if school is not None and school.organisation_id != organisation.pk:
        raise ValidationError(_("Deze school hoort niet bij de organisatie."))
    if school_year.organisation_id != organisation.pk:
        raise ValidationError(_("Dit schooljaar hoort niet bij de organisatie."))
    plan = TaskPlan(organisation=organisation, school=school, school_year=school_year)
    _check_edit(actor, plan)
    if _plan_exists(organisation=organisation, school=school, school_year=school_year):
        raise ValidationError(
            _("Er is al een takenoverzicht voor %(where)s in %(year)s.")
            % {"where": school.name if school else organisation.name, "year": school_year}
        )
    plan._history_user = actor
    plan.save()
    return plan


def _item_for(plan: TaskPlan, task: Task, **values) -> PlannedTask:
    return PlannedTask(
        organisation_id=plan.organisation_id,
        school_id=plan.school_id,
        plan=plan,
        task=task,
        **values,
    )


def _starting_tasks(plan: TaskPlan):
    tasks = Task.objects.visible_to_organisation(plan.organisation).select_related("domain")
    if plan.is_group_plan:
        # The group plan holds group-level work; other tasks join it by a group decision.
        tasks = tasks.filter(usual_level=Level.GROUP)
    return tasks


def plan_create_from_catalogue(
    *, actor, school: School | None, organisation: Organisation, school_year: SchoolYear
) -> TaskPlan:
    """A new plan with every task the organisation uses, all still to be decided."""
    with transaction.atomic():
        plan = _new_plan(
            actor=actor, organisation=organisation, school=school, school_year=school_year
        )
        level = Level.GROUP if plan.is_group_plan else ""
        items = [_item_for(plan, task, level=level) for task in _starting_tasks(plan)]
        bulk_create_with_history(items, PlannedTask, default_user=actor)
        return plan


def plan_copy_from_year(*, actor, source_plan: TaskPlan, school_year: SchoolYear) -> TaskPlan:
    """Next year's plan starts from this one: every choice is copied. Tasks the catalogue no
    longer offers are left out; tasks that are new since then join, still to be decided."""
    if source_plan.school_year_id == school_year.pk:
        raise ValidationError(_("Kies een ander schooljaar dan dat van het bronoverzicht."))
    with transaction.atomic():
        plan = _new_plan(
            actor=actor,
            organisation=source_plan.organisation,
            school=source_plan.school,
            school_year=school_year,
        )
        offered = {task.pk: task for task in _starting_tasks(plan)}
        visible = set(
            Task.objects.visible_to_organisation(plan.organisation).values_list("pk", flat=True)
        )
        items = []
        copied = set()
        for old in source_plan.items.select_related("task"):
            if old.task_id not in visible:
                continue
            copied.add(old.task_id)
            items.append(
                _item_for(plan, old.task, **{name: getattr(old, name) for name in EDITABLE_FIELDS})
            )
        level = Level.GROUP if plan.is_group_plan else ""
        items += [
            _item_for(plan, task, level=level) for pk, task in offered.items() if pk not in copied
        ]
        bulk_create_with_history(
            items, PlannedTask, default_user=actor, default_change_reason=REASON_COPY
        )
        return plan


def group_plan_ensure(*, actor, organisation: Organisation, school_year: SchoolYear) -> TaskPlan:
    """The organisation's group plan for the year, created empty when there is none yet."""
    _check_group_edit(actor, organisation)
    with transaction.atomic():
        plan = TaskPlan.objects.filter(
            organisation=organisation, school=None, school_year=school_year
        ).first()
        if plan is None:
            plan = _new_plan(
                actor=actor, organisation=organisation, school=None, school_year=school_year
            )
        return plan


# -- editing tasks ------------------------------------------------------------------------------


def _changes(item: PlannedTask, values: dict) -> dict:
    return {name: value for name, value in values.items() if getattr(item, name) != value}


def planned_task_update(
    *, actor, item: PlannedTask, expected_version: int, **fields
) -> PlannedTask:
    """Save a user's choices for one task. When the task changed since the user loaded it
    (``expected_version`` is behind), nothing is written and :class:`PlanConflict` says so."""
    values = _clean_or_raise(fields)
    with transaction.atomic():
        current = (
            PlannedTask.objects.select_for_update().select_related("plan", "task").get(pk=item.pk)
        )
        _check_edit(actor, current.plan)
        if current.version != expected_version:
            raise PlanConflict(current, values)
        changes = _changes(current, values)
        if not changes:
            return current
        for name, value in changes.items():
            setattr(current, name, value)
        current.version += 1
        current._history_user = actor
        current.save(update_fields=[*changes, "version", "updated_at"])
        return current


def _save_many(items: list[PlannedTask], fields: set[str], *, actor, reason: str) -> None:
    """Write changed tasks and their history. Tasks that end up with the same values are
    written with one UPDATE (a bulk action or an import has few distinct values), which is
    much faster than one statement with a CASE per row; callers hold the rows' locks."""
    if not items:
        return
    now = timezone.now()
    names = sorted(fields)
    groups: dict[tuple, list[int]] = defaultdict(list)
    for item in items:
        groups[tuple(getattr(item, name) for name in names)].append(item.pk)
        item.version += 1
        item.updated_at = now
    for values, ids in groups.items():
        for start in range(0, len(ids), BATCH):
            PlannedTask.objects.filter(pk__in=ids[start : start + BATCH]).update(
                **dict(zip(names, values, strict=True)),
                version=F("version") + 1,
                updated_at=now,
            )
    PlannedTask.history.bulk_history_create(
        items, batch_size=BATCH, update=True, default_user=actor, default_change_reason=reason
    )


def planned_tasks_bulk_update(
    *,
    actor,
    plan: TaskPlan,
    items_or_domain: Domain | Iterable,
    use_usual_hours: bool = False,
    use_usual_level: bool = False,
    **fields,
) -> int:
    """Give many tasks of one plan the same choices: a whole domain, or the chosen tasks
    (items or their ids). ``use_usual_hours`` / ``use_usual_level`` fill empty hours or level
    from the catalogue. Returns how many tasks changed."""
    values = _clean_or_raise(fields)
    _check_edit(actor, plan)
    with transaction.atomic():
        items = plan.items.select_for_update().select_related("task")
        if isinstance(items_or_domain, Domain):
            items = items.filter(task__domain=items_or_domain)
        else:
            ids = [getattr(i, "pk", i) for i in items_or_domain]
            items = items.filter(pk__in=ids)
        changed_items = []
        changed_fields: set[str] = set()
        for item in items:
            wanted = dict(values)
            if use_usual_hours and item.hours is None and item.task.hours_max:
                wanted["hours"] = Decimal(item.task.hours_min + item.task.hours_max) / 2
            if use_usual_level and not item.level:
                wanted["level"] = item.task.usual_level
            changes = _changes(item, wanted)
            if changes:
                for name, value in changes.items():
                    setattr(item, name, value)
                changed_fields.update(changes)
                changed_items.append(item)
        _save_many(changed_items, changed_fields, actor=actor, reason=REASON_BULK)
        return len(changed_items)


def plan_add_custom_task(
    *,
    actor,
    plan: TaskPlan,
    domain: Domain,
    title_nl: str,
    title_en: str = "",
    description_nl: str = "",
    description_en: str = "",
    **fields,
) -> PlannedTask:
    """A task of the organisation's own, added to the catalogue and to this plan.
    It applies (that is why it is added); the other choices are as given."""
    values = _clean_or_raise({"applies": True, **fields})
    _check_edit(actor, plan)
    with transaction.atomic():
        hours = values.get("hours")
        usual = int(hours) if hours else 0
        task = task_create_own(
            actor=actor,
            organisation=plan.organisation,
            school=plan.school,
            code=own_task_code(plan.organisation, domain),
            domain=domain,
            title_nl=title_nl.strip(),
            title_en=title_en.strip(),
            description_nl=description_nl.strip(),
            description_en=description_en.strip(),
            usual_level=values.get("level")
            or (Level.GROUP if plan.is_group_plan else Level.SCHOOL),
            hours_min=usual,
            hours_max=usual,
        )
        item = _item_for(plan, task, **values)
        item._history_user = actor
        item.save()
        return item


def plan_add_tasks(*, actor, plan: TaskPlan, tasks: Iterable[Task]) -> list[PlannedTask]:
    """Add catalogue tasks the plan does not have yet (new in the catalogue, or the
    organisation's own), still to be decided."""
    _check_edit(actor, plan)
    with transaction.atomic():
        visible = set(
            Task.objects.visible_to_organisation(plan.organisation).values_list("pk", flat=True)
        )
        present = set(plan.items.values_list("task_id", flat=True))
        level = Level.GROUP if plan.is_group_plan else ""
        items = [
            _item_for(plan, task, level=level)
            for task in tasks
            if task.pk in visible and task.pk not in present
        ]
        return bulk_create_with_history(items, PlannedTask, default_user=actor)


# -- the group decision (step 5, group variant) -------------------------------------------------


def _school_items_for(task: Task, organisation: Organisation, school_year: SchoolYear):
    return PlannedTask.objects.select_for_update().filter(
        organisation=organisation,
        plan__school_year=school_year,
        plan__school__isnull=False,
        task=task,
    )


def planned_task_move_to_group(
    *, actor, task: Task, organisation: Organisation, school_year: SchoolYear | None = None
) -> PlannedTask:
    """Decide that the group organises this task: the schools that run it hand it to the group
    (level and sourcing "group"), and the group plan holds it with the schools' hours."""
    _check_group_edit(actor, organisation)
    if not Task.objects.visible_to_organisation(organisation).filter(pk=task.pk).exists():
        raise ValidationError(_("Deze taak staat niet in de catalogus van je organisatie."))
    school_year = school_year or current_school_year(organisation)
    with transaction.atomic():
        plan = group_plan_ensure(actor=actor, organisation=organisation, school_year=school_year)
        school_items = list(
            _school_items_for(task, organisation, school_year).exclude(applies=False)
        )
        pooled = sum((i.hours or Decimal(0) for i in school_items if i.applies), Decimal(0))
        handed = []
        for item in school_items:
            if item.level != Level.GROUP or item.sourcing != Sourcing.GROUP:
                item.level = Level.GROUP
                item.sourcing = Sourcing.GROUP
                handed.append(item)
        _save_many(handed, {"level", "sourcing"}, actor=actor, reason=REASON_GROUP)

        group_item = plan.items.select_for_update().filter(task=task).first()
        if group_item is None:
            group_item = _item_for(
                plan,
                task,
                applies=True,
                horizon=Horizon.NOW,
                level=Level.GROUP,
                hours=pooled or None,
            )
            group_item._history_user = actor
            group_item._change_reason = REASON_GROUP
            group_item.save()
        else:
            changes = _changes(group_item, {"applies": True, "level": Level.GROUP})
            if not group_item.horizon or group_item.horizon == Horizon.DROPPED:
                changes["horizon"] = Horizon.NOW
            for name, value in changes.items():
                setattr(group_item, name, value)
            _save_many(
                [group_item] if changes else [], set(changes), actor=actor, reason=REASON_GROUP
            )
        return group_item


def planned_task_keep_in_schools(
    *, actor, task: Task, organisation: Organisation, school_year: SchoolYear | None = None
) -> int:
    """Undo a group decision: schools that handed the task to the group get it back (to be
    decided again), and the group plan no longer runs it. Returns how many schools changed."""
    _check_group_edit(actor, organisation)
    school_year = school_year or current_school_year(organisation)
    with transaction.atomic():
        handed = list(
            _school_items_for(task, organisation, school_year).filter(sourcing=Sourcing.GROUP)
        )
        for item in handed:
            item.level = Level.SCHOOL
            item.sourcing = ""
        _save_many(handed, {"level", "sourcing"}, actor=actor, reason=REASON_GROUP)
        group_items = list(
            PlannedTask.objects.select_for_update().filter(
                organisation=organisation,
                plan__school__isnull=True,
                plan__school_year=school_year,
                task=task,
                applies=True,
            )
        )
        for item in group_items:
            item.applies = False
        _save_many(group_items, {"applies"}, actor=actor, reason=REASON_GROUP)
        return len(handed)


# -- Excel import -------------------------------------------------------------------------------


def plan_fingerprint(plan: TaskPlan) -> str:
    """Changes whenever any task of the plan is added, removed or saved."""
    rows = plan.items.order_by("pk").values_list("pk", "version")
    digest = hashlib.sha256()
    for pk, version in rows:
        digest.update(f"{pk}:{version};".encode())
    return digest.hexdigest()


@dataclass
class ImportOutcome:
    updated: int = 0
    added: int = 0
    created: int = 0
    rows: list = field(default_factory=list)


def plan_import_apply(
    *, actor, plan: TaskPlan, rows: list[dict], expected_fingerprint: str | None = None
) -> ImportOutcome:
    """Apply validated import rows to the plan, all or nothing.

    ``rows`` come from :func:`teamwerk.planning.excel.validate_rows` (or the JSON kept for the
    preview). They are checked again against the plan as it is now; with
    ``expected_fingerprint`` a plan that changed since the preview raises :class:`PlanChanged`.
    """
    from .excel import ImportRow, validate_rows

    _check_edit(actor, plan)
    with transaction.atomic():
        # Lock the plan and its tasks: no inline save can slip in between check and write.
        TaskPlan.objects.select_for_update(of=("self",)).filter(pk=plan.pk).first()
        list(plan.items.select_for_update(of=("self",)).values_list("pk", flat=True))
        if expected_fingerprint is not None and plan_fingerprint(plan) != expected_fingerprint:
            raise PlanChanged
        parsed = [ImportRow.from_json(row) for row in rows]
        result = validate_rows(plan, parsed)
        if result.errors:
            raise ValidationError([str(error) for error in result.errors])
        outcome = ImportOutcome(rows=result.changes)
        updates = []
        fields: set[str] = set()
        new_items = []
        for change in result.changes:
            if change.kind == "update":
                item = change.item
                for name, (_old, new) in change.fields.items():
                    setattr(item, name, new)
                fields.update(change.fields)
                updates.append(item)
            elif change.kind == "add":
                new_items.append(_item_for(plan, change.task, **change.values))
            else:  # a new task of the organisation's own
                task = task_create_own(
                    actor=actor,
                    organisation=plan.organisation,
                    school=plan.school,
                    code=own_task_code(plan.organisation, change.domain),
                    domain=change.domain,
                    title_nl=change.title,
                    title_en="",
                    usual_level=change.values.get("level")
                    or (Level.GROUP if plan.is_group_plan else Level.SCHOOL),
                    hours_min=int(change.values.get("hours") or 0),
                    hours_max=int(change.values.get("hours") or 0),
                )
                new_items.append(_item_for(plan, task, **change.values))
                outcome.created += 1
        _save_many(updates, fields, actor=actor, reason=REASON_IMPORT)
        bulk_create_with_history(
            new_items,
            PlannedTask,
            batch_size=BATCH,
            default_user=actor,
            default_change_reason=REASON_IMPORT,
        )
        outcome.updated = len(updates)
        outcome.added = len(new_items) - outcome.created
        PendingImport.objects.filter(plan=plan).delete()
        return outcome


def pending_import_create(
    *, actor, plan: TaskPlan, rows: list[dict], filename: str
) -> PendingImport:
    """Keep validated rows until the user confirms the preview. Old ones are cleared."""
    _check_edit(actor, plan)
    with transaction.atomic():
        stale = timezone.now() - dt.timedelta(days=1)
        PendingImport.objects.filter(created_at__lt=stale).delete()
        PendingImport.objects.filter(plan=plan, created_by=actor).delete()
        return PendingImport.objects.create(
            organisation_id=plan.organisation_id,
            school_id=plan.school_id,
            plan=plan,
            created_by=actor,
            filename=filename[:255],
            rows=rows,
            plan_fingerprint=plan_fingerprint(plan),
        )


def pending_import_discard(*, actor, pending: PendingImport) -> None:
    if pending.created_by_id != actor.pk:
        raise PermissionDenied
    pending.delete()
