"""Runs of the allocation assistant: a proposal (or a "what if … leaves?") for one school or
for the group's plan, worked out in the background, and which of its tasks were accepted."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from teamwerk.core.limits import PERCENT
from teamwerk.tenancy.querysets import TenantQuerySet

# A run still "busy" this long after its time limit has lost its worker (restart, crash):
# it is marked failed and can be started again.
RUN_MARGIN = dt.timedelta(minutes=5)
# A run still waiting after this long: the background worker is probably not running.
QUEUE_WAIT_WARNING = dt.timedelta(minutes=1)


class RunKind(models.TextChoices):
    PROPOSAL = "proposal", _("Voorstel")
    WHAT_IF = "whatif", _("Wat als … uitvalt?")


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Wacht op zijn beurt")
    RUNNING = "running", _("Bezig")
    DONE = "done", _("Klaar")
    FAILED = "failed", _("Mislukt")


class ProposalRun(models.Model):
    """One request to the assistant. The proposal is never applied by itself: accepting goes
    task by task (or all at once) through the team services."""

    organisation = models.ForeignKey(
        "tenancy.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    # Empty for a proposal for the tasks of the group's plan.
    school = models.ForeignKey(
        "tenancy.School", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    school_year = models.ForeignKey(
        "tenancy.SchoolYear", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(
        _("soort"), max_length=10, choices=RunKind.choices, default=RunKind.PROPOSAL
    )
    leaving_person = models.ForeignKey(
        "team.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("wie valt uit"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("gevraagd door"),
    )
    options = models.JSONField(_("keuzes"), default=dict)
    status = models.CharField(
        _("stand"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(
        _("voortgang (%)"), default=0, validators=PERCENT.validators()
    )
    message = models.TextField(_("bericht"), blank=True)
    result = models.JSONField(_("resultaat"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The result is large and written once; progress changes every few seconds.
    history = HistoricalRecords(excluded_fields=["result", "progress"])

    objects = TenantQuerySet.as_manager()
    tenant_organisation_field = "organisation"
    tenant_school_field = "school"

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["school", "-created_at"], name="allocation_run_school")]
        constraints = [
            PERCENT.constraint("progress", name="proposalrun_progress_in_range"),
            models.CheckConstraint(
                condition=models.Q(kind="proposal") | models.Q(school__isnull=False),
                name="proposalrun_whatif_needs_school",
            ),
        ]
        verbose_name = _("voorstel van de verdelingsassistent")
        verbose_name_plural = _("voorstellen van de verdelingsassistent")

    def __str__(self) -> str:
        where = self.school.name if self.school_id else self.organisation.name
        return f"{self.get_kind_display()} {where} #{self.pk}"

    @property
    def is_group(self) -> bool:
        return self.school_id is None

    @property
    def is_finished(self) -> bool:
        return self.status in (RunStatus.DONE, RunStatus.FAILED) or self.has_given_up

    @property
    def has_given_up(self) -> bool:
        """Busy for far too long: its worker stopped. Nothing was applied, so a new run is safe."""
        if self.status != RunStatus.RUNNING or self.started_at is None:
            return False
        return timezone.now() > self.started_at + self.time_limit + RUN_MARGIN

    @property
    def time_limit(self) -> dt.timedelta:
        """How long the engine may think about this run (the problem module decides)."""
        from . import problem

        seconds = (
            problem.GROUP_TIME_LIMIT_S if self.school_id is None else problem.SCHOOL_TIME_LIMIT_S
        )
        if (self.options or {}).get("more_time"):
            seconds *= getattr(problem, "MORE_TIME_FACTOR", 1)
        return dt.timedelta(seconds=seconds)

    @property
    def waits_long(self) -> bool:
        return (
            self.status == RunStatus.QUEUED
            and timezone.now() - self.created_at > QUEUE_WAIT_WARNING
        )


class ProposalDecision(models.Model):
    """One task of a run that was accepted: its proposed owner and back-up were applied."""

    organisation = models.ForeignKey(
        "tenancy.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    school = models.ForeignKey(
        "tenancy.School", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    run = models.ForeignKey(ProposalRun, on_delete=models.CASCADE, related_name="decisions")
    planned_task = models.ForeignKey(
        "planning.PlannedTask", on_delete=models.CASCADE, related_name="+"
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    objects = TenantQuerySet.as_manager()
    tenant_organisation_field = "organisation"
    tenant_school_field = "school"

    class Meta:
        ordering = ["accepted_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "planned_task"], name="proposaldecision_once_per_task"
            )
        ]
        verbose_name = _("aanvaarde taak")
        verbose_name_plural = _("aanvaarde taken")

    def __str__(self) -> str:
        return f"{self.run_id}: {self.planned_task_id}"
