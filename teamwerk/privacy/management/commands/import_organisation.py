"""manage.py import_organisation <archive.zip>: restore one organisation as a new one."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from teamwerk.privacy.archive import ArchiveError, organisation_import


class Command(BaseCommand):
    help = (
        "Restore an organisation archive as a new organisation (new ids; accounts matched by "
        "e-mail address or created without a usable password)."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="path of the zip file made by export_organisation")
        parser.add_argument("--name", help="give the restored organisation another name")

    def handle(self, *args, archive: str, name: str | None = None, **options):
        started = time.monotonic()
        try:
            result = organisation_import(source=archive, name=name)
        except (ArchiveError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        except Exception as exc:  # a bad zip, a broken row: say so, nothing was written
            raise CommandError(f"Nothing was restored: {exc}") from exc
        seconds = time.monotonic() - started
        self.stdout.write(
            f"Restored {result.organisation.name!r} as organisation id {result.organisation.pk}: "
            f"{sum(result.rows.values())} rows in {len(result.rows)} tables, "
            f"{result.users_matched} accounts matched, {result.users_created} created without "
            f"a password, {seconds:.1f} s."
        )
