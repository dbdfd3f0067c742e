"""Run the daily jobs now (the worker runs them by itself once per day)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from teamwerk.core import daily


class Command(BaseCommand):
    help = "Run the registered daily jobs now, even when they already ran today."

    def add_arguments(self, parser):
        parser.add_argument("jobs", nargs="*", help="only these jobs (default: all)")
        parser.add_argument("--list", action="store_true", help="list the jobs and their last run")

    def handle(self, *args, **options):
        if options["list"]:
            for name, run in daily.last_runs().items():
                self.stdout.write(f"{name}: {run['status'] or '-'} {run['last_run'] or '-'}")
            return
        unknown = set(options["jobs"]) - set(daily.registered_jobs())
        if unknown:
            self.stderr.write(f"Unknown daily jobs: {', '.join(sorted(unknown))}")
            raise SystemExit(2)
        results = daily.run_daily_jobs(force=True, only=options["jobs"] or None)
        for name, status in results.items():
            self.stdout.write(f"{name}: {status}")
        if "failed" in results.values():
            raise SystemExit(1)
