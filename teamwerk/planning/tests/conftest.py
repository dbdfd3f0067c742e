"""Fixtures for the task overview tests: the demo plans of Scholengroep Demo."""

import pytest

from teamwerk.planning.models import TaskPlan
from teamwerk.tenancy.selectors import current_school_year


@pytest.fixture
def school_year(world):
    return current_school_year(world.organisation)


@pytest.fixture
def noord_plan(world, school_year):
    return TaskPlan.objects.get(school=world.noord, school_year=school_year)


@pytest.fixture
def zuid_plan(world, school_year):
    return TaskPlan.objects.get(school=world.zuid, school_year=school_year)


@pytest.fixture
def group_plan(world, school_year):
    return TaskPlan.objects.get(
        organisation=world.organisation, school=None, school_year=school_year
    )


def item_of(plan, code):
    return plan.items.select_related("task").get(task__code=code)
