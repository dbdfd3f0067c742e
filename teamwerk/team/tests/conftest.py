"""Fixtures for the team tests: the demo's Campus Noord and Campus Zuid, and a fresh school of
any size for query counts."""

from __future__ import annotations

from decimal import Decimal

import pytest

from teamwerk.planning.models import PlannedTask
from teamwerk.team.models import Assignment, Person
from teamwerk.team.selectors import DISTRIBUTABLE
from teamwerk.tenancy.selectors import current_school_year


@pytest.fixture
def year(world):
    return current_school_year(world.organisation)


def person(world, first_name: str) -> Person:
    return Person.objects.get(organisation=world.organisation, first_name=first_name)


@pytest.fixture
def people(world):
    """Demo people of the Scholengroep by first name (Tom, Ilse, Nadia, Wim, Sofie, ...)."""
    return {p.first_name: p for p in Person.objects.filter(organisation=world.organisation)}


def noord_tasks(world, year):
    return (
        PlannedTask.objects.filter(school=world.noord, plan__school_year=year)
        .filter(DISTRIBUTABLE)
        .select_related("task__domain", "plan__school_year")
        .order_by("task__code")
    )


@pytest.fixture
def pedagogical_task(world, year):
    return noord_tasks(world, year).filter(task__needs_pedagogical_qualification=True).first()


@pytest.fixture
def open_task(world, year):
    """A Campus Noord task for the own team whose distribution we clear for the test."""
    planned = noord_tasks(world, year).filter(task__needs_pedagogical_qualification=False).first()
    Assignment.objects.filter(planned_task=planned).delete()
    return planned


@pytest.fixture
def school_of(world):
    """school_of(n) builds a school in the demo organisation with n people with ICT hours and
    expertise, 20 tasks for the own team and a full distribution; returns (school, user)."""
    from teamwerk.catalogue.models import Domain
    from teamwerk.planning.models import Horizon, Sourcing
    from teamwerk.planning.services import plan_create_from_catalogue, planned_tasks_bulk_update
    from teamwerk.team import services
    from teamwerk.team.selectors import distributable_tasks
    from teamwerk.tenancy.services import school_create

    def build(count: int, name: str = "Testschool"):
        school = school_create(organisation=world.organisation, name=f"{name} {count}")
        user = world.users["directeur"]
        year = current_school_year(world.organisation)
        plan = plan_create_from_catalogue(
            actor=user, school=school, organisation=world.organisation, school_year=year
        )
        items = list(plan.items.order_by("task__code"))[:20]
        planned_tasks_bulk_update(
            actor=user,
            plan=plan,
            items_or_domain=items,
            use_usual_hours=True,
            applies=True,
            horizon=Horizon.NOW,
            sourcing=Sourcing.TEAM,
            level="school",
        )
        domains = list(Domain.objects.all())
        team = []
        for index in range(count):
            member = services.person_create(
                actor=user,
                organisation=world.organisation,
                school=school,
                school_year=year,
                first_name=f"Naam{index}",
                last_name=name,
                email=f"{name.lower().replace(' ', '')}{count}-{index}@example.be",
                pedagogically_qualified=True,
                hours_available=Decimal(30),
            )
            services.competences_save(
                actor=user,
                person=member,
                entries=[
                    services.CompetenceEntry(
                        domain=d, task=None, expertise=index % 4, motivation=(index + 1) % 4
                    )
                    for d in domains
                ],
            )
            team.append(member)
        for index, planned in enumerate(distributable_tasks(plan)):
            owner = team[index % count]
            backups = [team[(index + 1) % count]] if count > 1 else []
            services.distribution_apply(
                actor=user, planned_task=planned, owner=owner, backups=backups
            )
        return school, user

    return build
