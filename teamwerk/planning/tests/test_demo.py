"""The demo shows the task overview filled: every school, a group plan, last year's plan."""

from teamwerk.core.demo import seed_demo
from teamwerk.planning.models import PlannedTask, TaskPlan
from teamwerk.tenancy.models import School
from teamwerk.tenancy.selectors import current_school_year


def test_every_demo_school_has_a_filled_plan_for_this_school_year(world):
    for school in School.objects.all():
        plan = TaskPlan.objects.get(
            school=school, school_year=current_school_year(school.organisation)
        )
        assert plan.items.count() >= 45
        assert plan.items.filter(applies=True).count() >= 20, school


def test_campus_noord_is_fully_decided_and_campus_zuid_partly(noord_plan, zuid_plan):
    assert all(item.is_decided for item in noord_plan.items.all())
    undecided = [item for item in zuid_plan.items.all() if not item.is_decided]
    assert 5 <= len(undecided) < zuid_plan.items.count() // 2


def test_campus_noord_has_last_years_plan_to_copy_from(world, school_year):
    assert TaskPlan.objects.filter(
        school=world.noord, school_year__start_year=school_year.start_year - 1
    ).exists()


def test_the_group_plan_holds_a_few_group_level_tasks(group_plan, world):
    at_group = group_plan.items.filter(applies=True, level="group")
    assert 3 <= at_group.count() <= 10
    # One task was moved by a group decision: the schools hand it to the group.
    moved = group_plan.items.get(task__code="TEC-05")
    school_items = PlannedTask.objects.filter(
        organisation=world.organisation,
        plan__school__isnull=False,
        task=moved.task,
        plan__school_year=group_plan.school_year,
        applies=True,
    )
    assert school_items and all(i.sourcing == "group" for i in school_items)
    assert TaskPlan.objects.filter(organisation=world.other_organisation, school=None).exists()


def test_the_history_shows_real_people(noord_plan, world):
    who = set(
        PlannedTask.history.filter(plan_id=noord_plan.pk).values_list(
            "history_user__email", flat=True
        )
    )
    assert {"ict.noord@scholengroep-demo.be", "directie.noord@scholengroep-demo.be"} <= who


def test_seeding_twice_changes_nothing(db):
    before = (
        TaskPlan.objects.count(),
        PlannedTask.objects.count(),
        PlannedTask.history.count(),
        list(PlannedTask.objects.order_by("pk").values_list("pk", "version")),
    )
    seed_demo()
    after = (
        TaskPlan.objects.count(),
        PlannedTask.objects.count(),
        PlannedTask.history.count(),
        list(PlannedTask.objects.order_by("pk").values_list("pk", "version")),
    )
    assert after == before
