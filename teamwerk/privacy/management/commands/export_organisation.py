"""manage.py export_organisation <organisation> <archive.zip>: one organisation's backup."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from teamwerk.privacy.archive import organisation_export
from teamwerk.tenancy.models import Organisation


class Command(BaseCommand):
    help = (
        "Write every row of one organisation (all modules, history and files included) to a "
        "zip archive; docs/archive-format.md describes it."
    )

    def add_arguments(self, parser):
        parser.add_argument("organisation", help="the organisation's id or exact name")
        parser.add_argument("archive", help="path of the zip file to write")

    def handle(self, *args, organisation: str, archive: str, **options):
        found = Organisation.objects.filter(name=organisation)
        if organisation.isdigit():
            found = Organisation.objects.filter(pk=int(organisation)) | found
        found = list(found[:2])
        if len(found) != 1:
            raise CommandError(
                f"No single organisation with id or name {organisation!r} "
                f"({len(found)} found); give its id."
            )
        started = time.monotonic()
        result = organisation_export(organisation=found[0], target=archive)
        seconds = time.monotonic() - started
        self.stdout.write(
            f"Exported {found[0].name!r} (id {found[0].pk}) to {archive}: "
            f"{sum(result.rows.values())} rows in {len(result.rows)} tables, "
            f"{result.files} files, {result.references} shared references, {seconds:.1f} s."
        )
