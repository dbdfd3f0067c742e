"""A realistic large group for load tests: ``manage.py seed_demo --schools 50``.

One organisation ("Scholengroep Groot") with N schools. School 1 is the big one: 80 people and
200 tasks in its overview (the standard catalogue plus the school's own tasks); every other
school has about 50 people and the catalogue. Everyone has ratings (expertise and motivation
per domain, some changed later, so the history has more than one row), a place and hours in
their school, and the applying tasks are distributed (a trekker, often a back-up). Every school
has answered the first steps of the route.

Rows are written with ``bulk_create_with_history`` (one history row each, as the services
would write) in batches: 50 schools take a few minutes on PostgreSQL, not an hour. Stable
pseudo-random choices (seeded by the school number) make every run the same.

Accounts (password: the demo password):
  directeur@groep-groot.be    directie of the whole group
  directie.s01@groep-groot.be directie of school 1 (the big one)
  ict.s01@groep-groot.be      ICT coordinator of school 1
"""

from __future__ import annotations

import datetime as dt
import random
import time
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

GROUP_NAME = "Scholengroep Groot"
DOMAIN = "groep-groot.be"
BIG_SCHOOL_PEOPLE = 80
BIG_SCHOOL_TASKS = 200
PEOPLE_PER_SCHOOL = 50
ROUTE_CHECKS_ANSWERED = 8
BATCH = 2000

ACCOUNTS = [
    ("directeur", "Greta", "Groepsdirecteur", None, "directie"),
    ("directie.s01", "Daan", "Directeur", 0, "directie"),
    ("ict.s01", "Ines", "Coördinator", 0, "ict"),
]

GROUP_ACCOUNTS_HELP = [
    (f"directeur@{DOMAIN}", "directie (alle scholen), Scholengroep Groot"),
    (f"directie.s01@{DOMAIN}", "directie, School 01 (80 mensen, 200 taken)"),
    (f"ict.s01@{DOMAIN}", "ict-coördinator, School 01"),
]

FIRST = [
    "An", "Bart", "Charlotte", "Dries", "Els", "Filip", "Griet", "Hans", "Inge", "Jan",
    "Katrien", "Luc", "Marie", "Nico", "Oona", "Pieter", "Quinten", "Ruth", "Sofie", "Tim",
    "Ulla", "Veerle", "Wim", "Xavier", "Yana", "Zoë", "Arne", "Bram", "Lien", "Stijn",
]  # fmt: skip
LAST = [
    "Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens",
    "Wouters", "De Smet", "Dubois", "Hermans", "Aerts", "Michiels", "Lambrechts", "Vermeulen",
    "Van den Broeck", "Desmet", "Verhoeven", "Smets", "Martens", "Cools", "Pauwels", "Geerts",
]  # fmt: skip
JOBS = ["leraar", "leraar met ICT-taak", "ICT-coördinator", "technicus", "zorgcoördinator",
        "beleidsmedewerker", "leraar informatica", "secretariaat"]  # fmt: skip
WISHES = ["", "", "", "Meer leren over Microsoft 365 beheer.", "Graag een cursus netwerken.",
          "Wil leerlingen leren programmeren.", "Meer weten over privacy en AVG."]  # fmt: skip


@dataclass
class SeedReport:
    schools: int = 0
    people: int = 0
    planned_tasks: int = 0
    ratings: int = 0
    assignments: int = 0
    answers: int = 0
    history_rows: int = 0
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)

    def lines(self) -> list[str]:
        out = [
            f"schools {self.schools}, people {self.people}, planned tasks {self.planned_tasks}",
            f"ratings {self.ratings}, assignments {self.assignments}, route answers "
            f"{self.answers}, history rows {self.history_rows}",
            f"seeded in {self.seconds:.1f} s",
        ]
        out += [f"  {step}: {secs:.1f} s" for step, secs in self.timings.items()]
        return out


def group_exists() -> bool:
    from teamwerk.tenancy.models import Organisation

    return Organisation.objects.filter(name=GROUP_NAME).exists()


