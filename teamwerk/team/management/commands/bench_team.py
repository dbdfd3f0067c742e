"""Time the team dashboard and the distribution matrix for a large school.

    python manage.py bench_team [--people 80] [--tasks 200] [--repeat 5]

Builds a school of ``--people`` people (all with ICT hours and expertise) and ``--tasks``
tasks (every task with a trekker and a back-up) inside a transaction that is rolled back,
renders the pages through the test client a few times, and prints median times and query
counts. Nothing stays behind in the database.
"""

from __future__ import annotations

import statistics
import time
from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext


class Rollback(Exception):
    """Leaves the benchmark's transaction without keeping anything."""


PAGES = [
    ("dashboard", "/team/"),
    ("matrix", "/team/verdeling/"),
    ("people", "/team/mensen/"),
]


class Command(BaseCommand):
    help = "Median render times of the team dashboard and matrix for a large school."

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=80)
        parser.add_argument("--tasks", type=int, default=200)
        parser.add_argument("--repeat", type=int, default=5)

    def handle(self, *args, people: int, tasks: int, repeat: int, **options):
        results: list[tuple[str, float, float, int, int]] = []
        started = time.perf_counter()
        try:
            with (
                transaction.atomic(),
                override_settings(
                    ALLOWED_HOSTS=["*"],
                    SECURE_SSL_REDIRECT=False,
                    PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
                ),
            ):
                user, school = build_school(people=people, tasks=tasks)
                built = time.perf_counter() - started
                client = Client(SERVER_NAME="localhost")
                client.force_login(user)
                client.post("/school/kiezen/", {"school": school.pk, "next": "/"})
                for name, url in PAGES:
                    times = []
                    for _ in range(max(repeat, 1)):
                        with CaptureQueriesContext(connection) as queries:
                            tick = time.perf_counter()
                            response = client.get(url)
                            times.append(time.perf_counter() - tick)
                        if response.status_code != 200:
                            raise RuntimeError(f"{url} answered {response.status_code}")
                    results.append(
                        (
                            name,
                            statistics.median(times),
                            min(times),
                            len(queries),
                            len(response.content),
                        )
                    )
                raise Rollback
        except Rollback:
            pass
        self.stdout.write(
            f"bench_team: school of {people} people and {tasks} tasks "
            f"(built in {built:.1f} s, rolled back); {repeat} renders per page"
        )
        for name, median, fastest, queries, size in results:
            self.stdout.write(
                f"  {name:10} median {median * 1000:7.1f} ms  (fastest {fastest * 1000:7.1f} ms)"
                f"  {queries:3d} queries  {size / 1024:7.0f} KiB"
            )


def build_school(*, people: int, tasks: int):
    """A fresh organisation with one school, its plan, people, skills and a full distribution,
    made through the services like any school."""
    from teamwerk.accounts.services import user_create
    from teamwerk.catalogue.models import Domain, Task
    from teamwerk.catalogue.services import task_create_own
    from teamwerk.planning.models import Horizon, Sourcing
    from teamwerk.planning.services import plan_create_from_catalogue, planned_tasks_bulk_update
    from teamwerk.team import services
    from teamwerk.team.selectors import distributable_tasks
    from teamwerk.tenancy.models import Region
    from teamwerk.tenancy.roles import Role
    from teamwerk.tenancy.selectors import current_school_year
    from teamwerk.tenancy.services import membership_grant, organisation_create, school_create

    stamp = f"{time.time_ns()}"
    organisation = organisation_create(
        name=f"Benchmark {stamp}", kind="scholengroep", region=Region.FLANDERS
    )
    school = school_create(
        organisation=organisation, name="Benchmarkschool", ict_hours_available=2000
    )
    user = user_create(email=f"bench-{stamp}@example.invalid", password=None)
    membership_grant(
        actor=None, user=user, organisation=organisation, school=None, role=Role.DIRECTIE
    )
    year = current_school_year(organisation)
    domains = list(Domain.objects.order_by("order"))
    standard = Task.objects.visible_to_organisation(organisation).count()
    for index in range(max(tasks - standard, 0)):
        task_create_own(
            actor=user,
            organisation=organisation,
            domain=domains[index % len(domains)],
            title_nl=f"Eigen taak {index + 1}",
            hours_min=5,
            hours_max=15,
        )
    plan = plan_create_from_catalogue(
        actor=user, school=school, organisation=organisation, school_year=year
    )
    items = list(plan.items.order_by("task__code"))[:tasks]
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
    team = []
    for index in range(people):
        person = services.person_create(
            actor=user,
            organisation=organisation,
            school=school,
            school_year=year,
            first_name=f"Persoon{index:03d}",
            last_name="Bench",
            email=f"p{index}-{stamp}@example.invalid",
            pedagogically_qualified=index % 4 != 0,
            hours_available=Decimal(40),
        )
        services.competences_save(
            actor=user,
            person=person,
            entries=[
                services.CompetenceEntry(
                    domain=domain,
                    task=None,
                    expertise=(index + position) % 4,
                    motivation=(index * 3 + position) % 4,
                )
                for position, domain in enumerate(domains)
            ],
        )
        team.append(person)
    qualified = [p for p in team if p.pedagogically_qualified]
    for index, planned in enumerate(distributable_tasks(plan)):
        pool = qualified if planned.task.needs_pedagogical_qualification else team
        owner = pool[index % len(pool)]
        backup = pool[(index + 1) % len(pool)]
        services.distribution_apply(
            actor=user,
            planned_task=planned,
            owner=owner,
            backups=[backup] if backup.pk != owner.pk else [],
        )
    return user, school
