"""A school's (or the group's) walk along the 8-step route, as dated answers.

The route itself is content (data/route.toml, read by route.py); the database only keeps who
answered which check how and when. An answer is never changed in place: a new answer to the
same check is a new row, so the timeline keeps every earlier decision.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from teamwerk.tenancy.querysets import TenantQuerySet

NOTE_MAX_LENGTH = 2000


class Journey(models.Model):
    """One per school; a journey without a school is the group's own (its answer to step 4)."""

    organisation = models.ForeignKey(
        "tenancy.Organisation",
        on_delete=models.CASCADE,
        related_name="journeys",
        verbose_name=_("organisatie"),
    )
    school = models.ForeignKey(
        "tenancy.School",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="journeys",
        verbose_name=_("school"),
    )
    route_version = models.PositiveIntegerField(_("versie van het stappenplan"))
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = TenantQuerySet.as_manager()
    tenant_organisation_field = "organisation"
    tenant_school_field = "school"

    class Meta:
        ordering = ["organisation__name", "school__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school"], condition=Q(school__isnull=False), name="journey_unique_school"
            ),
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(school__isnull=True),
                name="journey_unique_group",
            ),
        ]
        verbose_name = _("traject")
        verbose_name_plural = _("trajecten")

    def __str__(self) -> str:
        return self.school.name if self.school_id else str(self.organisation)

    @property
    def is_group_journey(self) -> bool:
        return self.school_id is None


class Answer(models.Model):
    """A yes/no answer to one check. The latest answer per check is the current one."""

    organisation = models.ForeignKey(
        "tenancy.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    school = models.ForeignKey(
        "tenancy.School", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="answers")
    check_code = models.CharField(_("vraag"), max_length=40)
    value = models.BooleanField(_("antwoord"))
    note = models.TextField(_("toelichting"), max_length=NOTE_MAX_LENGTH, blank=True)
    # A person who leaves keeps their place in the timeline as "unknown", not a hole in it.
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("beantwoord door"),
    )
    answered_at = models.DateTimeField(_("beantwoord op"), default=timezone.now)
    history = HistoricalRecords()

    objects = TenantQuerySet.as_manager()
    tenant_organisation_field = "organisation"
    tenant_school_field = "school"

    class Meta:
        ordering = ["-answered_at", "-id"]
        indexes = [
            models.Index(fields=["journey", "check_code", "answered_at"], name="answer_latest_idx"),
        ]
        verbose_name = _("antwoord")
        verbose_name_plural = _("antwoorden")

    def __str__(self) -> str:
        return f"{self.journey}: {self.check_code} = {'ja' if self.value else 'nee'}"
