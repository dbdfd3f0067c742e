"""Every page does the same number of queries for a team of 5 and of 50 people."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from teamwerk.team.models import Assignment, Person

pytestmark = pytest.mark.django_db

# The pinned counts: raise one only with a reason (and keep 5 and 50 equal).
EXPECTED = {
    # +1: whether the user closed the module's first-visit explanation.
    "team_dashboard": 14,
    # Matrix, task page and ratings page: +1 for "who read whose ratings today" (audit).
    "team_matrix": 14,
    "team_people": 11,
    # +2: whether the AVG menu (data export, erasure) is offered to the reader.
    "team_person": 15,
    # +1: whether the reader may add an action from the task ("Maak een actie").
    "team_task": 15,
    "team_competences": 15,
    "team_history": 13,
    "team_agreements": 9,
    "team_organisation": 15,
}


def _pages(school) -> dict[str, str]:
    person = Person.objects.filter(availabilities__school=school).order_by("pk").first()
    task = Assignment.objects.filter(school=school).order_by("pk").first().planned_task
    return {
        "team_dashboard": reverse("team_dashboard"),
        "team_matrix": reverse("team_matrix"),
        "team_people": reverse("team_people"),
        "team_person": reverse("team_person", args=[person.pk]),
        "team_task": reverse("team_task", args=[task.pk]),
        "team_competences": reverse("team_competences", args=[person.pk]),
        "team_history": reverse("team_history"),
        "team_agreements": reverse("team_agreements"),
        "team_organisation": reverse("team_organisation"),
    }


def _counts(client, school) -> dict[str, int]:
    client.post(reverse("switch_school"), {"school": school.pk, "next": "/"})
    counts = {}
    for name, url in _pages(school).items():
        assert client.get(url).status_code == 200, url  # warm: caches of the first visit
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        counts[name] = len(queries)
    return counts


def test_query_counts_do_not_grow_with_the_team(school_of, client):
    small, user = school_of(5, "Klein")
    large, _ = school_of(50, "Groot")
    client.force_login(user)
    for_five = _counts(client, small)
    for_fifty = _counts(client, large)
    assert for_five == for_fifty
    assert for_five == EXPECTED


def test_the_matrix_of_fifty_people_shows_every_cell(school_of, client):
    school, user = school_of(50, "Breed")
    client.force_login(user)
    client.post(reverse("switch_school"), {"school": school.pk, "next": "/"})
    body = client.get(reverse("team_matrix")).content.decode()
    rows = re.findall(r'<tr id="t-\d+">(.*?)</tr>', body, re.S)
    assert len(rows) == 20
    assert all(row.count("<td") == 50 for row in rows)
    assert "data-cell-url" in body
    # Cells stay small, so 80 people x 200 tasks stays well under 300 KB: a cell costs its
    # content and at most a class, not a button per cell (which made it 910 KB).
    cells = "".join(re.sub(r"<th .*?</th>", "", row, flags=re.S) for row in rows)
    assert len(cells.encode()) / (50 * 20) <= 16
