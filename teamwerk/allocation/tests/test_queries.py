"""The assistant's result reads the same number of queries for a team of 5 and of 40."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from teamwerk.allocation import services
from teamwerk.allocation.problem import ProposalOptions
from teamwerk.team.tests.conftest import school_of  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def _result_queries(client, school, user, capture) -> int:
    with capture(execute=True):
        run = services.proposal_start(
            actor=user, organisation=school.organisation, school=school, options=ProposalOptions()
        )
    run.refresh_from_db()
    assert run.status == "done"
    client.post(reverse("switch_school"), {"school": school.pk, "next": "/"})
    url = reverse("allocation_run", args=[run.pk])
    assert client.get(url).status_code == 200  # warm the caches of a first visit
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    # The page shows the whole team: a row per task and the people's hours.
    assert response.content.decode().count("Naam0 ") >= 1
    return len(queries)


def test_the_proposal_page_does_not_grow_in_queries_with_the_team(
    school_of,  # noqa: F811
    client,
    django_capture_on_commit_callbacks,
):
    small, user = school_of(5, "Klein")
    large, _ = school_of(40, "Groot")
    client.force_login(user)
    for_five = _result_queries(client, small, user, django_capture_on_commit_callbacks)
    for_forty = _result_queries(client, large, user, django_capture_on_commit_callbacks)
    assert for_five == for_forty
