"""The group's pages read a fixed number of queries, whatever the number of schools: the
directeur of a group of 50 waits no longer per school than the one of a group of 3."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from teamwerk.core.testing.schools import add_schools_with_plans
from teamwerk.tenancy.models import School

pytestmark = pytest.mark.django_db

GROUP_PAGES = (
    "home",
    "plan_group_overview",
    "team_organisation",
    "stappenplan_group",
    "team_dashboard",
)


def _add_schools(world, count: int, start: int) -> None:
    add_schools_with_plans(world, count, start, hours=90)


def _counts(client) -> dict[str, int]:
    counts = {}
    for name in GROUP_PAGES:
        client.get(reverse(name))  # warm the per-process caches (catalogue, terms)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(name))
        assert response.status_code == 200, name
        counts[name] = len(queries)
    return counts


def test_the_group_pages_do_not_grow_in_queries_with_the_number_of_schools(world, client_for):
    client = client_for("directeur")
    _add_schools(world, 1, start=0)
    few = _counts(client)
    assert School.objects.filter(organisation=world.organisation).count() == 4
    _add_schools(world, 8, start=1)
    many = _counts(client)
    assert School.objects.filter(organisation=world.organisation).count() == 12
    grown = {name: (few[name], many[name]) for name in GROUP_PAGES if few[name] != many[name]}
    assert not grown, grown
