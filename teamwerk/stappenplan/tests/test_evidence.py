"""Evidence next to the checks: what the task overview and the team say."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from teamwerk.planning import services as planning_services
from teamwerk.stappenplan import evidence, selectors, services
from teamwerk.tenancy import services as tenancy_services
from teamwerk.tenancy.selectors import current_school_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def school(world):
    """A new school of the demo group, run by the Noord directie (no plan, no team yet)."""
    school = tenancy_services.school_create(
        organisation=world.organisation, name="Testschool", ict_hours_available=200
    )
    tenancy_services.membership_grant(
        actor=None,
        user=world.users["directie_noord"],
        organisation=world.organisation,
        school=school,
        role="directie",
    )
    world.users["directie_noord"]._tenancy_memberships = None
    return school


def _evidence(user, school):
    state = selectors.position_for(services.journey_ensure(school=school))
    return evidence.evidence_for_school(user, school, state)


def _plan(user, school):
    year = current_school_year(school.organisation)
    plan = planning_services.plan_create_from_catalogue(
        actor=user, school=school, organisation=school.organisation, school_year=year
    )
    items = plan.items.select_related("task").order_by("task__domain__order", "task__code")
    return plan, list(items)


def _decide(user, item, **fields):
    return planning_services.planned_task_update(
        actor=user, item=item, expected_version=item.version, **fields
    )


def test_without_a_plan_the_evidence_says_so(world, school):
    found = _evidence(world.users["directie_noord"], school)
    assert "nog geen takenoverzicht" in found["plan_decided_share"].summary
    assert found["plan_decided_share"].hint is False
    # Team keys without a distribution: "nog geen gegevens", never a guess.
    assert not found["owners"].available
    assert found["owners"].summary == "Nog geen gegevens."


def test_share_of_decided_tasks_and_recruit_or_outsource(world, school):
    user = world.users["directie_noord"]
    _plan_row, items = _plan(user, school)
    total = len(items)
    dropped, outsourced, undecided = items[0], items[1], items[2]
    _decide(user, dropped, applies=False)
    _decide(user, outsourced, applies=True, horizon="now", level="school", sourcing="outsource")

    found = _evidence(user, school)
    share = found["plan_decided_share"]
    assert share.summary.startswith(f"2 van de {total} taken zijn beslist")
    assert undecided.task.title in share.items and share.more == total - 2 - len(share.items)
    assert share.hint is False

    external = found["recruit_outsource_tasks"]
    assert external.items == (f"{outsourced.task.title} (Uitbesteden)",)


def test_every_task_decided_points_to_yes(world, school):
    user = world.users["directie_noord"]
    plan, items = _plan(user, school)
    planning_services.planned_tasks_bulk_update(actor=user, plan=plan, items_or_domain=items,
                                                applies=False)  # fmt: skip
    share = _evidence(user, school)["plan_decided_share"]
    assert share.hint is True and share.items == ()


def test_team_evidence_owners_hours_mandates_and_agreements(world, school):
    from teamwerk.team import services as team_services

    user = world.users["directie_noord"]
    plan, items = _plan(user, school)
    year = current_school_year(school.organisation)
    owned, open_task = items[0], items[1]
    for item in (owned, open_task):
        _decide(user, item, applies=True, horizon="now", level="school", sourcing="team")
    planning_services.planned_tasks_bulk_update(
        actor=user, plan=plan, items_or_domain=items[2:], applies=False
    )
    person = team_services.person_create(
        actor=user,
        organisation=school.organisation,
        school=school,
        school_year=year,
        first_name="Femke",
        last_name="Claes",
        hours_available=Decimal("40"),
    )
    owned.refresh_from_db()
    team_services.assignment_set_owner(
        actor=user, planned_task=owned, person=person, hours=Decimal("12"), mandate="decides"
    )
    team_services.agreement_create(
        actor=user,
        school=school,
        school_year=year,
        kind="knowledge",
        text="Elke maand kennisdeling.",
        agreed_on=timezone.localdate() - dt.timedelta(days=3),
    )

    found = _evidence(user, school)
    owners = found["owners"]
    assert owners.summary.startswith("1 van de 2 taken hebben een trekker")
    assert owners.items == (open_task.task.title,) and owners.hint is False
    assert found["team_members"].items == ("Femke Claes",)
    assert found["mandates"].items == ("Beslist zelf: 1",)
    figures = dict(found["hours"].figures)
    assert figures["hours_divided"] == 12 and figures["hours_available"] == 40
    assert found["hours"].hint is False and "minder verdeeld dan nodig" in found["hours"].why
    assert found["agreement:knowledge"].hint is True
    assert found["agreement:backup"].hint is False
    # Nobody said they can do either task: both lack in-house expertise.
    assert set(found["no_expertise_tasks"].items) == {owned.task.title, open_task.task.title}
    assert found["recruit_outsource_tasks"].hint is False


def test_the_step_7_page_shows_the_evidence_per_item(client_for, world):
    page = client_for("directie_zuid").get(
        reverse("stappenplan_step", kwargs={"school_id": world.zuid.pk, "number": 7})
    )
    text = page.content.decode()
    for check in ("team_members", "owners", "hours", "mandates", "agreement:knowledge"):
        assert f'data-evidence="{check}"' in text


def test_the_last_evaluation_and_the_next_one(world):
    found = _evidence(world.users["ict_noord"], world.noord)
    assert found["last_evaluation"].summary.startswith("Laatste evaluatie:")
    assert "Volgende ten laatste:" in found["last_evaluation"].summary
