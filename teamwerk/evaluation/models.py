"""Evaluation rounds of the ICT team (step 8), anonymous by design.

Who is asked and who has answered
    :class:`Participation` (round + person + the hash of their personal link + an
    ``answered`` flag). It exists only to send links and reminders and to tell a person
    whether they still have to answer. It has no history table and no timestamps: a history
    row would date the moment ``answered`` flipped, which is the moment an answer appeared.

What was answered
    :class:`Response` (one per respondent and round) and its :class:`Answer` rows carry the
    round, the question and the value, and at most a coarse group (leiding / team). No
    foreign key or field points to a user or a person, no timestamp is stored, and the
    primary keys are random UUIDs, so neither the order of rows nor an id says who answered
    when.

How an answer can be changed without a link in the database
    The personal link carries a random token ``t`` (256 bits) that is stored nowhere.
    ``Participation.token_hash = sha256(t)`` lets the link find its participation;
    ``Response.key = HMAC(SECRET_KEY, "evaluation.response:<round>:" + t)`` lets the same
    link find its answers again and replace them. From the database (even with the secret
    key) neither value leads to the other, because both need ``t``, which only the
    respondent's link holds. A second submit with the same link replaces the answers; a
    participation that has answered cannot start a second response.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from teamwerk.core.limits import Bound
from teamwerk.tenancy.querysets import TenantQuerySet

from .content import SCALE

TITLE_MAX = 150
QUESTION_MAX = 300
COMMENT_MAX = 2000
# Results of a round (and of every part of it) are shown from this many answers on.
MIN_ANSWERS = 3
# A scale answer: 1 (helemaal niet akkoord) to 5 (helemaal akkoord).
ANSWER_SCALE = Bound(SCALE[0], SCALE[-1])


class RoundStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Afgesloten")


class QuestionKind(models.TextChoices):
    SCALE = "scale", _("Schaal van 1 tot 5")
    OPEN = "open", _("Open opmerking")


class RespondentGroup(models.TextChoices):
    """The only thing an answer says about who gave it, and only in aggregate (>= 3)."""

    LEADERSHIP = "leiding", _("Directie en ICT-coördinatie")
    TEAM = "team", _("Teamleden")


class QuestionSettings(models.Model):
    """A school's changes to the standard questions: questions it hides and its own ones.
    ``version`` rises with every change; a round records the version it asked."""

    organisation = models.ForeignKey(
        "tenancy.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    school = models.ForeignKey(
        "tenancy.School", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    hidden_codes = models.JSONField(default=list, blank=True)
    version = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    objects = TenantQuerySet.as_manager()
    tenant_organisation_field = "organisation"
    tenant_school_field = "school"

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "school"],
                condition=Q(school__isnull=False),
                name="evaluation_settings_one_per_school",
            ),
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(school__isnull=True),
                name="evaluation_settings_one_per_group",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school_id or self.organisation_id} v{self.version}"


class CustomQuestion(models.Model):
    """A question a school added to the standard set (in the language it was typed in)."""

    organisation = models.ForeignKey(
        "tenancy.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    school = models.ForeignKey(
        "tenancy.School", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    settings = models.ForeignKey(
        QuestionSettings, on_delete=models.CASCADE, related_name="custom_questions"
    )
    kind = models.CharField(
        _("soort"), max_length=10, choices=QuestionKind.choices, default=QuestionKind.SCALE
    )
    text = models.CharField(_("vraag"), max_length=QUESTION_MAX)
    active = models.BooleanField(_("wordt gesteld"), default=True)
    history = HistoricalRecords()

    objects = TenantQuerySet.as_manager()
    tenant_organisation_field = "organisation"
    tenant_school_field = "school"

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.text

    @property
    def code(self) -> str:
        return f"own-{self.pk}"


class Round(models.Model):
    organisation = models.ForeignKey(
        "tenancy.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    # Empty: a round of the group (people of several schools; organisation-wide roles run it).
    school = models.ForeignKey(
        "tenancy.School",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("school"),
    )
    title = models.CharField(_("titel"), max_length=TITLE_MAX)
    set_key = models.CharField(_("vragenlijst"), max_length=30)
    # The versions of the question content and of the school's changes the round asked.
    content_version = models.PositiveIntegerField(default=1)
    settings_version = models.PositiveIntegerField(default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.OPEN
    )
    opened_on = models.DateField(_("geopend op"), default=timezone.localdate)
    closes_on = models.DateField(_("sluit op"))
    closed_on = models.DateField(_("afgesloten op"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    objects = TenantQuerySet.as_manager()
    tenant_organisation_field = "organisation"
    tenant_school_field = "school"

    class Meta:
        ordering = ["-opened_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opened_on")),
                name="evaluation_round_closes_after_opening",
            )
        ]
        verbose_name = _("evaluatieronde")
        verbose_name_plural = _("evaluatierondes")

    def __str__(self) -> str:
        return self.title

    def is_open(self, today: dt.date | None = None) -> bool:
        """Open for answers: not closed by hand and the closing date not passed."""
        today = today or timezone.localdate()
        return self.status == RoundStatus.OPEN and today <= self.closes_on

    def is_closed(self, today: dt.date | None = None) -> bool:
        return not self.is_open(today)

    def may_reopen(self) -> bool:
        """Only a round whose results were withheld (too few answers) opens again: a second
        result after a few more answers would show, by the difference, what those few said."""
        return self.is_closed() and self.responses.count() < MIN_ANSWERS

    @property
    def ended_on(self) -> dt.date:
        """The day the round stopped taking answers (closed by hand or its closing date)."""
        if self.status == RoundStatus.CLOSED and self.closed_on:
            return self.closed_on
        return self.closes_on


class RoundQuestion(models.Model):
    """A question as the round asked it: copied at the start, so later changes to the
    content or the school's questions never change what a round meant."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveIntegerField()
    code = models.CharField(max_length=40)
    topic = models.CharField(max_length=40)
    step = models.PositiveSmallIntegerField(null=True, blank=True)
    kind = models.CharField(max_length=10, choices=QuestionKind.choices)
    text_nl = models.CharField(max_length=QUESTION_MAX)
    text_en = models.CharField(max_length=QUESTION_MAX)

    class Meta:
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["round", "code"], name="evaluation_question_unique")
        ]

    def __str__(self) -> str:
        return self.text_nl

    def text(self, lang: str) -> str:
        return self.text_en if lang == "en" and self.text_en else self.text_nl


class Participation(models.Model):
    """A person asked in a round. Kept apart from the answers; see the module docstring."""

    organisation = models.ForeignKey(
        "tenancy.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="participations")
    person = models.ForeignKey("team.Person", on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    group = models.CharField(max_length=10, choices=RespondentGroup.choices)
    answered = models.BooleanField(default=False)
    reminded = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "person"], name="evaluation_asked_once")
        ]

    def __str__(self) -> str:
        return f"{self.round_id}:{self.person_id}"


class Response(models.Model):
    """One respondent's answers to one round: no user, no person, no time."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="responses")
    key = models.CharField(max_length=64)
    group = models.CharField(max_length=10, choices=RespondentGroup.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "key"], name="evaluation_response_once")
        ]

    def __str__(self) -> str:
        return str(self.round_id)  # nothing about the respondent


class Answer(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(RoundQuestion, on_delete=models.CASCADE, related_name="answers")
    value = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=ANSWER_SCALE.validators()
    )
    text = models.TextField(blank=True, max_length=COMMENT_MAX)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="evaluation_answer_once"),
            ANSWER_SCALE.constraint(
                "value", name="evaluation_answer_value_in_scale", nullable=True
            ),
        ]

    def __str__(self) -> str:
        return str(self.question_id)
