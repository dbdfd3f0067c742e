"""A school's (or the group's) tailored task overview for one school year (step 5)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from teamwerk.catalogue.models import Level
from teamwerk.core.limits import HOURS_PER_YEAR, PRIORITY
from teamwerk.tenancy.querysets import TenantQuerySet


class Horizon(models.TextChoices):
    NOW = "now", _("Essentieel nu")
    LATER = "later", _("Spreiden over latere jaren")
    DROPPED = "dropped", _("Laten vallen")


class Sourcing(models.TextChoices):
    TEAM = "team", _("Eigen team")
    RECRUIT = "recruit", _("Aanwerven")
    OUTSOURCE = "outsource", _("Uitbesteden")
    GROUP = "group", _("Via de groep")


class Priority(models.IntegerChoices):
    HIGH = 1, _("Hoog")
    MEDIUM = 2, _("Middel")
    LOW = 3, _("Laag")


class TaskPlan(models.Model):
    """One per school per school year; a plan without a school is the group's plan."""

    organisation = models.ForeignKey(
        "tenancy.Organisation", on_delete=models.CASCADE, related_name="task_plans"
    )
    school = models.ForeignKey(
        "tenancy.School",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="task_plans",
    )
    school_year = models.ForeignKey(
        "tenancy.SchoolYear", on_delete=models.PROTECT, related_name="task_plans"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = TenantQuerySet.as_manager()
    tenant_organisation_field = "organisation"
    tenant_school_field = "school"

    class Meta:
        ordering = ["-school_year__start_year", "school__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "school_year"],
                condition=Q(school__isnull=False),
                name="taskplan_unique_school_year",
            ),
            models.UniqueConstraint(
                fields=["organisation", "school_year"],
                condition=Q(school__isnull=True),
                name="taskplan_unique_group_year",
            ),
        ]
        verbose_name = _("takenoverzicht")
        verbose_name_plural = _("takenoverzichten")

    def __str__(self) -> str:
        where = self.school.name if self.school_id else self.organisation.name
        return f"{where} {self.school_year}"

    @property
    def is_group_plan(self) -> bool:
        return self.school_id is None


class PlannedTask(models.Model):
    """A task as this plan decides it. Empty choices mean: not decided yet."""

    organisation = models.ForeignKey(
        "tenancy.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    school = models.ForeignKey(
        "tenancy.School", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    plan = models.ForeignKey(TaskPlan, on_delete=models.CASCADE, related_name="items")
    task = models.ForeignKey("catalogue.Task", on_delete=models.PROTECT, related_name="planned")
    applies = models.BooleanField(_("van toepassing"), null=True, blank=True)
    horizon = models.CharField(_("horizon"), max_length=10, choices=Horizon.choices, blank=True)
    level = models.CharField(_("niveau"), max_length=10, choices=Level.choices, blank=True)
    sourcing = models.CharField(
        _("wie voert uit"), max_length=10, choices=Sourcing.choices, blank=True
    )
    hours = models.DecimalField(
        _("uren per jaar"),
        max_digits=7,
        decimal_places=HOURS_PER_YEAR.decimal_places,
        null=True,
        blank=True,
        validators=HOURS_PER_YEAR.validators(),
    )
    priority = models.PositiveSmallIntegerField(
        _("prioriteit"),
        choices=Priority.choices,
        null=True,
        blank=True,
        validators=PRIORITY.validators(),
    )
    notes = models.TextField(_("notities"), blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = TenantQuerySet.as_manager()
    tenant_organisation_field = "organisation"
    tenant_school_field = "school"

    class Meta:
        ordering = ["task__domain__order", "task__code"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "task"], name="plannedtask_unique_task"),
            HOURS_PER_YEAR.constraint("hours", name="plannedtask_hours_in_range", nullable=True),
            PRIORITY.constraint("priority", name="plannedtask_priority_in_range", nullable=True),
        ]
        verbose_name = _("taak in het overzicht")
        verbose_name_plural = _("taken in het overzicht")

    def __str__(self) -> str:
        return f"{self.plan}: {self.task}"

    @property
    def is_decided(self) -> bool:
        """Decided = applies is answered, and for applying tasks horizon and sourcing too."""
        if self.applies is None:
            return False
        if self.applies is False:
            return True
        return bool(self.horizon and self.sourcing and self.level)

    @property
    def is_active(self) -> bool:
        """Work someone has to do this year (it applies and is not dropped or postponed)."""
        return bool(self.applies) and self.horizon in ("", Horizon.NOW)


class PendingImport(models.Model):
    """An uploaded Excel file that passed validation and waits for the user to confirm it.

    Kept only between the preview and the confirmation (or cancellation); the validated rows
    are stored as JSON together with a fingerprint of the plan at upload time, so a plan that
    changed in the meantime is noticed before anything is written.
    """

    organisation = models.ForeignKey(
        "tenancy.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    school = models.ForeignKey(
        "tenancy.School", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    plan = models.ForeignKey(TaskPlan, on_delete=models.CASCADE, related_name="pending_imports")
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="pending_plan_imports"
    )
    filename = models.CharField(max_length=255, blank=True)
    rows = models.JSONField(default=list)
    plan_fingerprint = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantQuerySet.as_manager()
    tenant_organisation_field = "organisation"
    tenant_school_field = "school"

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import in afwachting")
        verbose_name_plural = _("imports in afwachting")

    def __str__(self) -> str:
        return f"{self.plan}: {self.filename}"
