"""Fill an empty database with the demo: organisations, schools, accounts and every module."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from teamwerk.core.demo import seed_demo


class Command(BaseCommand):
    help = "Create the demo data (idempotent: running it twice changes nothing)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Only seed when the database has no organisation yet.",
        )
        parser.add_argument(
            "--schools",
            type=int,
            default=0,
            help="Also build a large group with this many schools (load tests; e.g. 50).",
        )
        parser.add_argument(
            "--group-only",
            action="store_true",
            help="With --schools: build only the large group, not the small demo.",
        )

    def handle(
        self, *args, if_empty: bool = False, schools: int = 0, group_only: bool = False, **options
    ):
        from teamwerk.tenancy.demo import DEMO_ACCOUNTS_HELP, DEMO_PASSWORD
        from teamwerk.tenancy.models import Organisation

        if schools and group_only:
            pass
        elif if_empty and Organisation.objects.exists():
            self.stdout.write("Database already has data; demo not seeded again.")
        else:
            seed_demo()
            self.stdout.write(self.style.SUCCESS("Demo data ready."))
        if schools:
            from teamwerk.core.groupseed import (
                GROUP_ACCOUNTS_HELP,
                GROUP_NAME,
                group_exists,
                seed_group,
            )

            if group_exists():
                self.stdout.write(f"{GROUP_NAME} exists already; not seeded again.")
            else:
                report = seed_group(schools=schools)
                for line in report.lines():
                    self.stdout.write(line)
                self.stdout.write(f"{GROUP_NAME} accounts (password: {DEMO_PASSWORD}):")
                for email, what in GROUP_ACCOUNTS_HELP:
                    self.stdout.write(f"  {email:42} {what}")
        if schools and group_only:
            return
        self.stdout.write(f"Demo accounts (password: {DEMO_PASSWORD}):")
        for email, what in DEMO_ACCOUNTS_HELP:
            self.stdout.write(f"  {email:42} {what}")
