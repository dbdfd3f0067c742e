"""Writes of key figures and conversations. Every write checks who acts (``actor`` None is
the system: the demo seeder), runs in one transaction and leaves history and audit."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from teamwerk.accounts.models import AuditEvent
from teamwerk.accounts.services import audit_log
from teamwerk.core.versions import check_version

from . import content, selectors
from .models import (
    AGREEMENT_MAX,
    CODES_MAX,
    NOTES_MAX,
    PREPARATION_MAX,
    SUBJECT_MAX,
    Conversation,
    ConversationAgreement,
    ConversationStatus,
    KeyFigureRole,
)

FIRST_DAY = dt.date(2000, 1, 1)
LAST_DAY = dt.date(2100, 12, 31)


# ----------------------------------------------------------------------- key figures


def key_figure_grant(*, actor, organisation, user, figure: str) -> KeyFigureRole:
    """Give an account a key figure of the guide (nothing changes when it holds it already)."""
    if figure not in content.figure_codes():
        raise ValidationError({"figure": _("Kies een sleutelfiguur uit de gids.")})
    with transaction.atomic():
        if actor is not None:
            if not selectors.may_manage_key_figures(actor, organisation):
                raise PermissionDenied
            if not selectors.key_figure_candidates(actor, organisation).filter(pk=user.pk).exists():
                raise ValidationError(
                    {"user": _("Kies iemand van je eigen school of organisatie.")}
                )
        role = KeyFigureRole.objects.filter(
            organisation=organisation, user=user, figure=figure
        ).first()
        if role is not None:
            return role
        role = KeyFigureRole(organisation=organisation, user=user, figure=figure)
        role._history_user = actor
        role.save()
        audit_log(
            actor=actor,
            organisation=organisation,
            kind="keyfigure.granted",
            target=user.get_full_name() or user.email,
            data={"figure": figure},
        )
        return role


def key_figure_revoke(*, actor, role: KeyFigureRole) -> None:
    with transaction.atomic():
        if actor is not None and not (
            selectors.may_manage_key_figures(actor, role.organisation)
            and selectors.key_figure_roles(actor, role.organisation).filter(pk=role.pk).exists()
        ):
            raise PermissionDenied
        role._history_user = actor
        audit_log(
            actor=actor,
            organisation=role.organisation,
            kind="keyfigure.revoked",
            target=role.user.get_full_name() or role.user.email,
            data={"figure": role.figure},
        )
        role.delete()


# --------------------------------------------------------------------- conversations


def _codes(values, allowed: list[str], field: str, errors: dict) -> list[str]:
    chosen = [str(v) for v in dict.fromkeys(values or [])]
    unknown = [v for v in chosen if v not in allowed]
    if unknown or len(chosen) > CODES_MAX:
        errors[field] = _("Kies uit de gids.")
    order = {code: i for i, code in enumerate(allowed)}
    return sorted((v for v in chosen if v in order), key=order.__getitem__)


def _clean(
    *,
    actor,
    school,
    subject,
    held_on,
    key_figures,
    questions,
    topics,
    participants,
    notes,
    preparation,
) -> dict:
    errors: dict[str, str] = {}
    subject = (subject or "").strip()
    if not subject:
        errors["subject"] = _("Waarover gaat het gesprek?")
    elif len(subject) > SUBJECT_MAX:
        errors["subject"] = _("Hoogstens %(n)s tekens.") % {"n": SUBJECT_MAX}
    if not isinstance(held_on, dt.date) or not FIRST_DAY <= held_on <= LAST_DAY:
        errors["held_on"] = _("Geef een datum tussen 2000 en 2100.")
    if len(notes or "") > NOTES_MAX:
        errors["notes"] = _("Hoogstens %(n)s tekens.") % {"n": NOTES_MAX}
    if len(preparation or "") > PREPARATION_MAX:
        errors["preparation"] = _("Hoogstens %(n)s tekens.") % {"n": PREPARATION_MAX}
    cleaned = {
        "subject": subject,
        "held_on": held_on,
        "key_figures": _codes(key_figures, content.figure_codes(), "key_figures", errors),
        "questions": _codes(questions, content.question_codes(), "questions", errors),
        "topics": _codes(topics, content.topic_codes(), "topics", errors),
        "notes": notes or "",
        "preparation": preparation or "",
    }
    people = list(participants or [])
    if actor is not None:
        allowed = set(selectors.participant_choices(actor, school).values_list("pk", flat=True))
    else:
        allowed = {p.pk for p in people if p.organisation_id == school.organisation_id}
    if any(p.pk not in allowed for p in people):
        errors["participants"] = _("Kies mensen van de eigen school.")
    cleaned["participants"] = people
    if errors:
        raise ValidationError(errors)
    return cleaned


def conversation_prepare(
    *,
    actor,
    school,
    subject: str,
    held_on: dt.date,
    key_figures=(),
    questions=(),
    topics=(),
    participants=(),
    preparation: str = "",
) -> Conversation:
    """A conversation to hold: who, with which key figures, about which main questions."""
    if actor is not None and not selectors.may_prepare(actor, school):
        raise PermissionDenied
    cleaned = _clean(
        actor=actor,
        school=school,
        subject=subject,
        held_on=held_on,
        key_figures=key_figures,
        questions=questions,
        topics=topics,
        participants=participants,
        notes="",
        preparation=preparation,
    )
    people = cleaned.pop("participants")
    with transaction.atomic():
        conversation = Conversation(
            organisation=school.organisation,
            school=school,
            created_by=actor,
            status=ConversationStatus.PREPARED,
            **cleaned,
        )
        conversation._history_user = actor
        conversation.save()
        conversation.participants.set(people)
        return conversation


def conversation_update(
    *,
    actor,
    conversation: Conversation,
    expected_version=None,
    subject: str,
    held_on: dt.date,
    key_figures=(),
    questions=(),
    topics=(),
    participants=(),
    preparation: str = "",
    notes: str = "",
    recorded: bool = True,
) -> Conversation:
    """Write the record: date, participants, notes; ``recorded`` marks it as held."""
    with transaction.atomic():
        current = Conversation.objects.select_for_update().filter(pk=conversation.pk).first()
        if current is None:
            raise PermissionDenied
        if actor is not None and not selectors.may_edit_record(actor, current):
            raise PermissionDenied
        if actor is not None:
            check_version(current.version, expected_version, current=current)
        cleaned = _clean(
            actor=actor,
            school=current.school,
            subject=subject,
            held_on=held_on,
            key_figures=key_figures,
            questions=questions,
            topics=topics,
            participants=participants,
            notes=notes,
            preparation=preparation,
        )
        people = cleaned.pop("participants")
        for name, value in cleaned.items():
            setattr(current, name, value)
        current.status = ConversationStatus.RECORDED if recorded else ConversationStatus.PREPARED
        current.version += 1
        current._history_user = actor
        current.save()
        if actor is not None:
            # Participants the editor cannot choose (someone of the group added by the
            # organisation-wide directie) are not on their form: they stay.
            unseen = current.participants.exclude(
                pk__in=selectors.participant_choices(actor, current.school).values("pk")
            )
            people = [*people, *unseen]
        current.participants.set(people)
        # Re-check after the write: the writer must still read what they wrote (a directie
        # removing every participant keeps it; an ICT coordinator who wrote it keeps it).
        if actor is not None and not selectors.may_read_record(actor, current):
            raise PermissionDenied
        if recorded:
            audit_log(
                actor=actor,
                organisation=current.organisation,
                kind="conversation.recorded",
                target=current.subject,
                data={"conversation": current.pk, "school": current.school.name},
            )
        return current


def agreement_add(
    *, actor, conversation: Conversation, text: str, owner=None, due: dt.date | None = None
) -> ConversationAgreement:
    errors: dict[str, str] = {}
    text = (text or "").strip()
    if not text:
        errors["text"] = _("Wat spreken jullie af?")
    elif len(text) > AGREEMENT_MAX:
        errors["text"] = _("Hoogstens %(n)s tekens.") % {"n": AGREEMENT_MAX}
    if due is not None and not FIRST_DAY <= due <= LAST_DAY:
        errors["due"] = _("Geef een datum tussen 2000 en 2100.")
    if owner is not None:
        if actor is not None:
            allowed = selectors.participant_choices(actor, conversation.school)
            ok = allowed.filter(pk=owner.pk).exists()
        else:
            ok = owner.organisation_id == conversation.organisation_id
        if not ok:
            errors["owner"] = _("Kies iemand van de eigen school.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if actor is not None and not selectors.may_edit_record(actor, conversation):
            raise PermissionDenied
        agreement = ConversationAgreement(
            organisation=conversation.organisation,
            school=conversation.school,
            conversation=conversation,
            text=text,
            owner=owner,
            due=due,
        )
        agreement._history_user = actor
        agreement.save()
        return agreement


def agreement_to_action(*, actor, agreement: ConversationAgreement):
    """Turn an agreement into an action of the school's action list (source: this
    conversation), once: a second call returns the action made the first time."""
    from teamwerk.actions.models import Action as TrackedAction
    from teamwerk.actions.models import ActionSource
    from teamwerk.actions.services import action_create

    with transaction.atomic():
        current = (
            ConversationAgreement.objects.select_for_update(of=("self",))
            .select_related("conversation", "conversation__school", "owner")
            .filter(pk=agreement.pk)
            .first()
        )
        if current is None:
            raise PermissionDenied
        conversation = current.conversation
        if actor is not None and not selectors.may_edit_record(actor, conversation):
            raise PermissionDenied
        if current.action_id:
            existing = TrackedAction.objects.filter(pk=current.action_id).first()
            if existing is not None:
                return existing
        action = action_create(
            user=actor,
            organisation=conversation.organisation,
            school=conversation.school,
            title=current.text,
            source=ActionSource.CONVERSATION,
            source_label=_("Gesprek van %(date)s: %(subject)s")
            % {"date": conversation.held_on.strftime("%d-%m-%Y"), "subject": conversation.subject},
            source_url=reverse("conversations_detail", args=[conversation.pk]),
            source_ref=f"conversation:{conversation.pk}:agreement:{current.pk}",
            owner=current.owner,
            due=current.due,
        )
        current.action_id = action.pk
        current._history_user = actor
        current.save(update_fields=["action_id"])
        audit_log(
            actor=actor,
            organisation=conversation.organisation,
            kind="conversation.action_created",
            target=current.text,
            data={"conversation": conversation.pk, "action": action.pk},
        )
        return action


def record_read(*, actor, conversation: Conversation) -> bool:
    """Audit that ``actor`` read the record of a conversation: once a day per reader and
    conversation. Returns whether an event was added."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    if AuditEvent.objects.filter(
        actor=actor,
        kind="conversation.viewed",
        created_at__gte=start,
        data__conversation=conversation.pk,
    ).exists():
        return False
    audit_log(
        actor=actor,
        organisation=conversation.organisation,
        kind="conversation.viewed",
        target=conversation.subject,
        data={"conversation": conversation.pk, "school": conversation.school.name},
    )
    return True
