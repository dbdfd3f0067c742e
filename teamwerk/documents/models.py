"""Documents a school signs: job descriptions and the work-distribution plan.

The data of a document lives in the other modules (team, planning, tenancy); this app keeps
only what a document adds (the function title, the evaluators, the place of signing) and the
versions that a school recorded as agreed.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
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


class BundleFormat(models.TextChoices):
    ZIP = "zip", _("zip met Word-bestanden")
    PDF = "pdf", _("één PDF")


class BundleStatus(models.TextChoices):
    QUEUED = "queued", _("wacht op zijn beurt")
    RUNNING = "running", _("wordt gemaakt")
    DONE = "done", _("klaar")
    FAILED = "failed", _("mislukt")


# A bundle still "being made" this long after it started has lost its worker (restart,
# crash): it is shown as failed and may be asked for again. 80 people take about 2 minutes.
BUNDLE_LIMIT = timedelta(minutes=15)


class DocumentBundle(models.Model):
    """All job descriptions of a school in one file, made by the background worker.

    The file is kept in the database (like the recorded versions): the web process and the
    worker need no shared disk, the file and its status change in one transaction, and
    deleting the row deletes the file."""

    organisation = models.ForeignKey(
        "tenancy.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    school = models.ForeignKey("tenancy.School", on_delete=models.CASCADE, related_name="+")
    school_year = models.ForeignKey(
        "tenancy.SchoolYear", on_delete=models.PROTECT, related_name="+"
    )
    format = models.CharField(_("formaat"), max_length=3, choices=BundleFormat.choices)
    language = models.CharField(max_length=10, default="nl")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=BundleStatus.choices, default=BundleStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(
        _("voortgang"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    message = models.CharField(max_length=300, blank=True)
    people_count = models.PositiveIntegerField(default=0)
    file_name = models.CharField(max_length=255, blank=True)
    content = models.BinaryField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = TenantQuerySet.as_manager()
    tenant_organisation_field = "organisation"
    tenant_school_field = "school"

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0) & Q(progress__lte=100),
                name="document_bundle_progress_in_range",
            ),
            models.CheckConstraint(
                condition=Q(format__in=["zip", "pdf"]), name="document_bundle_format_known"
            ),
        ]
        verbose_name = _("bundel functiebeschrijvingen")
        verbose_name_plural = _("bundels functiebeschrijvingen")

    def __str__(self) -> str:
        return f"{self.school_id} {self.format} {self.status}"

    @property
    def is_lost(self) -> bool:
        """Busy (or waiting) for far too long: its worker stopped or never ran."""
        since = self.started_at if self.status == BundleStatus.RUNNING else self.created_at
        return (
            self.status in (BundleStatus.QUEUED, BundleStatus.RUNNING)
            and since is not None
            and timezone.now() - since > BUNDLE_LIMIT
        )

    @property
    def shown_status(self) -> str:
        return BundleStatus.FAILED if self.is_lost else self.status

    @property
    def is_busy(self) -> bool:
        return self.shown_status in (BundleStatus.QUEUED, BundleStatus.RUNNING)
