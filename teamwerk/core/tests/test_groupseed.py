"""seed_demo --schools N: a large, realistic group for load tests, seeded once."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from teamwerk.allocation.models import ProposalRun, RunStatus
from teamwerk.core.groupseed import GROUP_NAME
from teamwerk.planning.models import PlannedTask
from teamwerk.stappenplan.models import Answer
from teamwerk.team.models import Assignment, Availability, Competence, Person
from teamwerk.tenancy.models import Membership, Organisation

pytestmark = pytest.mark.django_db


def test_seed_demo_with_schools_builds_a_large_group_once(capsys):
    call_command("seed_demo", schools=3, group_only=True)
    out = capsys.readouterr().out
    assert "seeded in" in out and "directeur@groep-groot.be" in out
    group = Organisation.objects.get(name=GROUP_NAME)
    schools = list(group.schools.order_by("name"))
    assert len(schools) == 3
    big = schools[0]
    # The big school: 80 people and 200 tasks; the others about 50 people.
    assert Availability.objects.filter(school=big).count() == 80
    assert PlannedTask.objects.filter(school=big).count() == 200
    assert Person.objects.filter(organisation=group).count() == 80 + 2 * 50
    # Everyone has ratings, a third changed since (two history rows), tasks are distributed
    # with one trekker each, every school answered part of the route.
    people = Person.objects.filter(organisation=group).count()
    ratings = Competence.objects.filter(organisation=group)
    assert ratings.values("person").distinct().count() == people
    assert Competence.history.filter(organisation=group).count() > ratings.count()
    owners = Assignment.objects.filter(organisation=group, role="owner")
    assert owners.count() == owners.values("planned_task").distinct().count() > 100
    assert Assignment.history.filter(organisation=group).count() >= owners.count()
    assert {a.school_id for a in Answer.objects.filter(organisation=group)} == {
        s.pk for s in schools
    }
    # The distribution assistant's proposal of the big school is worked out.
    assert ProposalRun.objects.get(school=big).status == RunStatus.DONE
    # The three accounts of the bench.
    roles = {
        (m.user.email, m.school_id, m.role) for m in Membership.objects.filter(organisation=group)
    }
    assert ("directeur@groep-groot.be", None, "directie") in roles
    assert ("ict.s01@groep-groot.be", big.pk, "ict") in roles
    # A second run leaves the group alone.
    call_command("seed_demo", schools=3, group_only=True)
    assert "exists already" in capsys.readouterr().out
    assert Person.objects.filter(organisation=group).count() == people
