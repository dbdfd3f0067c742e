"""What the demo promises: a complete Campus Noord, a half-done Campus Zuid, agreements."""

from __future__ import annotations

import pytest

from teamwerk.team import selectors
from teamwerk.team.models import (
    Agreement,
    AgreementKind,
    Assignment,
    Availability,
    Competence,
    Mandate,
    Person,
)

pytestmark = pytest.mark.django_db


def test_campus_noord_has_a_complete_distribution(world, year):
    figures = selectors.dashboard_figures(world.noord, year)
    assert figures.task_count >= 20
    assert not figures.no_owner
    assert figures.with_backup >= figures.task_count * 3 // 4
    assert not figures.over_hours
    mandates = set(
        Assignment.objects.filter(school=world.noord, role="owner").values_list(
            "mandate", flat=True
        )
    )
    assert {Mandate.DECIDES, Mandate.ADVISES, Mandate.EXECUTES} <= mandates
    assert Assignment.objects.filter(
        school=world.noord, mandate=Mandate.BUDGET, mandate_budget__gt=0
    ).exists()


def test_campus_zuid_is_half_done_with_real_warnings(world, year):
    figures = selectors.dashboard_figures(world.zuid, year)
    assert 0 < len(figures.no_owner) < figures.task_count
    assert figures.over_hours
    assert figures.single_knowledge_tasks or figures.single_knowledge_domains
    assert figures.no_expertise


def test_people_hours_and_skills(world, year):
    for school in (world.noord, world.zuid):
        staff = Availability.objects.filter(school=school, school_year=year)
        assert 15 <= staff.count() <= 40
        ict = staff.filter(hours_available__gt=0)
        assert 6 <= ict.count() <= 12
        for availability in ict:
            domains = Competence.objects.filter(person=availability.person, task__isnull=True)
            assert domains.count() == 6, availability.person
    assert Competence.objects.filter(
        person__availabilities__school=world.noord, task__isnull=False
    ).exists()


def test_demo_accounts_are_people_of_campus_noord(world):
    for key, name in (
        ("teamlid_noord", "Tom Peeters"),
        ("ict_noord", "Ilse Verbeke"),
        ("directie_noord", "Nadia Noorden"),
    ):
        person = Person.objects.get(user=world.users[key])
        assert person.full_name == name
        assert Availability.objects.filter(person=person, school=world.noord).exists()


def test_agreements_of_every_kind_for_noord_and_some_for_zuid(world):
    kinds = set(Agreement.objects.filter(school=world.noord).values_list("kind", flat=True))
    assert kinds == set(AgreementKind.values)
    assert Agreement.objects.filter(school=world.zuid).exists()


def test_flemish_and_dutch_names(world):
    baken = Person.objects.filter(availabilities__school__name="Het Baken")
    assert baken.filter(email__endswith="@stichting-demo.nl").count() == baken.count() > 15


def test_seeding_twice_changes_nothing(world):
    from teamwerk.core.demo import seed_demo

    models = (Person, Availability, Competence, Assignment, Agreement)
    before = [(m.objects.count(), m.history.count()) for m in models]
    seed_demo()
    assert [(m.objects.count(), m.history.count()) for m in models] == before
