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

    def handle(self, *args, if_empty: bool = False, **options):
        from teamwerk.tenancy.demo import DEMO_ACCOUNTS_HELP, DEMO_PASSWORD
        from teamwerk.tenancy.models import Organisation

        if if_empty and Organisation.objects.exists():
            self.stdout.write("Database already has data; demo not seeded again.")
        else:
            seed_demo()
            self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self.stdout.write(f"Demo accounts (password: {DEMO_PASSWORD}):")
        for email, what in DEMO_ACCOUNTS_HELP:
            self.stdout.write(f"  {email:42} {what}")
