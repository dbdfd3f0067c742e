"""Time the assistant at the product's target sizes, from the database to a proposal.

    python manage.py bench_allocation            # both: one big school, a group of 50 schools
    python manage.py bench_allocation --only school
    python manage.py bench_allocation --only group --schools 50 --people 50 --tasks 60

The data is written in one transaction that is rolled back at the end: nothing stays. Writing
it is not counted; what is timed is what a run does: read the school from the database and
build the problem (with its number of queries), solve it (trekkers first, then back-ups),
and turn the solution into the stored result.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import time
from dataclasses import dataclass
from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from teamwerk.allocation.problem import (
    SCHOOL_TIME_LIMIT_S,
    ProposalOptions,
    build_problem,
    result_json,
    solve_owners_first,
)
from teamwerk.catalogue.models import Domain
from teamwerk.catalogue.models import Task as CatalogueTask
from teamwerk.planning.models import PlannedTask, TaskPlan
from teamwerk.team.models import Assignment, AssignmentRole, Availability, Competence, Person
from teamwerk.tenancy.models import Organisation, School, SchoolYear

SCHOOL_TARGET_S = 5.0
GROUP_TARGET_S = 60.0
# The group's schools share this solving budget (each school at most SCHOOL_TIME_LIMIT_S).
GROUP_SOLVE_BUDGET_S = 45.0
DOMAINS = ("POL", "SUP", "PED", "TEC", "PRO", "COO")
HOURS_AVAILABLE = (0, 0, 10, 20, 20, 30, 40, 40, 60, 80, 120)
TASK_HOURS = (2, 4, 6, 8, 8, 10, 15, 20, 30)


class Rollback(Exception):
    """Leaves the bench data behind: the transaction is rolled back."""


@dataclass
class Timing:
    build_s: float = 0.0
    solve_s: float = 0.0
    store_s: float = 0.0
    queries: int = 0
    tasks: int = 0
    owners: int = 0
    backups: int = 0
    coverable: int = 0
    status: str = ""

    @property
    def total_s(self) -> float:
        return self.build_s + self.solve_s + self.store_s


class Command(BaseCommand):
    help = "Time a proposal for a school of 80 people and 200 tasks, and for 50 schools."

    def add_arguments(self, parser):
        parser.add_argument("--only", choices=["school", "group"])
        parser.add_argument("--school-people", type=int, default=80)
        parser.add_argument("--school-tasks", type=int, default=200)
        parser.add_argument("--schools", type=int, default=50)
        parser.add_argument("--people", type=int, default=50, help="people per school (group)")
        parser.add_argument("--tasks", type=int, default=60, help="tasks per school (group)")
        parser.add_argument("--seed", type=int, default=0)

    def handle(self, *args, only=None, seed=0, **options):
        self.rng = random.Random(seed)  # noqa: S311 - bench data
        self.stdout.write("Teamwerk allocation bench (database → problem → proposal)")
        # The machine may be shared: the load puts the seconds below in context.
        load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
        self.stdout.write(f"    machine: {os.cpu_count()} cores, load average {load}")
        try:
            with transaction.atomic():
                self.domains = self._domains()
                if only in (None, "school"):
                    self._bench_school(options["school_people"], options["school_tasks"])
                if only in (None, "group"):
                    self._bench_group(options["schools"], options["people"], options["tasks"])
                raise Rollback
        except Rollback:
            self.stdout.write("Bench data rolled back.")

    # ------------------------------------------------------------------------ benches

    def _bench_school(self, people: int, tasks: int) -> None:
        self.stdout.write(f"(a) one school: {people} people, {tasks} tasks")
        started = time.perf_counter()
        organisation = self._organisation("Bench school")
        [(school, year)] = self._schools(organisation, 1, people, tasks)
        self.stdout.write(f"    data written in {time.perf_counter() - started:.1f} s (not timed)")
        timing = self._propose(school, year, SCHOOL_TIME_LIMIT_S)
        self._report(timing, SCHOOL_TARGET_S)
        self.stdout.write(
            f"    build {timing.build_s:.2f} s ({timing.queries} queries) · "
            f"solve {timing.solve_s:.2f} s ({timing.status}) · store {timing.store_s:.2f} s"
        )

    def _bench_group(self, schools: int, people: int, tasks: int) -> None:
        self.stdout.write(
            f"(b) organisation: {schools} schools, {schools * people:,} people, "
            f"{schools * tasks:,} tasks, each school solved on its own"
        )
        started = time.perf_counter()
        organisation = self._organisation("Bench group")
        places = self._schools(organisation, schools, people, tasks)
        self.stdout.write(f"    data written in {time.perf_counter() - started:.1f} s (not timed)")
        total = Timing()
        slowest = 0.0
        statuses: dict[str, int] = {}
        solve_started = time.perf_counter()
        for index, (school, year) in enumerate(places):
            left = GROUP_SOLVE_BUDGET_S - (time.perf_counter() - solve_started)
            limit = max(0.2, min(SCHOOL_TIME_LIMIT_S, left / (len(places) - index)))
            timing = self._propose(school, year, limit)
            slowest = max(slowest, timing.total_s)
            statuses[timing.status] = statuses.get(timing.status, 0) + 1
            for name in ("build_s", "solve_s", "store_s", "queries", "tasks", "owners"):
                setattr(total, name, getattr(total, name) + getattr(timing, name))
            total.backups += timing.backups
            total.coverable += timing.coverable
        total.status = ", ".join(f"{k} {v}" for k, v in sorted(statuses.items()))
        self._report(total, GROUP_TARGET_S)
        self.stdout.write(
            f"    build {total.build_s:.2f} s ({total.queries} queries) · "
            f"solve {total.solve_s:.2f} s · store {total.store_s:.2f} s · "
            f"slowest school {slowest:.2f} s · {total.status}"
        )

    def _propose(self, school: School, year: SchoolYear, time_limit_s: float) -> Timing:
        timing = Timing()
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            built = build_problem(school, year, options=ProposalOptions())
        timing.queries = len(queries)
        timing.build_s = time.perf_counter() - started
        started = time.perf_counter()
        solution = solve_owners_first(built.problem, time_limit_s=time_limit_s)
        timing.solve_s = time.perf_counter() - started
        started = time.perf_counter()
        result = result_json(built, solution)
        timing.store_s = time.perf_counter() - started
        timing.status = solution.status
        timing.tasks = len(result["tasks"])
        timing.owners = result["summary"]["with_owner"]
        timing.backups = result["summary"]["with_backup"]
        people = built.problem.people
        timing.coverable = sum(
            1
            for task in built.problem.tasks
            if any(
                p.hours_available >= task.hours and (p.qualified or not task.needs_qualification)
                for p in people
            )
        )
        return timing

    def _report(self, timing: Timing, target_s: float) -> None:
        verdict = "OK" if timing.total_s <= target_s else "TOO SLOW"
        self.stdout.write(
            f"    time to a proposal: {timing.total_s:.2f} s (target ≤ {target_s:.0f} s) {verdict}"
        )
        self.stdout.write(
            f"    trekkers {timing.owners}/{timing.tasks} (a trekker is possible for "
            f"{timing.coverable}) · back-ups {timing.backups}/{timing.tasks}"
        )

    # --------------------------------------------------------------------------- data

    def _domains(self) -> list[Domain]:
        domains = list(Domain.objects.order_by("order"))
        if domains:
            return domains
        return [
            Domain.objects.create(code=code, order=i, name_nl=code, name_en=code)
            for i, code in enumerate(DOMAINS)
        ]

    def _organisation(self, name: str) -> Organisation:
        return Organisation.objects.create(name=name)

    def _schools(self, organisation, count: int, people: int, tasks: int) -> list[tuple]:
        rng = self.rng
        year = SchoolYear.objects.create(organisation=organisation, start_year=2025)
        catalogue = CatalogueTask.objects.bulk_create(
            [
                CatalogueTask(
                    organisation=organisation,
                    code=f"B{n:03}",
                    domain=self.domains[n % len(self.domains)],
                    title_nl=f"Banktaak {n}",
                    title_en=f"Bench task {n}",
                    needs_pedagogical_qualification=rng.random() < 0.2,
                    strategic=rng.random() < 0.3,
                    technical=n % len(self.domains) == 3,
                    outsourceable=rng.random() < 0.3,
                )
                for n in range(tasks)
            ]
        )
        schools = School.objects.bulk_create(
            [School(organisation=organisation, name=f"School {i + 1}") for i in range(count)]
        )
        plans = TaskPlan.objects.bulk_create(
            [TaskPlan(organisation=organisation, school=s, school_year=year) for s in schools]
        )
        planned = PlannedTask.objects.bulk_create(
            [
                PlannedTask(
                    organisation=organisation,
                    school=plan.school,
                    plan=plan,
                    task=task,
                    applies=True,
                    horizon="now",
                    level="school",
                    sourcing="team",
                    hours=Decimal(rng.choice(TASK_HOURS)),
                )
                for plan in plans
                for task in catalogue
            ]
        )
        persons = Person.objects.bulk_create(
            [
                Person(
                    organisation=organisation,
                    first_name="Bank",
                    last_name=f"{s.pk}-{i}",
                    pedagogically_qualified=rng.random() < 0.7,
                )
                for s in schools
                for i in range(people)
            ]
        )
        hours = {p.pk: Decimal(rng.choice(HOURS_AVAILABLE)) for p in persons}
        Availability.objects.bulk_create(
            [
                Availability(
                    organisation=organisation,
                    school=schools[index // people],
                    school_year=year,
                    person=person,
                    hours_available=hours[person.pk],
                )
                for index, person in enumerate(persons)
            ]
        )
        competences = []
        for person in persons:
            for domain in self.domains:
                competences.append(
                    Competence(
                        organisation=organisation,
                        person=person,
                        domain=domain,
                        expertise=rng.randint(0, 3),
                        motivation=rng.randint(0, 3),
                    )
                )
            for task in rng.sample(catalogue, min(5, len(catalogue))):
                competences.append(
                    Competence(
                        organisation=organisation,
                        person=person,
                        domain=task.domain,
                        task=task,
                        expertise=rng.randint(1, 3),
                        motivation=rng.randint(1, 3),
                    )
                )
        Competence.objects.bulk_create(competences)
        # Today's distribution: more than half of the tasks have a trekker, some a back-up.
        staff = {s.pk: persons[i * people : (i + 1) * people] for i, s in enumerate(schools)}
        assignments = []
        for item in planned:
            team = [p for p in staff[item.school_id] if hours[p.pk] > 0]
            if not team or rng.random() > 0.6:
                continue
            owner, backup = rng.sample(team, 2) if len(team) > 1 else (team[0], None)
            for person, role in ((owner, AssignmentRole.OWNER), (backup, AssignmentRole.BACKUP)):
                if person is None or (role == AssignmentRole.BACKUP and rng.random() > 0.5):
                    continue
                assignments.append(
                    Assignment(
                        organisation=organisation,
                        school_id=item.school_id,
                        planned_task=item,
                        person=person,
                        role=role,
                        hours=item.hours if role == AssignmentRole.OWNER else Decimal("0"),
                        starts_on=dt.date(2025, 9, 1),
                    )
                )
        Assignment.objects.bulk_create(assignments)
        return [(school, year) for school in schools]
