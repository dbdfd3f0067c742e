"""`manage.py bench_planning`: how long Excel export and import of a big task plan take.

Builds a throwaway organisation with a plan of --rows tasks inside a transaction that is
rolled back at the end, so the database is left exactly as it was. The import is timed on a
file in which every row differs from the plan, so every task is written (with history).
"""

from __future__ import annotations

import contextlib
import io
import time
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from teamwerk.accounts.services import user_create
from teamwerk.catalogue.models import Domain, Task
from teamwerk.catalogue.services import catalogue_load
from teamwerk.planning import excel, selectors, services
from teamwerk.planning.models import Horizon, PlannedTask, Sourcing
from teamwerk.team.importer import ImportRefused, read_table
from teamwerk.tenancy.models import OrganisationKind, Region
from teamwerk.tenancy.roles import Role
from teamwerk.tenancy.services import (
    membership_grant,
    organisation_create,
    school_create,
    school_year_ensure,
)


class _Rollback(Exception):
    pass


def _last_cell_only() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active["A1048576"] = "x"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class _Timer:
    """Wall-clock and CPU seconds of a block (CPU shows the cost when the machine is busy)."""

    def __enter__(self):
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.figures = (time.perf_counter() - self.wall, time.process_time() - self.cpu)


class Command(BaseCommand):
    help = "Time Excel export and import of a large task plan (nothing is kept)."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=5000, help="Tasks in the plan.")

    def handle(self, *args, rows: int = 5000, **options):
        figures = {}
        try:
            with transaction.atomic():
                figures = self._run(rows)
                raise _Rollback
        except _Rollback:
            pass
        vendor = connection.vendor
        write = self.stdout.write
        write(f"Task plan Excel benchmark: {figures['rows']:,} rows ({vendor}); wall / CPU time")
        for key, label, note in (
            ("export", "export", f"({figures['size'] / 1024:,.0f} KB)"),
            ("read", "import: read file", ""),
            ("validate", "import: validate rows", ""),
            ("apply", "import: apply", f"({figures['changed']:,} tasks changed, with history)"),
        ):
            wall, cpu = figures[key]
            write(f"  {label:<22} {wall:6.2f} s / {cpu:6.2f} s  {note}".rstrip())
        wall = sum(figures[k][0] for k in ("read", "validate", "apply"))
        cpu = sum(figures[k][1] for k in ("read", "validate", "apply"))
        write(f"  {'import total':<22} {wall:6.2f} s / {cpu:6.2f} s")
        # A 5 KB file whose only cell is A1048576: read at the cost of its stored rows.
        for key, label in (("lone_plan", "A1048576: plan"), ("lone_people", "A1048576: people")):
            wall, cpu = figures[key]
            write(f"  {label:<22} {wall:6.2f} s / {cpu:6.2f} s")

    def _run(self, rows: int) -> dict:
        if not Domain.objects.exists():
            catalogue_load()
        organisation = organisation_create(
            name="Benchmark (wordt teruggedraaid)",
            kind=OrganisationKind.BOARD,
            region=Region.NETHERLANDS,
        )
        school = school_create(
            organisation=organisation, name="Benchmarkschool", ict_hours_available=20000
        )
        actor = user_create(email="bench-planning@teamwerk.invalid", password=None)
        membership_grant(
            actor=None, user=actor, organisation=organisation, school=None, role=Role.BEHEERDER
        )
        year = school_year_ensure(organisation=organisation, start_year=2040)
        domains = list(Domain.objects.all())
        standard = Task.objects.visible_to_organisation(organisation).count()
        Task.objects.bulk_create(
            Task(
                organisation=organisation,
                code=f"B-{number:05d}",
                domain=domains[number % len(domains)],
                title_nl=f"Benchmarktaak {number}",
                hours_min=5,
                hours_max=20,
            )
            for number in range(max(0, rows - standard))
        )
        plan = services.plan_create_from_catalogue(
            actor=actor, school=school, organisation=organisation, school_year=year
        )
        items = list(plan.items.all())
        for number, item in enumerate(items):
            item.applies = number % 7 != 0
            item.horizon = Horizon.NOW if number % 3 else Horizon.LATER
            item.level = "school"
            item.sourcing = Sourcing.TEAM
            item.hours = Decimal(number % 40)
            item.notes = f"Notitie {number}" if number % 5 == 0 else ""
        PlannedTask.objects.bulk_update(
            items, ["applies", "horizon", "level", "sourcing", "hours", "notes"], batch_size=500
        )

        with _Timer() as exported:
            content = excel.export_plan(
                plan, selectors.plan_items(plan), hours_available=selectors.hours_available(plan)
            )

        # The school changes every row in Excel: here, the plan changes instead, so the
        # unchanged file now differs from it in every row.
        for item in items:
            item.hours = (item.hours or 0) + 1
        PlannedTask.objects.bulk_update(items, ["hours"], batch_size=500)

        upload = SimpleUploadedFile("bench.xlsx", content)
        with _Timer() as read_time:
            read = excel.read_plan_file(upload, max_rows=rows + 100)
        assert not read.errors, read.errors[:3]

        with _Timer() as validate_time:
            checked = excel.validate_rows(plan, read.rows)
        assert not checked.errors, checked.errors[:3]

        with _Timer() as apply_time:
            outcome = services.plan_import_apply(
                actor=actor,
                plan=plan,
                rows=[row.to_json() for row in read.rows],
                expected_fingerprint=services.plan_fingerprint(plan),
            )
        lone = _last_cell_only()
        with _Timer() as lone_plan:
            excel.read_plan_file(SimpleUploadedFile("lone.xlsx", lone))
        with _Timer() as lone_people, contextlib.suppress(ImportRefused):
            read_table("lone.xlsx", lone)
        return {
            "lone_plan": lone_plan.figures,
            "lone_people": lone_people.figures,
            "rows": len(items),
            "size": len(content),
            "export": exported.figures,
            "read": read_time.figures,
            "validate": validate_time.figures,
            "apply": apply_time.figures,
            "changed": outcome.updated,
        }
