"""Nothing silent: replacing a trekker asks first, shows both people's knowledge and hours,
and can be undone (with the previous trekker's hours and mandate)."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from teamwerk.team.models import Assignment, AssignmentRole, Person


def _owned_task(world):
    owner = (
        Assignment.objects.filter(school=world.noord, role=AssignmentRole.OWNER)
        .exclude(mandate="executes")
        .select_related("person", "planned_task")
        .order_by("planned_task__task__code")
        .first()
    )
    other = (
        Person.objects.filter(
            availabilities__school=world.noord, availabilities__hours_available__gt=0
        )
        .exclude(pk=owner.person_id)
        .order_by("last_name")
        .first()
    )
    return owner, other


def test_replacing_a_trekker_asks_shows_both_people_and_can_be_undone(client_for, world):
    owner, other = _owned_task(world)
    task = owner.planned_task
    before = (owner.person_id, owner.hours, owner.mandate, owner.mandate_budget)
    client = client_for("ict_noord")
    url = reverse("team_task_owner", args=[task.pk])
    data = {
        "owner-person": other.pk,
        "owner-mandate": "executes",
        "owner-version": owner.version,
    }

    asked = client.post(url, data)
    assert asked.status_code == 200
    html = asked.content.decode()
    assert 'id="owner-compare"' in html
    assert f'data-owner-side="{owner.person_id}"' in html
    assert f'data-owner-side="{other.pk}"' in html
    assert html.count("data-knowledge") == 2 and html.count("data-hours-after") == 2
    assert owner.person.full_name in html and other.full_name in html
    # Nothing changed yet.
    owner.refresh_from_db()
    assert owner.person_id == before[0]

    done = client.post(url, {**data, "confirm": "1"})
    assert done.status_code == 302
    now = Assignment.objects.get(planned_task=task, role=AssignmentRole.OWNER)
    assert now.person_id == other.pk

    page = client.get(reverse("team_task", args=[task.pk])).content.decode()
    assert 'id="owner-undo"' in page
    undo = page[page.find('id="owner-undo"') :]
    undo = undo[: undo.find("</form>")]
    import re

    fields = dict(re.findall(r'name="([\w-]+)" value="([^"]*)"', undo))
    assert client.post(url, fields).status_code == 302
    back = Assignment.objects.get(planned_task=task, role=AssignmentRole.OWNER)
    assert (back.person_id, back.hours, back.mandate, back.mandate_budget) == before
    assert isinstance(back.hours, Decimal)


def test_choosing_a_trekker_for_a_task_without_one_does_not_ask(client_for, world):
    task = (
        Assignment.objects.filter(school=world.zuid)
        .values_list("planned_task_id", flat=True)
        .first()
    )
    from teamwerk.planning.models import PlannedTask
    from teamwerk.team.selectors import DISTRIBUTABLE

    free = (
        PlannedTask.objects.filter(plan__school=world.zuid)
        .filter(DISTRIBUTABLE)
        .exclude(assignments__role=AssignmentRole.OWNER)
        .first()
    )
    assert task and free
    person = Person.objects.filter(availabilities__school=world.zuid).first()
    response = client_for("directie_zuid").post(
        reverse("team_task_owner", args=[free.pk]),
        {"owner-person": person.pk, "owner-mandate": "executes", "owner-version": 0},
    )
    assert response.status_code == 302
    assert Assignment.objects.filter(planned_task=free, role=AssignmentRole.OWNER).exists()
