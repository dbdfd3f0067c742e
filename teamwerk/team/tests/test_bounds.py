"""No stored value can take a school down: every number is bounded in the form, the model and
the database, and a value at its bound renders on every page that shows it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from teamwerk.catalogue.models import Task
from teamwerk.core import limits
from teamwerk.planning.models import PlannedTask
from teamwerk.team.models import Assignment, Availability, Competence

ATTACKS = ["100000000", "1e20", "NaN", "Infinity", "-Infinity", "1e-20", "-1", "9" * 5000]


def _owner(world) -> Assignment:
    return (
        Assignment.objects.filter(school=world.noord, role="owner")
        .order_by("planned_task__task__code")
        .first()
    )


def _assignment_post(assignment: Assignment, **overrides) -> dict:
    data = {
        "hours": "10",
        "mandate": "budget",
        "mandate_budget": "500",
        "mandate_note": "",
        "starts_on": assignment.starts_on.isoformat(),
        "ends_on": "",
        "version": assignment.version,
    }
    data.update(overrides)
    return data


SCHOOL_PAGES = ["team_dashboard", "team_matrix", "team_history", "team_people", "team_my_tasks"]


def _pages(world, assignment) -> list[str]:
    """The pages of Campus Noord that show an assignment's numbers."""
    plan = assignment.planned_task.plan_id
    return [reverse(name) for name in SCHOOL_PAGES] + [
        reverse("team_task", args=[assignment.planned_task_id]),
        reverse("team_assignment", args=[assignment.pk]),
        reverse("team_person", args=[assignment.person_id]),
        reverse("stappenplan_school", args=[world.noord.pk]),
        reverse("allocation_home"),
        reverse("plan_detail", args=[plan]),
    ]


@pytest.mark.parametrize("value", ATTACKS)
def test_a_budget_out_of_range_is_refused_with_a_form_error_and_nothing_stored(
    world, client_for, value
):
    assignment = _owner(world)
    before = (assignment.mandate, assignment.mandate_budget, assignment.version)
    client = client_for("ict_noord")
    response = client.post(
        reverse("team_assignment", args=[assignment.pk]),
        _assignment_post(assignment, mandate_budget=value),
    )
    assert response.status_code == 200
    assert "Vul een getal in van 0 tot en met 1.000.000" in response.content.decode()
    assignment.refresh_from_db()
    assert (assignment.mandate, assignment.mandate_budget, assignment.version) == before
    # The school keeps working for everyone.
    for url in _pages(world, assignment):
        assert client.get(url, follow=True).status_code == 200, url
    assert client_for("directeur").get(reverse("team_organisation")).status_code == 200


@pytest.mark.parametrize("value", ["2000.1", "1e20", "NaN", "Infinity", "1e-20", "9" * 5000])
def test_hours_out_of_range_are_refused_on_the_assignment_and_person_forms(
    world, client_for, value
):
    assignment = _owner(world)
    client = client_for("ict_noord")
    response = client.post(
        reverse("team_assignment", args=[assignment.pk]),
        _assignment_post(assignment, hours=value, mandate="executes", mandate_budget=""),
    )
    assert response.status_code == 200
    assert "Vul een getal in van 0 tot en met 2.000" in response.content.decode()
    stored = Assignment.objects.get(pk=assignment.pk)
    assert stored.hours == assignment.hours and stored.version == assignment.version


def test_minus_zero_is_stored_as_zero(world, client_for):
    assignment = _owner(world)
    response = client_for("ict_noord").post(
        reverse("team_assignment", args=[assignment.pk]),
        _assignment_post(assignment, hours="-0", mandate="budget", mandate_budget="-0"),
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert str(assignment.hours) in ("0", "0.0") and not assignment.hours.is_signed()
    assert assignment.mandate_budget == 0 and not assignment.mandate_budget.is_signed()


def test_a_decimal_comma_is_understood(world, client_for):
    assignment = _owner(world)
    response = client_for("ict_noord").post(
        reverse("team_assignment", args=[assignment.pk]),
        _assignment_post(assignment, hours="7,5", mandate_budget="1250,50"),
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.hours == Decimal("7.5")
    assert assignment.mandate_budget == Decimal("1250.50")


@pytest.mark.parametrize(
    "model, field, value",
    [
        (Assignment, "mandate_budget", Decimal("1000000.01")),
        (Assignment, "hours", Decimal("2000.1")),
        (Assignment, "hours", Decimal("-1")),
        (Availability, "hours_available", Decimal("2000.1")),
        (PlannedTask, "hours", Decimal("2000.1")),
        (PlannedTask, "priority", 7),
        (Task, "hours_max", 2001),
        (Competence, "expertise", 4),
    ],
)
def test_the_database_refuses_a_value_out_of_range(world, model, field, value):
    row = model.objects.exclude(**{f"{field}__isnull": True}).first()
    assert row is not None
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(pk=row.pk).update(**{field: value})


def _max_out_the_demo(world) -> None:
    """Every bounded number of the demo at its maximum, written straight into the database."""
    high = {
        "hours": limits.HOURS_PER_YEAR.high,
        "budget": limits.MANDATE_BUDGET.high,
        "task": int(limits.TASK_HOURS.high),
    }
    Assignment.objects.update(hours=high["hours"], mandate="budget", mandate_budget=high["budget"])
    Availability.objects.update(hours_available=high["hours"])
    PlannedTask.objects.update(hours=high["hours"], priority=limits.PRIORITY.high)
    Task.objects.update(hours_min=high["task"], hours_max=high["task"])
    Competence.objects.update(expertise=3, motivation=3)


EVERY_PAGE = [
    "team_dashboard",
    "team_matrix",
    "team_history",
    "team_people",
    "team_agreements",
    "team_my_tasks",
    "stappenplan",
    "allocation_home",
]


def test_values_at_their_bound_render_on_every_page(world, client_for):
    _max_out_the_demo(world)
    assignment = _owner(world)
    client = client_for("ict_noord")
    urls = [reverse(name) for name in EVERY_PAGE] + [
        reverse("team_task", args=[assignment.planned_task_id]),
        reverse("team_assignment", args=[assignment.pk]),
        reverse("team_person", args=[assignment.person_id]),
        reverse("team_competences", args=[assignment.person_id]),
        reverse("stappenplan_school", args=[world.noord.pk]),
        reverse("stappenplan_pdf", args=[world.noord.pk]),
        reverse("plan_detail", args=[assignment.planned_task.plan_id]),
        reverse("catalogue_index"),
        reverse("catalogue_task", args=[assignment.planned_task.task_id]),
    ]
    for url in urls:
        assert client.get(url, follow=True).status_code == 200, url
    directeur = client_for("directeur")
    for url in (
        reverse("team_organisation"),
        reverse("stappenplan_group"),
        reverse("team_matrix"),
    ):
        assert directeur.get(url, follow=True).status_code == 200, url
    # The assignment at its bound can still be saved and removed in the app.
    response = client.post(
        reverse("team_assignment", args=[assignment.pk]),
        _assignment_post(
            assignment,
            hours="2000",
            mandate_budget="1000000",
        ),
    )
    assert response.status_code == 302
    response = client.post(
        reverse("team_assignment_remove", args=[assignment.pk]),
        {"version": assignment.version + 1},
    )
    assert response.status_code == 302
    assert not Assignment.objects.filter(pk=assignment.pk).exists()
