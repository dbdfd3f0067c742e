"""Time the documents of a large school: the bundle of every job description and the plan.

    python manage.py bench_documents [--people 80] [--tasks 200] [--repeat 3]

Builds a school of ``--people`` people and ``--tasks`` tasks (every task with a trekker and
a back-up; the same school as ``bench_team``) inside a transaction that is rolled back,
downloads the documents through the test client and prints median times and sizes. The
bundles are made the way the background worker makes them (in this process), then
downloaded: their time is the worker's time, not a request's.
Nothing stays behind in the database.
"""

from __future__ import annotations

import statistics
import time

from django.core.management.base import BaseCommand
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse

from teamwerk.documents import services
from teamwerk.team.management.commands.bench_team import build_school
from teamwerk.tenancy.selectors import current_school_year


class Rollback(Exception):
    """Leaves the benchmark's transaction without keeping anything."""


class Command(BaseCommand):
    help = "Median times of a school's job-description bundle (zip and PDF) and its plan."

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=80)
        parser.add_argument("--tasks", type=int, default=200)
        parser.add_argument("--repeat", type=int, default=3)

    def handle(self, *args, people: int, tasks: int, repeat: int, **options):
        results = []
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
                from teamwerk.team.models import Person

                person = Person.objects.filter(organisation=school.organisation).first()
                year = current_school_year(school.organisation)
                for fmt in ("zip", "pdf"):
                    times = []
                    for _ in range(max(repeat, 1)):
                        tick = time.perf_counter()
                        # What the background worker does for one bundle, then the download.
                        bundle = services.bundle_request(
                            actor=user, school=school, school_year=year, fmt=fmt
                        )
                        bundle = services.bundle_execute(bundle_id=bundle.pk)
                        if bundle is None or bundle.status != "done":
                            raise RuntimeError(f"bundle {fmt} did not finish: {bundle}")
                        response = client.get(
                            reverse("documents_bundle_download", args=[bundle.pk])
                        )
                        times.append(time.perf_counter() - tick)
                        if response.status_code != 200:
                            raise RuntimeError(f"bundle {fmt} answered {response.status_code}")
                    results.append(
                        (f"bundle .{fmt}", statistics.median(times), min(times), response)
                    )
                downloads = [
                    ("plan .docx", reverse("documents_plan_file", args=[school.pk, "docx"])),
                    ("plan .pdf", reverse("documents_plan_file", args=[school.pk, "pdf"])),
                    (
                        "one job .pdf",
                        reverse("documents_job_file", args=[school.pk, person.pk, "pdf"]),
                    ),
                ]
                for name, url in downloads:
                    times = []
                    for _ in range(max(repeat, 1)):
                        tick = time.perf_counter()
                        response = client.get(url)
                        times.append(time.perf_counter() - tick)
                        if response.status_code != 200:
                            raise RuntimeError(f"{url} answered {response.status_code}")
                    results.append((name, statistics.median(times), min(times), response))
                raise Rollback
        except Rollback:
            pass
        self.stdout.write(
            f"bench_documents: school of {people} people and {tasks} tasks "
            f"(built in {built:.1f} s, rolled back); {repeat} downloads each"
        )
        for name, median, fastest, response in results:
            self.stdout.write(
                f"  {name:13} median {median:6.2f} s  (fastest {fastest:6.2f} s)"
                f"  {len(response.content) / 1024:7.0f} KiB"
            )
