"""Actions: what a school (or the group) decided to do, with an owner, a date and a PDCA
status; and the bookkeeping of reminders and personal calendar feeds.

An action's source stays loose (a kind, a readable label, an internal URL and a reference),
so the modules that create actions (evaluation, conversations, the route, agreements) need
no foreign key into this app and this app none into theirs.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from teamwerk.tenancy.querysets import TenantQuerySet

TITLE_MAX = 200
LABEL_MAX = 200
URL_MAX = 300
REF_MAX = 100
NOTES_MAX = 5000


class ActionSource(models.TextChoices):
    EVALUATION = "evaluation", _("Evaluatieronde")
    CONVERSATION = "conversation", _("Gesprek")
    ROUTE_STEP = "route_step", _("Stap van het stappenplan")
    AGREEMENT_REVIEW = "agreement_review", _("Afspraak herbekijken")
    TASK = "task", _("Taak")
    PROFESSIONALISATION = "professionalisation", _("Professionalisering")
    OTHER = "other", _("Andere")


class ActionStatus(models.TextChoices):
    """The PDCA cycle: an action is planned, done, checked and then acted upon."""

    PLAN = "plan", _("Plannen")
    DO = "do", _("Uitvoeren")
    CHECK = "check", _("Controleren")
    ACT = "act", _("Bijsturen")


class Action(models.Model):
    organisation = models.ForeignKey(
        "tenancy.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    # Empty: an action of the group (changed only by organisation-wide roles).
    school = models.ForeignKey(
        "tenancy.School",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("school"),
    )
    title = models.CharField(_("actie"), max_length=TITLE_MAX)
    source = models.CharField(
        _("bron"), max_length=30, choices=ActionSource.choices, default=ActionSource.OTHER
    )
    source_label = models.CharField(_("waar komt ze vandaan?"), max_length=LABEL_MAX, blank=True)
    # An internal path ("/gesprekken/12/"), never an address elsewhere.
    source_url = models.CharField(max_length=URL_MAX, blank=True)
    source_ref = models.CharField(max_length=REF_MAX, blank=True)
    owner = models.ForeignKey(
        "team.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions",
        verbose_name=_("trekker"),
    )
    due = models.DateField(_("tegen wanneer?"), null=True, blank=True)
    status = models.CharField(
        _("PDCA-fase"), max_length=10, choices=ActionStatus.choices, default=ActionStatus.PLAN
    )
    done_on = models.DateField(_("afgerond op"), null=True, blank=True)
    notes = models.TextField(_("notities"), max_length=NOTES_MAX, blank=True)
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
        ordering = [models.F("due").asc(nulls_last=True), "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ActionStatus.values), name="action_status_known"
            ),
            models.CheckConstraint(
                condition=Q(source__in=ActionSource.values), name="action_source_known"
            ),
            models.CheckConstraint(condition=~Q(title=""), name="action_title_not_empty"),
            models.CheckConstraint(
                condition=Q(source_url="") | Q(source_url__startswith="/"),
                name="action_source_url_internal",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "school", "done_on", "due"])]
        verbose_name = _("actie")
        verbose_name_plural = _("acties")

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.done_on is not None

    def is_overdue(self, today: dt.date | None = None) -> bool:
        from django.utils import timezone

        today = today or timezone.localdate()
        return self.done_on is None and self.due is not None and self.due < today


class ReminderSent(models.Model):
    """One reminder mailed: each due item (kind, reference, date) reaches a recipient once.
    The unique row is the idempotence: a second run of the daily job finds it and sends
    nothing. ``stage`` tells "due soon" from the single "overdue" reminder."""

    kind = models.CharField(max_length=40)
    ref = models.CharField(max_length=REF_MAX)
    due = models.DateField()
    stage = models.CharField(max_length=10, default="due")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "ref", "due", "stage", "recipient"], name="reminder_sent_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.ref} {self.due} {self.stage} → {self.recipient_id}"


class ReminderSettings(models.Model):
    """A user's choices: no reminder mails (opt-out), and the secret of their calendar feed
    (only its SHA-256 is stored; renewing replaces it, so the old address stops working)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_settings"
    )
    reminders_off = models.BooleanField(_("geen herinneringen per e-mail"), default=False)
    calendar_token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    calendar_token_created_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["calendar_token_hash"])

    class Meta:
        verbose_name = _("herinneringen")
        verbose_name_plural = _("herinneringen")

    def __str__(self) -> str:
        return f"{self.user_id}"