def seed_group(*, schools: int = 50, big_school_tasks: int = BIG_SCHOOL_TASKS) -> SeedReport:
    """Create the group; refuses when it exists already (delete it first to seed again)."""
    from teamwerk.accounts.models import User
    from teamwerk.accounts.services import user_create
    from teamwerk.catalogue.models import Domain, Task
    from teamwerk.planning.models import Horizon, PlannedTask, Priority, Sourcing, TaskPlan
    from teamwerk.stappenplan.models import Answer, Journey
    from teamwerk.stappenplan.route import default_route
    from teamwerk.team.models import Assignment, AssignmentRole, Availability, Competence, Person
    from teamwerk.tenancy import services as tenancy
    from teamwerk.tenancy.demo import DEMO_PASSWORD
    from teamwerk.tenancy.models import OrganisationKind, Region, SchoolLevel
    from teamwerk.tenancy.selectors import current_school_year

    if schools < 1 or schools > 500:
        raise ValueError("between 1 and 500 schools")
    if group_exists():
        raise ValueError(f"{GROUP_NAME} exists already")
    report = SeedReport()
    started = time.monotonic()
    mark = [started]

    def lap(step: str) -> None:
        now = time.monotonic()
        report.timings[step] = now - mark[0]
        mark[0] = now

    now = timezone.now()
    month_ago = now - dt.timedelta(days=30)
    with transaction.atomic():
        organisation = tenancy.organisation_create(
            name=GROUP_NAME,
            kind=OrganisationKind.GROUP,
            region=Region.FLANDERS,
            require_mfa_for_admins=False,
        )
        school_list = []
        for index in range(schools):
            primary = index % 3 == 2
            school_list.append(
                tenancy.school_create(
                    organisation=organisation,
                    name=f"School {index + 1:02d} {'Basis' if primary else 'Campus'}",
                    number=f"{900000 + index}",
                    level=SchoolLevel.NURSERY_PRIMARY if primary else SchoolLevel.SECONDARY,
                    ict_hours_available=300 if index else 900,
                )
            )
        year = current_school_year(organisation)
        users = {}
        for local, first, last, school_index, role in ACCOUNTS:
            email = f"{local}@{DOMAIN}"
            user = User.objects.filter(email=email).first() or user_create(
                email=email, password=DEMO_PASSWORD, first_name=first, last_name=last
            )
            tenancy.membership_grant(
                actor=None,
                user=user,
                organisation=organisation,
                school=None if school_index is None else school_list[school_index],
                role=role,
            )
            users[local] = user
        actor = users["directeur"]
        lap("organisation, schools, accounts")

        # The big school's own tasks, so its overview has `big_school_tasks` rows.
        domains = list(Domain.objects.order_by("order"))
        catalogue = list(Task.objects.filter(organisation=None, retired=False).order_by("code"))
        own_count = max(0, big_school_tasks - len(catalogue))
        own = [
            Task(
                organisation=organisation,
                made_by_school=school_list[0],
                domain=domains[i % len(domains)],
                code=f"EIGEN-{i + 1:03d}",
                title_nl=f"Eigen taak {i + 1}: opvolging toestelpark lokaal {100 + i}",
                title_en=f"Own task {i + 1}: follow-up of the devices in room {100 + i}",
                hours_min=2,
                hours_max=10,
            )
            for i in range(own_count)
        ]
        bulk_create_with_history(own, Task, batch_size=BATCH, default_user=actor)
        own = list(Task.objects.filter(organisation=organisation).order_by("code"))
        lap("own tasks")

        plans = [
            TaskPlan(organisation=organisation, school=school, school_year=year)
            for school in school_list
        ]
        bulk_create_with_history(plans, TaskPlan, batch_size=BATCH, default_user=actor)
        plans = {p.school_id: p for p in TaskPlan.objects.filter(organisation=organisation)}
        items = []
        for index, school in enumerate(school_list):
            rng = random.Random(f"plan-{index}")  # noqa: S311 - demo data
            tasks = catalogue + (own if index == 0 else [])
            for task in tasks:
                roll = rng.random()
                applies = task.core or roll > 0.15
                items.append(
                    PlannedTask(
                        organisation=organisation,
                        school=school,
                        plan=plans[school.pk],
                        task=task,
                        applies=applies,
                        horizon=(Horizon.NOW if roll < 0.8 else Horizon.LATER) if applies else "",
                        level="school" if applies else "",
                        sourcing=(Sourcing.OUTSOURCE if roll > 0.93 else Sourcing.TEAM)
                        if applies
                        else "",
                        hours=Decimal(max(1, task.hours_min or 2)) if applies else None,
                        priority=(Priority.HIGH if task.core else Priority.MEDIUM)
                        if applies
                        else None,
                    )
                )
        bulk_create_with_history(
            items, PlannedTask, batch_size=BATCH, default_user=actor, default_date=month_ago
        )
        report.planned_tasks = len(items)
        lap("plans and planned tasks")

        people = []
        for index in range(len(school_list)):
            rng = random.Random(f"people-{index}")  # noqa: S311 - demo data
            for n in range(BIG_SCHOOL_PEOPLE if index == 0 else PEOPLE_PER_SCHOOL):
                first, last = rng.choice(FIRST), rng.choice(LAST)
                people.append(
                    Person(
                        organisation=organisation,
                        first_name=first,
                        last_name=last,
                        email=f"p{index + 1:02d}.{n + 1:03d}@{DOMAIN}",
                        job_title=rng.choice(JOBS),
                        pedagogically_qualified=rng.random() < 0.7,
                    )
                )
        bulk_create_with_history(
            people, Person, batch_size=BATCH, default_user=actor, default_date=month_ago
        )
        people = list(Person.objects.filter(organisation=organisation).order_by("email"))
        by_school: dict[int, list] = {}
        for person in people:
            by_school.setdefault(int(person.email[1:3]) - 1, []).append(person)
        report.people = len(people)
        availabilities = [
            Availability(
                organisation=organisation,
                school=school_list[index],
                school_year=year,
                person=person,
                hours_available=Decimal(
                    random.Random(person.email).choice([0, 0, 20, 40, 60, 120])  # noqa: S311
                ),
            )
            for index, members in by_school.items()
            for person in members
        ]
        bulk_create_with_history(availabilities, Availability, batch_size=BATCH, default_user=actor)
        lap("people and availability")

        ratings = []
        for person in people:
            rng = random.Random(f"ratings-{person.email}")  # noqa: S311 - demo data
            for domain in domains:
                ratings.append(
                    Competence(
                        organisation=organisation,
                        person=person,
                        domain=domain,
                        expertise=rng.randint(0, 3),
                        motivation=rng.randint(0, 3),
                        development_wish=rng.choice(WISHES),
                        set_by_self=True,
                    )
                )
        bulk_create_with_history(
            ratings, Competence, batch_size=BATCH, default_user=actor, default_date=month_ago
        )
        # A third changed their mind since: a second history row with today's date.
        changed = list(Competence.objects.filter(organisation=organisation).order_by("pk")[::3])
        for rating in changed:
            rating.expertise = min(3, rating.expertise + 1)
        bulk_update_with_history(
            changed, Competence, ["expertise"], batch_size=BATCH, default_user=actor
        )
        report.ratings = len(ratings)
        lap("ratings")

        assignments = []
        starts = dt.date(year.start_year, 9, 1)
        school_index = {school.pk: i for i, school in enumerate(school_list)}
        for item in PlannedTask.objects.filter(organisation=organisation, applies=True).only(
            "pk", "school_id", "hours", "sourcing"
        ):
            if item.sourcing == Sourcing.OUTSOURCE:
                continue
            members = by_school[school_index[item.school_id]]
            rng = random.Random(f"assign-{item.pk}")  # noqa: S311 - demo data
            owner, backup = rng.sample(members, 2)
            assignments.append(
                Assignment(
                    organisation=organisation,
                    school_id=item.school_id,
                    planned_task=item,
                    person=owner,
                    role=AssignmentRole.OWNER,
                    hours=item.hours or Decimal(0),
                    starts_on=starts,
                )
            )
            if rng.random() < 0.5:
                assignments.append(
                    Assignment(
                        organisation=organisation,
                        school_id=item.school_id,
                        planned_task=item,
                        person=backup,
                        role=AssignmentRole.BACKUP,
                        hours=Decimal(0),
                        starts_on=starts,
                    )
                )
        bulk_create_with_history(
            assignments, Assignment, batch_size=BATCH, default_user=actor, default_date=month_ago
        )
        report.assignments = len(assignments)
        lap("distributions")

        journeys = [
            Journey(organisation=organisation, school=school, route_version=default_route().version)
            for school in school_list
        ]
        bulk_create_with_history(journeys, Journey, batch_size=BATCH, default_user=actor)
        codes = [code for code in default_route().codes if not code.startswith("S4.")]
        answers = []
        for journey in Journey.objects.filter(organisation=organisation, school__isnull=False):
            rng = random.Random(f"route-{journey.school_id}")  # noqa: S311 - demo data
            depth = rng.randint(2, ROUTE_CHECKS_ANSWERED)
            for n, code in enumerate(codes[:depth]):
                answers.append(
                    Answer(
                        organisation=organisation,
                        school_id=journey.school_id,
                        journey=journey,
                        check_code=code,
                        value=True,
                        answered_by=users["ict.s01"]
                        if journey.school_id == school_list[0].pk
                        else actor,
                        answered_at=month_ago + dt.timedelta(days=n),
                    )
                )
        bulk_create_with_history(answers, Answer, batch_size=BATCH, default_user=actor)
        report.answers = len(answers)
        lap("route answers")

    # The distribution assistant's proposal for the big school (worked out here, not queued).
    from teamwerk.allocation.problem import ProposalOptions
    from teamwerk.allocation.services import proposal_run_execute, proposal_start

    with transaction.atomic():
        run = proposal_start(
            actor=users["ict.s01"],
            organisation=organisation,
            school=school_list[0],
            options=ProposalOptions(),
        )
    proposal_run_execute(run_id=run.pk)
    lap("assistant proposal")

    report.schools = len(school_list)
    report.history_rows = sum(
        model.history.filter(**{"organisation": organisation}).count()
        for model in (PlannedTask, Person, Competence, Assignment, Answer, Availability)
    )
    report.seconds = time.monotonic() - started
    return report
