"""p50 and p95 of the key pages under concurrent users, against the production server.

Needs the large group (``seed_demo --schools 50``) and collected static files; ``make
bench-load`` prepares both on PostgreSQL. Every figure is also given as a ratio to
``/health/`` measured in the same run, so runs on a busy, shared machine stay comparable.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from teamwerk.core import loadbench
from teamwerk.core.groupseed import DOMAIN, GROUP_NAME


def key_pages() -> list[loadbench.Page]:
    from teamwerk.allocation.models import ProposalRun
    from teamwerk.planning.models import TaskPlan
    from teamwerk.tenancy.models import Organisation

    organisation = Organisation.objects.filter(name=GROUP_NAME).first()
    if organisation is None:
        raise CommandError(f"{GROUP_NAME} is missing: run `manage.py seed_demo --schools 50`.")
    big = organisation.schools.order_by("name").first()
    plan = TaskPlan.objects.filter(school=big).order_by("-school_year__start_year").first()
    run = ProposalRun.objects.filter(school=big).order_by("-pk").first()
    directeur, directie, ict = (
        f"{who}@{DOMAIN}" for who in ("directeur", "directie.s01", "ict.s01")
    )
    school_pages = [
        ("home", reverse("home")),
        ("task overview (200 tasks)", reverse("plan_detail", args=[plan.pk])),
        ("matrix (80 people)", reverse("team_matrix")),
        ("dashboard", reverse("team_dashboard")),
        ("route", reverse("stappenplan_school", args=[big.pk])),
    ]
    if run is not None:
        school_pages.append(("assistant result", reverse("allocation_run", args=[run.pk])))
    pages = [
        loadbench.Page(name, path, who) for who in (directie, ict) for name, path in school_pages
    ]
    pages += [
        loadbench.Page("home", reverse("home"), directeur),
        loadbench.Page("group task overview", reverse("plan_group_overview"), directeur),
        loadbench.Page("group team page", reverse("team_organisation"), directeur),
        loadbench.Page("group route", reverse("stappenplan_group"), directeur),
        loadbench.Page("dashboard", reverse("team_dashboard"), directeur),
    ]
    return pages


class Command(BaseCommand):
    help = "Measure key pages of the 50-school group under concurrent users (gunicorn)."

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=8)
        parser.add_argument("--rounds", type=int, default=5)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--label", default="run", help="name of this run in the JSON file")
        parser.add_argument("--json", default="var/bench-load.json")

    def handle(self, *args, users, rounds, workers, label, json, **options):
        from teamwerk.tenancy.demo import DEMO_PASSWORD
        from teamwerk.tenancy.models import School

        pages = key_pages()
        big = School.objects.filter(organisation__name=GROUP_NAME).order_by("name").first()
        passwords = {page.role: DEMO_PASSWORD for page in pages}

        def choose_big_school(client, role):
            client.post(reverse("switch_school"), {"school": big.pk, "next": "/"})

        self.stdout.write(
            f"gunicorn, {workers} workers; {users} users x {rounds} rounds; "
            f"{len(pages)} pages as {len(passwords)} accounts"
        )
        with loadbench.ProductionServer(
            database_url=os.environ.get("DATABASE_URL"), workers=workers
        ) as server:
            result = loadbench.run_bench(
                base=server.base,
                pages=pages,
                passwords=passwords,
                users=users,
                rounds=rounds,
                setup=choose_big_school,
            )
        self.stdout.write(result.table())
        loadbench.save(result, Path(json), label)
        self.stdout.write(f"saved as {label!r} in {json}")
        if any(row["errors"] for row in result.rows()):
            raise CommandError(f"some pages answered with an error; see {server.log_path}")
