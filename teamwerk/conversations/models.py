"""Conversations about ICT competence (the seed-002 guide): who holds which key figure, and
the conversations a school prepares and records, with their agreements.

What a conversation is about (its subject, date, key figures and main questions) is visible to
every member of the school; the record (participants, preparation, notes and agreements) is
personal data, read only through ``selectors.conversation_record``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from teamwerk.tenancy.querysets import TenantQuerySet

SUBJECT_MAX = 200
NOTES_MAX = 10000
PREPARATION_MAX = 4000
AGREEMENT_MAX = 200  # an agreement becomes an action's title (at most 200 characters)
CODE_MAX = 30
CODES_MAX = 12  # key figures, main questions or topics chosen for one conversation


class KeyFigureRole(models.Model):
    """One account holds one key figure of the guide in an organisation (a person may hold
    several: the HR officer who is also the IBP officer)."""

    organisation = models.ForeignKey(
        "tenancy.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="key_figure_roles",
        verbose_name=_("wie"),
    )
    figure = models.CharField(_("sleutelfiguur"), max_length=CODE_MAX)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = TenantQuerySet.as_manager()
    tenant_organisation_field = "organisation"
    tenant_school_field = None

    class Meta:
        ordering = ["user__last_name", "user__first_name", "figure"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user", "figure"], name="keyfigure_unique"
            ),
            models.CheckConstraint(condition=~Q(figure=""), name="keyfigure_code_not_empty"),
        ]
        verbose_name = _("sleutelfiguur")
        verbose_name_plural = _("sleutelfiguren")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.figure}"


class ConversationStatus(models.TextChoices):
    PREPARED = "prepared", _("Voorbereid")
    RECORDED = "recorded", _("Gevoerd en vastgelegd")


class Conversation(models.Model):
    organisation = models.ForeignKey(
        "tenancy.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    school = models.ForeignKey(
        "tenancy.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school")
    )
    subject = models.CharField(_("onderwerp"), max_length=SUBJECT_MAX)
    held_on = models.DateField(_("datum"))
    status = models.CharField(
        _("stand"),
        max_length=10,
        choices=ConversationStatus.choices,
        default=ConversationStatus.PREPARED,
    )
    # Codes from the guide (data/guide.toml); the guide keeps its codes stable.
    key_figures = models.JSONField(_("sleutelfiguren"), default=list, blank=True)
    questions = models.JSONField(_("hoofdvragen"), default=list, blank=True)
    topics = models.JSONField(_("onderwerpen uit de gids"), default=list, blank=True)
    participants = models.ManyToManyField(
        "team.Person", related_name="+", blank=True, verbose_name=_("deelnemers")
    )
    preparation = models.TextField(_("voorbereiding"), max_length=PREPARATION_MAX, blank=True)
    notes = models.TextField(_("verslag"), max_length=NOTES_MAX, blank=True)
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
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(subject=""), name="conversation_subject_set"),
            models.CheckConstraint(
                condition=Q(status__in=ConversationStatus.values), name="conversation_status_known"
            ),
            models.CheckConstraint(
                condition=Q(held_on__gte="2000-01-01", held_on__lte="2100-12-31"),
                name="conversation_date_in_range",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("notes"), NOTES_MAX),
                name="conversation_notes_bounded",
            ),
        ]
        verbose_name = _("gesprek")
        verbose_name_plural = _("gesprekken")

    def __str__(self) -> str:
        return f"{self.held_on}: {self.subject}"


class ConversationAgreement(models.Model):
    """Something agreed in a conversation; turned into an action (actions app) it is followed
    up there. ``action_id`` refers to that action without a foreign key (the actions app keeps
    its sources loose)."""

    organisation = models.ForeignKey(
        "tenancy.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    school = models.ForeignKey("tenancy.School", on_delete=models.CASCADE, related_name="+")
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="agreements"
    )
    text = models.CharField(_("afspraak"), max_length=AGREEMENT_MAX)
    owner = models.ForeignKey(
        "team.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("trekker"),
    )
    due = models.DateField(_("tegen wanneer?"), null=True, blank=True)
    action_id = models.PositiveIntegerField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = TenantQuerySet.as_manager()
    tenant_organisation_field = "organisation"
    tenant_school_field = "school"

    class Meta:
        ordering = ["conversation", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="conversation_agreement_text"),
            models.CheckConstraint(
                condition=Q(due__isnull=True) | Q(due__gte="2000-01-01", due__lte="2100-12-31"),
                name="conversation_agreement_due_in_range",
            ),
        ]
        verbose_name = _("afspraak uit een gesprek")
        verbose_name_plural = _("afspraken uit gesprekken")

    def __str__(self) -> str:
        return self.text


__all__ = [
    "AGREEMENT_MAX",
    "CODES_MAX",
    "NOTES_MAX",
    "Conversation",
    "ConversationAgreement",
    "ConversationStatus",
    "KeyFigureRole",
]
