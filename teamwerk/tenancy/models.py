from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .querysets import TenantQuerySet
from .roles import Role
from .terms import REGION_TERMS, terms_for  # noqa: F401 - the regions' words live in terms.py

# Bounds of the numbers of an organisation, checked by the form, the model and the database.
HOURS_PER_FTE_MIN = 1000
HOURS_PER_FTE_MAX = 2000
SCHOOL_ICT_HOURS_MAX = 10000
START_YEAR_MIN = 2000
START_YEAR_MAX = 2100


class Region(models.TextChoices):
    FLANDERS = "BE-VL", _("Vlaanderen")
    NETHERLANDS = "NL", _("Nederland")


class OrganisationKind(models.TextChoices):
    GROUP = "scholengroep", _("Scholengroep")
    COMMUNITY = "scholengemeenschap", _("Scholengemeenschap")
    BOARD = "bestuur", _("Schoolbestuur / stichting")
    SINGLE = "school", _("Eén school")


class SchoolLevel(models.TextChoices):
    NURSERY_PRIMARY = "basis", _("Basisonderwijs")
    SECONDARY = "secundair", _("Secundair / voortgezet onderwijs")
    SPECIAL = "buitengewoon", _("Buitengewoon / speciaal onderwijs")
    ADULT = "volwassenen", _("Volwassenenonderwijs")
    OTHER = "ander", _("Ander")


class Organisation(models.Model):
    name = models.CharField(_("naam"), max_length=200)
    kind = models.CharField(
        _("soort"), max_length=20, choices=OrganisationKind.choices, default=OrganisationKind.GROUP
    )
    region = models.CharField(
        _("regio"), max_length=5, choices=Region.choices, default=Region.FLANDERS
    )
    hours_per_fte = models.PositiveIntegerField(
        _("uren per voltijdse opdracht (per jaar)"),
        default=1600,
        validators=[MinValueValidator(HOURS_PER_FTE_MIN), MaxValueValidator(HOURS_PER_FTE_MAX)],
        help_text=_("Vlaanderen: vaak ±1600 uur; Nederland: normjaartaak 1659 uur."),
    )
    require_mfa_for_admins = models.BooleanField(
        _("tweestapsverificatie verplicht voor beheerders"), default=True
    )
    require_mfa_for_leaders = models.BooleanField(
        _("tweestapsverificatie verplicht voor directie en ICT-coördinatoren"),
        default=False,
        help_text=_("Zij zien de kennis en motivatie van hun collega's."),
    )
    # Raised by every save of the settings: a form filled in on an older version is refused.
    version = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = TenantQuerySet.as_manager()
    tenant_organisation_field = "id"
    tenant_school_field = None

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    hours_per_fte__gte=HOURS_PER_FTE_MIN, hours_per_fte__lte=HOURS_PER_FTE_MAX
                ),
                name="organisation_hours_per_fte_in_range",
            )
        ]
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")

    def __str__(self) -> str:
        return self.name

    @property
    def terms(self) -> dict:
        return terms_for(self.region)


class SchoolQuerySet(TenantQuerySet):
    def active(self):
        """Schools that are not archived: the ones the switch and the overviews show."""
        return self.filter(archived_at__isnull=True)


class School(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="schools",
        verbose_name=_("organisatie"),
    )
    name = models.CharField(_("naam"), max_length=200)
    number = models.CharField(_("instellingsnummer / BRIN"), max_length=20, blank=True)
    level = models.CharField(
        _("onderwijsniveau"),
        max_length=20,
        choices=SchoolLevel.choices,
        default=SchoolLevel.SECONDARY,
    )
    ict_hours_available = models.DecimalField(
        _("ICT-uren per jaar (budget)"),
        max_digits=8,
        decimal_places=1,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(SCHOOL_ICT_HOURS_MAX)],
        help_text=_("Uren die de school per schooljaar voor ICT-coördinatie vrijmaakt."),
    )
    # An archived school is hidden from the school switch and the group overviews; its data
    # stays and it can be restored.
    archived_at = models.DateTimeField(_("gearchiveerd op"), null=True, blank=True)
    # Raised by every save of the school's form: a form filled in on an older version is refused.
    version = models.PositiveIntegerField(default=0, editable=False)
    history = HistoricalRecords()

    objects = SchoolQuerySet.as_manager()
    tenant_organisation_field = "organisation"
    tenant_school_field = "id"

    class Meta:
        ordering = ["organisation__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="school_unique_name"),
            models.CheckConstraint(
                condition=models.Q(
                    ict_hours_available__gte=0, ict_hours_available__lte=SCHOOL_ICT_HOURS_MAX
                ),
                name="school_ict_hours_in_range",
            ),
        ]
        verbose_name = _("school")
        verbose_name_plural = _("scholen")

    def __str__(self) -> str:
        return self.name

    @property
    def archived(self) -> bool:
        return self.archived_at is not None


class SchoolYear(models.Model):
    """A school year runs from 1 September to 31 August."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="school_years"
    )
    start_year = models.PositiveIntegerField(
        _("beginjaar"),
        validators=[MinValueValidator(START_YEAR_MIN), MaxValueValidator(START_YEAR_MAX)],
    )
    history = HistoricalRecords()

    objects = TenantQuerySet.as_manager()
    tenant_organisation_field = "organisation"
    tenant_school_field = None

    class Meta:
        ordering = ["-start_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "start_year"], name="schoolyear_unique_start"
            ),
            models.CheckConstraint(
                condition=models.Q(start_year__gte=START_YEAR_MIN, start_year__lte=START_YEAR_MAX),
                name="schoolyear_start_in_range",
            ),
        ]
        verbose_name = _("schooljaar")
        verbose_name_plural = _("schooljaren")

    def __str__(self) -> str:
        return f"{self.start_year}-{self.start_year + 1}"

    @property
    def starts_on(self) -> dt.date:
        return dt.date(self.start_year, 9, 1)

    @property
    def ends_on(self) -> dt.date:
        return dt.date(self.start_year + 1, 8, 31)

    @staticmethod
    def start_year_for(day: dt.date) -> int:
        return day.year if day.month >= 9 else day.year - 1


class Membership(models.Model):
    """A user's role in an organisation; an empty school means every school of it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    school = models.ForeignKey(
        School,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("school"),
        help_text=_("Leeg = alle scholen van de organisatie."),
    )
    role = models.CharField(_("rol"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = TenantQuerySet.as_manager()
    tenant_organisation_field = "organisation"
    tenant_school_field = "school"

    class Meta:
        ordering = ["organisation__name", "school__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "school", "role"], name="membership_unique"
            )
        ]
        verbose_name = _("lidmaatschap")
        verbose_name_plural = _("lidmaatschappen")

    def __str__(self) -> str:
        where = self.school.name if self.school_id else self.organisation.name
        return f"{self.user} · {self.get_role_display()} · {where}"


class OrganisationSignup(models.Model):
    """What someone asked for when signing up: the organisation is made once the address is
    verified (an unverified address creates nothing but this row)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="organisation_signup"
    )
    name = models.CharField(_("naam van de organisatie"), max_length=200)
    kind = models.CharField(_("soort"), max_length=20, choices=OrganisationKind.choices)
    region = models.CharField(_("regio"), max_length=5, choices=Region.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    fulfilled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("aanmelding van een organisatie")
        verbose_name_plural = _("aanmeldingen van organisaties")

    def __str__(self) -> str:
        return self.name
