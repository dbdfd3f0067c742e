"""Property tests in the app: generated teams and tasks in the database, built into a
problem by the app and solved owners-first, always respect the hard rules, and the objective
the run reports is the one recomputed from its assignments."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from teamwerk.allocation.engine import evaluate, violations
from teamwerk.allocation.problem import (
    ProposalOptions,
    build_problem,
    result_json,
    solve_owners_first,
)
from teamwerk.catalogue.models import Domain
from teamwerk.catalogue.models import Task as CatalogueTask
from teamwerk.planning.models import PlannedTask, TaskPlan
from teamwerk.team.models import Assignment, AssignmentRole, Availability, Competence, Person
from teamwerk.tenancy.models import School
from teamwerk.tenancy.selectors import current_school_year

LEVELS = ("laag", "middel", "hoog")

person_spec = st.fixed_dictionaries(
    {
        "hours": st.sampled_from([0, 0, 4, 10, 20, 40, 80]),
        "qualified": st.booleans(),
        "active": st.sampled_from([True, True, True, False]),
        # domain index -> (expertise, motivation); a missing domain = not filled in
        "skills": st.dictionaries(
            st.integers(0, 5), st.tuples(st.integers(0, 3), st.integers(0, 3)), max_size=6
        ),
    }
)
task_spec = st.fixed_dictionaries(
    {
        "hours": st.sampled_from([0, 2, 5, 8, 15, 30, 60]),
        "pedagogical": st.booleans(),
        "owner": st.none() | st.integers(0, 7),
        "backup": st.none() | st.integers(0, 7),
    }
)
instance = st.fixed_dictionaries(
    {
        "people": st.lists(person_spec, min_size=0, max_size=7),
        "tasks": st.lists(task_spec, min_size=0, max_size=10),
        "keep_owners": st.booleans(),
        "lock_first_person": st.booleans(),
        "continuity": st.sampled_from(LEVELS),
        "balance": st.sampled_from(LEVELS),
        "allow_overload": st.booleans(),
    }
)


def _catalogue(pedagogical: bool) -> list[CatalogueTask]:
    return list(
        CatalogueTask.objects.filter(
            organisation__isnull=True, needs_pedagogical_qualification=pedagogical
        ).order_by("code")
    )


def _make_school(world, spec) -> tuple[School, object, dict, dict]:
    """The generated instance as rows (plan, people, hours, skills, a current distribution
    that may itself break rules, as imported data can)."""
    organisation = world.organisation
    year = current_school_year(organisation)
    school = School.objects.create(organisation=organisation, name="Proefschool")
    plan = TaskPlan.objects.create(organisation=organisation, school=school, school_year=year)
    domains = list(Domain.objects.order_by("order"))
    people = []
    for index, p in enumerate(spec["people"]):
        person = Person.objects.create(
            organisation=organisation,
            first_name="Proef",
            last_name=f"Persoon {index}",
            pedagogically_qualified=p["qualified"],
            active=p["active"],
        )
        Availability.objects.create(
            organisation=organisation,
            school=school,
            school_year=year,
            person=person,
            hours_available=Decimal(p["hours"]),
        )
        for domain_index, (expertise, motivation) in p["skills"].items():
            Competence.objects.create(
                organisation=organisation,
                person=person,
                domain=domains[domain_index % len(domains)],
                expertise=expertise,
                motivation=motivation,
            )
        people.append(person)
    pools = {True: _catalogue(True), False: _catalogue(False)}
    used: set[int] = set()
    planned = []
    for t in spec["tasks"]:
        task = next(c for c in pools[t["pedagogical"]] if c.pk not in used)
        used.add(task.pk)
        item = PlannedTask.objects.create(
            organisation=organisation,
            school=school,
            plan=plan,
            task=task,
            applies=True,
            horizon="now",
            level="school",
            sourcing="team",
            hours=Decimal(t["hours"]),
        )
        planned.append(item)
        holders = {}
        if t["owner"] is not None and t["owner"] < len(people):
            holders[people[t["owner"]].pk] = AssignmentRole.OWNER
        if t["backup"] is not None and t["backup"] < len(people):
            holders.setdefault(people[t["backup"]].pk, AssignmentRole.BACKUP)
        for person_id, role in holders.items():
            Assignment.objects.create(
                organisation=organisation,
                school=school,
                planned_task=item,
                person_id=person_id,
                role=role,
                hours=Decimal(t["hours"]) if role == AssignmentRole.OWNER else Decimal("0"),
                starts_on=dt.date(year.start_year, 9, 1),
            )
    return school, year, {p.pk: p for p in people}, {t.pk: t for t in planned}


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(spec=instance)
def test_proposals_from_the_database_respect_every_hard_rule(world, spec):
    with transaction.atomic():
        school, year, people, planned = _make_school(world, spec)
        options = ProposalOptions(
            keep_owners=spec["keep_owners"],
            locked_people=tuple(list(people)[:1]) if spec["lock_first_person"] else (),
            continuity=spec["continuity"],
            balance=spec["balance"],
            allow_overload=spec["allow_overload"],
        )
        built = build_problem(school, year, options=options)
        solution = solve_owners_first(built.problem, time_limit_s=2.0)
        hours = dict(
            Availability.objects.filter(school=school).values_list("person_id", "hours_available")
        )
        transaction.set_rollback(True)

    assert solution.status in ("optimal", "feasible", "empty"), solution.messages
    # The engine's own check of the hard rules, on the problem the app built…
    assert violations(built.problem, solution.assignments) == []
    # …and the objective the run reports is the one recomputed from the assignments.
    assert solution.objective == evaluate(built.problem, solution.assignments).objective

    # The same rules, checked against the database rows themselves.
    load = {pid: Decimal("0") for pid in people}
    for task_id, item in planned.items():
        owner, backups = solution.assignments.get(task_id, (None, ()))
        assert owner is None or owner not in backups  # a back-up is never the trekker
        assert len(backups) <= 1
        for pid in [owner, *backups] if owner is not None else list(backups):
            person = people[pid]
            assert person.active
            assert hours[pid] > 0  # nobody without ICT hours here
            assert person.pedagogically_qualified or not item.task.needs_pedagogical_qualification
        if owner is not None:
            load[owner] += item.hours
        for pid in backups:
            load[pid] += item.hours * Decimal("0.15")
    if not spec["allow_overload"]:
        for pid, total in load.items():
            assert total <= hours[pid] + Decimal("0.01")
    # A trekker is only missing where nobody could take the task on.
    for task_id in planned:
        owner, _backups = solution.assignments.get(task_id, (None, ()))
        if owner is None:
            assert any(slot.task_id == task_id for slot in solution.uncovered)

    # What the run stores says the same as the solution.
    stored = result_json(built, solution)
    assert stored["objective"] == solution.objective
    for entry in stored["tasks"]:
        owner, backups = solution.assignments.get(entry["id"], (None, ()))
        assert entry["proposed"] == {"owner": owner, "backups": list(backups)}
