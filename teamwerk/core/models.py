"""Core holds no domain models; only the record of the worker's daily jobs lives here."""

from __future__ import annotations

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
