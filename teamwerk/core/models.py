"""Core holds no domain models; only the record of the worker's daily jobs and which module
introductions a user has closed live here."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DailyJobRun(models.Model):
    """The last run of one daily job (one row per job name), written by the worker.

    ``run_date`` is the local date the job was last claimed for: a job runs at most once per
    date even with several workers (the claim is one conditional UPDATE)."""

    class Status(models.TextChoices):
        RUNNING = "running", _("bezig")
        OK = "ok", _("gelukt")
        FAILED = "failed", _("mislukt")

    name = models.CharField(_("naam"), max_length=100, unique=True)
    run_date = models.DateField(_("datum"), null=True, blank=True)
    started_at = models.DateTimeField(_("gestart"), null=True, blank=True)
    finished_at = models.DateTimeField(_("klaar"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, blank=True)
    # What the job reports it did (counts, never personal data): {"removed": {"audit": 12}}.
    summary = models.JSONField(_("samenvatting"), default=dict, blank=True)
    error = models.TextField(_("fout"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("dagelijkse taak")
        verbose_name_plural = _("dagelijkse taken")

    def __str__(self) -> str:
        return f"{self.name} {self.run_date or '-'} {self.status or '-'}"


class IntroDismissal(models.Model):
    """A user closed the short explanation shown on the first visit of a module: it stays
    closed for them (the help page keeps the text)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="intro_dismissals"
    )
    module = models.CharField(_("module"), max_length=40)
    dismissed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "module"], name="intro_dismissal_once")
        ]
        verbose_name = _("gesloten uitleg")
        verbose_name_plural = _("gesloten uitleg")

    def __str__(self) -> str:
        return f"{self.user_id} {self.module}"
