"""Own catalogue tasks are changed by the school that made them or by organisation-wide
roles (finding 10): the sister school reads them, but its form answers 403 and nothing is
saved."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from teamwerk.catalogue.models import Domain, Task

pytestmark = pytest.mark.django_db


def task_data(**changes):
    data = {
        "domain": Domain.objects.get(code="TEC").pk,
        "title_nl": "Smartboards nakijken",
        "title_en": "",
        "description_nl": "",
        "description_en": "",
        "usual_level": "school",
        "hours_min": 5,
        "hours_max": 10,
    }
    return {**data, **changes}


def with_form_version(client, url, data):
    """The version the edit form carries, if it has one (optimistic locking)."""
    found = re.search(r'name="version" value="(\d+)"', client.get(url).content.decode())
    return {**data, "version": found.group(1)} if found else data


@pytest.fixture
def noord_task(client_for):
    client = client_for("ict_noord")
    client.post(reverse("catalogue_task_create"), task_data())
    return Task.objects.get(title_nl="Smartboards nakijken")


def test_a_task_made_at_noord_records_noord(world, noord_task):
    assert noord_task.made_by_school == world.noord
    assert noord_task.organisation == world.organisation


def test_the_sister_school_reads_but_cannot_change_it(client_for, noord_task):
    client = client_for("directie_zuid")
    detail = client.get(reverse("catalogue_task", kwargs={"pk": noord_task.pk}))
    assert detail.status_code == 200
    assert reverse("catalogue_task_edit", kwargs={"pk": noord_task.pk}) not in (
        detail.content.decode()
    )
    url = reverse("catalogue_task_edit", kwargs={"pk": noord_task.pk})
    assert client.get(url).status_code == 403
    response = client.post(url, task_data(title_nl="Overgenomen door Zuid", hours_max=99))
    assert response.status_code == 403
    noord_task.refresh_from_db()
    assert noord_task.title_nl == "Smartboards nakijken"
    assert noord_task.hours_max == 10


@pytest.mark.parametrize("key", ["ict_noord", "directie_noord", "directeur", "beheerder"])
def test_the_school_that_made_it_and_organisation_wide_roles_change_it(client_for, noord_task, key):
    client = client_for(key)
    url = reverse("catalogue_task_edit", kwargs={"pk": noord_task.pk})
    response = client.post(url, with_form_version(client, url, task_data(hours_max=12)))
    assert response.status_code == 302
    noord_task.refresh_from_db()
    assert noord_task.hours_max == 12


def test_another_organisation_does_not_see_it(client_for, noord_task):
    client = client_for("beheerder_stichting")
    url = reverse("catalogue_task_edit", kwargs={"pk": noord_task.pk})
    assert client.post(url, task_data(title_nl="Weg")).status_code == 404


def test_an_organisation_wide_task_is_changed_only_by_organisation_wide_roles(client_for, world):
    client_for("directeur").post(reverse("catalogue_task_create"), task_data(title_nl="Groep"))
    task = Task.objects.get(title_nl="Groep")
    assert task.made_by_school is None
    url = reverse("catalogue_task_edit", kwargs={"pk": task.pk})
    assert (
        client_for("ict_noord").post(url, task_data(title_nl="Niet van Noord")).status_code == 403
    )
    task.refresh_from_db()
    assert task.title_nl == "Groep"
