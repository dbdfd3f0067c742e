"""For an operator: set up an organisation for a board that does not sign up itself.

    manage.py create_organisation --name "Stichting Voorbeeld" --region NL \
        --kind bestuur --admin beheerder@voorbeeld.nl --url https://teamwerk.example

The beheerder receives an invitation by mail and chooses their own password (and sets up a
second factor at the first sign-in); nobody else ever knows it.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from teamwerk.tenancy.models import OrganisationKind, Region
from teamwerk.tenancy.services import organisation_start


class _Site:
    """Enough of a request to build the invitation's absolute link."""

    def __init__(self, url: str):
        self.url = url.rstrip("/")

    def build_absolute_uri(self, path: str) -> str:
        return f"{self.url}{path}"


class Command(BaseCommand):
    help = "Maak een organisatie aan en nodig haar beheerder uit."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True)
        parser.add_argument("--region", required=True, choices=Region.values)
        parser.add_argument(
            "--kind", default=OrganisationKind.GROUP, choices=OrganisationKind.values
        )
        parser.add_argument("--admin", required=True, help="e-mailadres van de beheerder")
        parser.add_argument(
            "--url", default="", help="adres van Teamwerk, voor de link in de uitnodiging"
        )

    def handle(self, *args, name, region, kind, admin, url, **options):
        name = name.strip()
        if not name:
            raise CommandError("--name is leeg.")
        try:
            validate_email(admin)
        except ValidationError:
            raise CommandError(f"Geen geldig e-mailadres: {admin}") from None
        try:
            organisation, invitation = organisation_start(
                name=name,
                kind=kind,
                region=region,
                admin_email=admin,
                request=_Site(url) if url else None,
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(
            f"Organisatie {organisation.name} (nr. {organisation.pk}, {region}) aangemaakt; "
            f"uitnodiging als beheerder verstuurd naar {invitation.email}."
        )
