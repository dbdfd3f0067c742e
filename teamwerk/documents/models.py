"""Documents a school signs: job descriptions and the work-distribution plan.

The data of a document lives in the other modules (team, planning, tenancy); this app keeps
only what a document adds (the function title, the evaluators, the place of signing) and the
versions that a school recorded as agreed.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from teamwerk.tenancy.querysets import TenantQuerySet


class SchoolDocumentSettings(models.Model):
    """The school's defaults for its job descriptions."""

    organisation = models.ForeignKey(
        "tenancy.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    school = models.OneToOneField(
        "tenancy.School", on_delete=models.CASCADE, related_name="document_settings"
    )
    first_evaluator = models.CharField(_("eerste evaluator"), max_length=150, blank=True)
    second_evaluator = models.CharField(_("tweede evaluator"), max_length=150, blank=True)
    place = models.CharField(_("plaats van ondertekening"), max_length=100, blank=True)
    history = HistoricalRecords()

    objects = TenantQuerySet.as_manager()
    tenant_organisation_field = "organisation"
    tenant_school_field = "school"

    class Meta:
        verbose_name = _("documentinstellingen")
        verbose_name_plural = _("documentinstellingen")

    def __str__(self) -> str:
        return f"{self.school_id}"


class JobDescriptionInfo(models.Model):
    """What one person's job description at one school says beyond the team data."""

    organisation = models.ForeignKey(
        "tenancy.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    school = models.ForeignKey("tenancy.School", on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(
        "team.Person", on_delete=models.CASCADE, related_name="job_description_infos"
    )
    function_title = models.CharField(
        _("functie in de functiebeschrijving"),
        max_length=150,
        blank=True,
        help_text=_("Leeg = de functie uit de teamlijst."),
    )
    first_evaluator = models.CharField(
        _("eerste evaluator"),
        max_length=150,
        blank=True,
        help_text=_("Leeg = wat de school als standaard instelt."),
    )
    second_evaluator = models.CharField(
        _("tweede evaluator"),
        max_length=150,
        blank=True,
        help_text=_("Leeg = wat de school als standaard instelt."),
    )
    history = HistoricalRecords()

    objects = TenantQuerySet.as_manager()
    tenant_organisation_field = "organisation"
    tenant_school_field = "school"

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "school"], name="jobinfo_unique_person")
        ]
        verbose_name = _("gegevens voor de functiebeschrijving")
        verbose_name_plural = _("gegevens voor de functiebeschrijving")

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.school_id}"


class DocumentKind(models.TextChoices):
    JOB_DESCRIPTION = "job", _("Functiebeschrijving")
    WORK_PLAN = "plan", _("Werkverdelingsplan")


class RecordedDocument(models.Model):
    """A version of a document recorded as agreed: the files are kept exactly as they were
    produced, with the data they were produced from (to show what changed since)."""

    organisation = models.ForeignKey(
        "tenancy.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    school = models.ForeignKey("tenancy.School", on_delete=models.CASCADE, related_name="+")
    school_year = models.ForeignKey(
        "tenancy.SchoolYear", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("soort document"), max_length=10, choices=DocumentKind.choices)
    person = models.ForeignKey(
        "team.Person",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="recorded_documents",
    )
    recorded_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by_name = models.CharField(max_length=200, blank=True)
    snapshot = models.JSONField(default=dict)
    docx = models.BinaryField()
    pdf = models.BinaryField()

    objects = TenantQuerySet.as_manager()
    tenant_organisation_field = "organisation"
    tenant_school_field = "school"

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="job") & Q(person__isnull=False))
                | (Q(kind="plan") & Q(person__isnull=True)),
                name="recorded_document_person_matches_kind",
            )
        ]
        verbose_name = _("vastgelegde versie")
        verbose_name_plural = _("vastgelegde versies")

    def __str__(self) -> str:
        return f"{self.kind} {self.school_id} {self.person_id} {self.recorded_at:%Y-%m-%d}"


TEXT_LIMIT = 5000


class Vacancy(models.Model):
    """A draft vacancy and profile for a role to recruit (step 6): every section is text the
    school edits before downloading; the draft is kept."""

    organisation = models.ForeignKey(
        "tenancy.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    school = models.ForeignKey("tenancy.School", on_delete=models.CASCADE, related_name="+")
    school_year = models.ForeignKey(
        "tenancy.SchoolYear", on_delete=models.PROTECT, related_name="+"
    )
    profile = models.ForeignKey(
        "catalogue.Profile",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("rolprofiel"),
    )
    planned_tasks = models.ManyToManyField(
        "planning.PlannedTask", blank=True, related_name="+", verbose_name=_("taken")
    )
    title = models.CharField(_("titel van de vacature"), max_length=200)
    context = models.TextField(_("de school en haar context"), blank=True)
    role = models.TextField(_("de rol"), blank=True)
    profile_text = models.TextField(_("profiel en competenties"), blank=True)
    tasks_text = models.TextField(_("taken"), blank=True)
    fte = models.DecimalField(
        _("omvang (FTE)"),
        max_digits=3,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(Decimal("1.0"))],
    )
    hours_per_year = models.PositiveIntegerField(
        _("uren per schooljaar"),
        validators=[MinValueValidator(1), MaxValueValidator(2000)],
    )
    duration = models.CharField(_("duur"), max_length=200, blank=True)
    presence = models.CharField(_("aanwezigheid op school"), max_length=200, blank=True)
    start = models.CharField(_("start"), max_length=200, blank=True)
    how_to_apply = models.TextField(_("hoe solliciteren"), blank=True)
    timeline_internal = models.CharField(_("interne ronde"), max_length=300, blank=True)
    timeline_external = models.CharField(_("externe ronde"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = TenantQuerySet.as_manager()
    tenant_organisation_field = "organisation"
    tenant_school_field = "school"

    class Meta:
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(fte__gte=Decimal("0.1")) & Q(fte__lte=Decimal("1.0")),
                name="vacancy_fte_in_range",
            ),
            models.CheckConstraint(
                condition=Q(hours_per_year__gte=1) & Q(hours_per_year__lte=2000),
                name="vacancy_hours_in_range",
            ),
        ]
        verbose_name = _("vacature")
        verbose_name_plural = _("vacatures")

    def __str__(self) -> str:
        return self.title


class HouseStyle(models.Model):
    """An organisation's own Word template for one kind of document (its house style)."""

    organisation = models.ForeignKey(
        "tenancy.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("soort document"), max_length=10, choices=DocumentKind.choices)
    filename = models.CharField(max_length=255, blank=True)
    docx = models.BinaryField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now=True)

    objects = TenantQuerySet.as_manager()
    tenant_organisation_field = "organisation"
    tenant_school_field = None

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "kind"], name="housestyle_one_per_kind")
        ]
        verbose_name = _("huisstijl")
        verbose_name_plural = _("huisstijlen")

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.kind}"
