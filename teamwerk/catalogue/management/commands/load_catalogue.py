from django.core.management.base import BaseCommand

from teamwerk.catalogue.services import catalogue_load


class Command(BaseCommand):
    help = "Load or upgrade the standard task catalogue (idempotent; plans keep their choices)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Reload the same version.")

    def handle(self, *args, force: bool = False, **options):
        version = catalogue_load(force=force)
        self.stdout.write(self.style.SUCCESS(f"Standard catalogue at version {version}."))
