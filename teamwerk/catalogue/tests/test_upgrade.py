"""Upgrading the standard catalogue keeps every school's choices."""

import pytest

from teamwerk.catalogue.content import DEFAULT_PATH, loads_catalogue
from teamwerk.catalogue.models import CatalogueState, Task
from teamwerk.catalogue.services import catalogue_load
from teamwerk.planning.models import PlannedTask, TaskPlan
from teamwerk.planning.services import plan_create_from_catalogue
from teamwerk.tenancy.services import school_year_ensure

CURRENT = loads_catalogue(DEFAULT_PATH.read_text(encoding="utf-8")).version
NEXT = CURRENT + 1
FIELDS = ("pk", "task_id", "applies", "horizon", "level", "sourcing", "hours", "priority", "notes")


def _version_2(text: str) -> str:
    """A changed copy of the file: the next version, a new title for POL-01, COO-09 removed."""
    text = text.replace(f"\nversion = {CURRENT}\n", f"\nversion = {NEXT}\n", 1)
    text = text.replace(
        'title.nl = "Vertrekken vanuit de gedeelde ICT-visie"',
        'title.nl = "Werken vanuit de gedeelde ICT-visie"',
        1,
    )
    blocks = text.split("\n[[tasks]]\n")
    kept = [block for block in blocks if 'code = "COO-09"' not in block]
    assert len(kept) == len(blocks) - 1
    return "\n[[tasks]]\n".join(kept)


@pytest.fixture
def version_2():
    return loads_catalogue(_version_2(DEFAULT_PATH.read_text(encoding="utf-8")))


def _choices():
    return sorted(PlannedTask.objects.values_list(*FIELDS))


def test_upgrading_keeps_every_plans_choices_and_retires_the_removed_task(world, version_2):
    before = _choices()
    plans = TaskPlan.objects.count()
    removed = Task.objects.get(organisation=None, code="COO-09")
    title_task = Task.objects.get(organisation=None, code="POL-01")

    assert catalogue_load(catalogue=version_2) == NEXT

    assert _choices() == before  # no plan lost or changed a single choice
    assert TaskPlan.objects.count() == plans
    removed.refresh_from_db()
    assert removed.retired is True
    assert PlannedTask.objects.filter(task=removed).exists()  # schools keep what they chose
    title_task.refresh_from_db()
    assert title_task.title_nl == "Werken vanuit de gedeelde ICT-visie"
    assert CatalogueState.objects.get().version == NEXT


def test_loading_the_same_version_again_changes_nothing(world, version_2):
    catalogue_load(catalogue=version_2)
    tasks = list(Task.objects.order_by("pk").values_list("pk", "title_nl", "retired"))
    history = Task.history.count()
    assert catalogue_load(catalogue=version_2) == NEXT
    assert list(Task.objects.order_by("pk").values_list("pk", "title_nl", "retired")) == tasks
    assert Task.history.count() == history


def test_new_plans_leave_out_a_retired_task_and_it_returns_when_the_file_brings_it_back(
    world, version_2
):
    catalogue_load(catalogue=version_2)
    year = school_year_ensure(organisation=world.organisation, start_year=2031)
    plan = plan_create_from_catalogue(
        actor=world.users["ict_noord"],
        school=world.noord,
        organisation=world.organisation,
        school_year=year,
    )
    assert not plan.items.filter(task__code="COO-09").exists()
    assert plan.items.count() == 63

    text = DEFAULT_PATH.read_text(encoding="utf-8").replace("\nversion = 1\n", "\nversion = 3\n")
    catalogue_load(catalogue=loads_catalogue(text))
    assert Task.objects.get(organisation=None, code="COO-09").retired is False


def test_own_tasks_are_untouched_by_an_upgrade(world, version_2, client_for):
    from teamwerk.catalogue.models import Domain
    from teamwerk.catalogue.services import task_create_own

    own = task_create_own(
        actor=world.users["beheerder"],
        organisation=world.organisation,
        domain=Domain.objects.get(code="COO"),
        title_nl="Overleg met de scholengemeenschap",
    )
    catalogue_load(catalogue=version_2)
    own.refresh_from_db()
    assert own.retired is False and own.title_nl == "Overleg met de scholengemeenschap"
