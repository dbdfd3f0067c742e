"""The writes behind the task overview: creating, copying, editing, bulk, group decisions."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from teamwerk.catalogue.models import Domain, Task
from teamwerk.catalogue.services import task_set_hidden
from teamwerk.planning import services
from teamwerk.planning.models import Horizon, PlannedTask, Sourcing, TaskPlan
from teamwerk.tenancy.services import school_year_ensure

from .conftest import item_of


@pytest.fixture
def next_year(world, school_year):
    return school_year_ensure(
        organisation=world.organisation, start_year=school_year.start_year + 1
    )


def test_a_plan_from_the_catalogue_holds_every_task_still_undecided(world, next_year):
    plan = services.plan_create_from_catalogue(
        actor=world.users["ict_noord"],
        school=world.noord,
        organisation=world.organisation,
        school_year=next_year,
    )
    visible = Task.objects.visible_to_organisation(world.organisation).count()
    assert plan.items.count() == visible >= 45
    assert not plan.items.exclude(applies=None).exists()
    assert plan.history.first().history_user == world.users["ict_noord"]


def test_hidden_standard_tasks_stay_out_of_new_plans(world, next_year):
    task = Task.objects.get(organisation=None, code="COO-08")
    task_set_hidden(
        actor=world.users["beheerder"], organisation=world.organisation, task=task, hidden=True
    )
    plan = services.plan_create_from_catalogue(
        actor=world.users["beheerder"],
        school=world.zuid,
        organisation=world.organisation,
        school_year=next_year,
    )
    assert not plan.items.filter(task=task).exists()


def test_the_group_plan_starts_with_the_group_level_tasks(world, next_year):
    plan = services.plan_create_from_catalogue(
        actor=world.users["directeur"],
        school=None,
        organisation=world.organisation,
        school_year=next_year,
    )
    codes = set(plan.items.values_list("task__usual_level", flat=True))
    assert codes == {"group"}
    assert set(plan.items.values_list("level", flat=True)) == {"group"}


def test_a_second_plan_for_the_same_school_and_year_is_refused(world, noord_plan):
    with pytest.raises(ValidationError, match="al een takenoverzicht"):
        services.plan_create_from_catalogue(
            actor=world.users["ict_noord"],
            school=world.noord,
            organisation=world.organisation,
            school_year=noord_plan.school_year,
        )


def test_read_only_roles_and_other_schools_cannot_create_plans(world, next_year):
    for key in ("teamlid_noord", "lezer_noord", "directie_zuid"):
        with pytest.raises(PermissionDenied):
            services.plan_create_from_catalogue(
                actor=world.users[key],
                school=world.noord,
                organisation=world.organisation,
                school_year=next_year,
            )
    # A school leader cannot start the group plan: that is the organisation's work.
    with pytest.raises(PermissionDenied):
        services.plan_create_from_catalogue(
            actor=world.users["directie_noord"],
            school=None,
            organisation=world.organisation,
            school_year=next_year,
        )


def test_copying_last_years_plan_keeps_every_choice(world, noord_plan, next_year):
    plan = services.plan_copy_from_year(
        actor=world.users["directie_noord"], source_plan=noord_plan, school_year=next_year
    )
    fields = ("applies", "horizon", "level", "sourcing", "hours", "priority", "notes")
    before = {i.task_id: tuple(getattr(i, f) for f in fields) for i in noord_plan.items.all()}
    after = {i.task_id: tuple(getattr(i, f) for f in fields) for i in plan.items.all()}
    assert after == before
    assert plan.school == world.noord and plan.school_year == next_year


def test_copying_leaves_out_retired_tasks_and_adds_new_ones_undecided(world, noord_plan, next_year):
    retired = item_of(noord_plan, "COO-09").task
    Task.objects.filter(pk=retired.pk).update(retired=True)
    new = Task.objects.create(
        code="COO-99", domain=Domain.objects.get(code="COO"), title_nl="Nieuwe standaardtaak"
    )
    plan = services.plan_copy_from_year(
        actor=world.users["ict_noord"], source_plan=noord_plan, school_year=next_year
    )
    assert not plan.items.filter(task=retired).exists()
    assert plan.items.get(task=new).applies is None


def test_an_update_saves_and_counts_the_version(world, noord_plan):
    item = item_of(noord_plan, "POL-01")
    saved = services.planned_task_update(
        actor=world.users["ict_noord"],
        item=item,
        expected_version=item.version,
        hours="12,5",
        notes="  Samen met de directie.  ",
    )
    assert saved.hours == Decimal("12.5")
    assert saved.notes == "Samen met de directie."
    assert saved.version == item.version + 1
    assert saved.history.first().history_user == world.users["ict_noord"]


def test_a_stale_save_raises_a_conflict_and_writes_nothing(world, noord_plan):
    item = item_of(noord_plan, "POL-01")
    stale_version = item.version
    services.planned_task_update(
        actor=world.users["directie_noord"],
        item=item,
        expected_version=stale_version,
        horizon=Horizon.LATER,
    )
    with pytest.raises(services.PlanConflict) as caught:
        services.planned_task_update(
            actor=world.users["ict_noord"],
            item=item,
            expected_version=stale_version,
            horizon=Horizon.DROPPED,
            hours=3,
        )
    conflict = caught.value
    assert conflict.current.horizon == Horizon.LATER
    assert conflict.submitted == {"horizon": Horizon.DROPPED, "hours": Decimal(3)}
    item.refresh_from_db()
    assert item.horizon == Horizon.LATER and item.version == stale_version + 1


def test_bad_values_are_refused_with_a_message_per_field(world, noord_plan):
    item = item_of(noord_plan, "POL-01")
    with pytest.raises(ValidationError) as caught:
        services.planned_task_update(
            actor=world.users["ict_noord"],
            item=item,
            expected_version=item.version,
            hours="veel",
            horizon="morgen",
        )
    assert set(caught.value.message_dict) == {"hours", "horizon"}
    assert "geen getal" in caught.value.message_dict["hours"][0]
    item.refresh_from_db()
    assert item.horizon != "morgen"


def test_read_only_roles_cannot_update(world, noord_plan):
    item = item_of(noord_plan, "POL-01")
    for key in ("teamlid_noord", "lezer_noord", "directie_zuid", "beheerder_stichting"):
        with pytest.raises(PermissionDenied):
            services.planned_task_update(
                actor=world.users[key], item=item, expected_version=item.version, notes="x"
            )


def test_bulk_update_of_a_whole_domain(world, zuid_plan):
    domain = Domain.objects.get(code="PRO")
    changed = services.planned_tasks_bulk_update(
        actor=world.users["directie_zuid"], plan=zuid_plan, items_or_domain=domain, applies=True
    )
    items = zuid_plan.items.filter(task__domain=domain)
    assert changed >= 1
    assert set(items.values_list("applies", flat=True)) == {True}
    record = PlannedTask.history.filter(plan_id=zuid_plan.pk).first()
    assert record.history_user == world.users["directie_zuid"]
    assert record.history_change_reason == services.REASON_BULK


def test_bulk_fills_usual_hours_only_where_empty(world, zuid_plan):
    empty = zuid_plan.items.filter(hours=None).select_related("task")[:3]
    filled = zuid_plan.items.exclude(hours=None).first()
    ids = [i.pk for i in empty] + [filled.pk]
    services.planned_tasks_bulk_update(
        actor=world.users["directie_zuid"],
        plan=zuid_plan,
        items_or_domain=ids,
        use_usual_hours=True,
    )
    for item in empty:
        item.refresh_from_db()
        assert item.hours == Decimal(item.task.hours_min + item.task.hours_max) / 2
    before = filled.hours
    filled.refresh_from_db()
    assert filled.hours == before


def test_a_custom_task_joins_the_catalogue_and_the_plan(world, noord_plan):
    item = services.plan_add_custom_task(
        actor=world.users["ict_noord"],
        plan=noord_plan,
        domain=Domain.objects.get(code="TEC"),
        title_nl="Smartboards kalibreren",
        hours="6",
        sourcing=Sourcing.TEAM,
    )
    assert item.applies is True and item.hours == Decimal(6)
    assert item.task.organisation == world.organisation
    assert item.task.code == "TEC-E01"
    assert Task.objects.visible_to_organisation(world.organisation).filter(pk=item.task.pk).exists()
    assert (
        not Task.objects.visible_to_organisation(world.other_organisation)
        .filter(pk=item.task.pk)
        .exists()
    )


def test_moving_a_task_to_the_group(world, school_year):
    task = Task.objects.get(organisation=None, code="TEC-04")
    school_items = PlannedTask.objects.filter(
        organisation=world.organisation,
        plan__school_year=school_year,
        task=task,
        plan__school__isnull=False,
        applies=True,
    )
    pooled = sum(i.hours or 0 for i in school_items)
    assert school_items.count() >= 2  # several schools run their own helpdesk
    group_item = services.planned_task_move_to_group(
        actor=world.users["directeur"], task=task, organisation=world.organisation
    )
    assert group_item.plan.school is None
    assert group_item.applies is True and group_item.level == "group"
    assert group_item.hours == pooled
    for item in school_items.all():
        assert (item.level, item.sourcing) == ("group", "group")
    # Undo: the schools get it back, to decide again who does it.
    services.planned_task_keep_in_schools(
        actor=world.users["directeur"], task=task, organisation=world.organisation
    )
    for item in school_items.all():
        assert (item.level, item.sourcing) == ("school", "")
    group_item.refresh_from_db()
    assert group_item.applies is False


def test_only_organisation_wide_editors_make_group_decisions(world):
    task = Task.objects.get(organisation=None, code="TEC-04")
    for key in ("directie_noord", "ict_noord", "teamlid_noord"):
        with pytest.raises(PermissionDenied):
            services.planned_task_move_to_group(
                actor=world.users[key], task=task, organisation=world.organisation
            )


def test_moving_creates_the_group_plan_when_there_is_none(world):
    task = Task.objects.get(organisation=None, code="TEC-04")
    item = services.planned_task_move_to_group(
        actor=world.users["beheerder_stichting"], task=task, organisation=world.other_organisation
    )
    assert TaskPlan.objects.filter(organisation=world.other_organisation, school=None).exists()
    assert item.organisation == world.other_organisation
