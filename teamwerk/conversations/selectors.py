"""Reads of conversations and key figures, always scoped to the user.

Who reads a conversation's record
---------------------------------
Every member of the school sees that a conversation took place: its date, subject, key
figures and main questions, and how many agreements it led to. The record itself (who took
part, the preparation, the notes and the agreements) is personal data. Only these people read
it, decided in :func:`may_read_record` and nowhere else:

- the participants (a participant is a person of the team; it counts when that person is
  linked to the user's account),
- the directie of the school (or the organisation-wide directie),
- whoever wrote the conversation down (they cannot un-know what they wrote).

Not the ICT coordinator, a teamlid, a lezer or the beheerder as such. Every read goes through
:func:`conversation_record`, which marks the response ``no-store`` and audits the read
(``conversation.viewed``, once a day per reader and conversation).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from teamwerk.core.sensitive import mark_sensitive
from teamwerk.tenancy.models import Membership
from teamwerk.tenancy.querysets import scope_for
from teamwerk.tenancy.roles import Action, Role
from teamwerk.tenancy.selectors import roles_of, user_can

from .models import Conversation, ConversationAgreement, KeyFigureRole

# ----------------------------------------------------------------------- key figures


def my_key_figures(user, organisation) -> list[str]:
    """The key figures the signed-in user holds in this organisation (codes)."""
    if organisation is None or not user.is_authenticated:
        return []
    return list(
        KeyFigureRole.objects.filter(organisation=organisation, user=user)
        .order_by("figure")
        .values_list("figure", flat=True)
    )


def may_manage_key_figures(user, organisation) -> bool:
    """Directie and beheerder (who hand out roles) say who holds which key figure."""
    if organisation is None:
        return False
    return organisation.pk in scope_for(user, Action.MANAGE_MEMBERS).organisations


def key_figure_candidates(user, organisation):
    """Accounts the user may give a key figure: members of the organisation inside the
    scope in which the user hands out roles (a school's directie: the people of that school)."""
    from teamwerk.accounts.models import User

    memberships = Membership.objects.for_user(user, Action.MANAGE_MEMBERS).filter(
        organisation=organisation
    )
    return User.objects.filter(is_active=True, pk__in=memberships.values("user_id")).order_by(
        "last_name", "first_name", "email"
    )


def key_figure_roles(user, organisation) -> QuerySet[KeyFigureRole]:
    """The key figures of the accounts the user manages."""
    return (
        KeyFigureRole.objects.filter(
            organisation=organisation,
            user__in=key_figure_candidates(user, organisation).values("pk"),
        )
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__email", "figure")
    )


def key_figure_role_get(user, organisation, pk) -> KeyFigureRole:
    try:
        return key_figure_roles(user, organisation).get(pk=pk)
    except (KeyFigureRole.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# --------------------------------------------------------------------- conversations


def conversations_for_user(user) -> QuerySet[Conversation]:
    """Conversations of the schools the user may see: what is public about them only."""
    return (
        Conversation.objects.for_user(user, Action.VIEW)
        .select_related("school")
        .annotate(agreement_count=Count("agreements"))
        .defer("notes", "preparation")
    )


def conversations_for_school(user, school) -> QuerySet[Conversation]:
    return conversations_for_user(user).filter(school=school)


def conversation_get(user, pk) -> Conversation:
    """A conversation of a school the user may see, or 404 (existence is not leaked)."""
    try:
        return (
            Conversation.objects.for_user(user, Action.VIEW)
            .select_related("school", "organisation", "created_by")
            .get(pk=pk)
        )
    except (Conversation.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def is_participant(user, conversation: Conversation) -> bool:
    if not user.is_authenticated:
        return False
    return conversation.participants.filter(user=user).exists()


def is_directie(user, school) -> bool:
    return Role.DIRECTIE in roles_of(user, school=school)


def may_read_record(user, conversation: Conversation) -> bool:
    """The one rule for who reads a conversation's record (see the module's docstring)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if not user_can(user, Action.VIEW, school=conversation.school):
        return False
    if is_directie(user, conversation.school):
        return True
    if conversation.created_by_id == user.pk:
        return True
    return is_participant(user, conversation)


def readable_ids(user, conversations) -> set[int]:
    """Of these conversations (of schools the user sees), the ones whose record the user may
    read: the same rule as :func:`may_read_record`, in one query for a list."""
    conversations = list(conversations)
    if not conversations or not user.is_authenticated:
        return set()
    directie_schools = {c.school_id for c in conversations if is_directie(user, c.school)}
    ids = [c.pk for c in conversations]
    return set(
        Conversation.objects.filter(pk__in=ids)
        .filter(Q(school_id__in=directie_schools) | Q(created_by=user) | Q(participants__user=user))
        .values_list("pk", flat=True)
    )


def may_prepare(user, school) -> bool:
    """Directie and ICT coordinator (and the beheerder) prepare and record conversations."""
    return school is not None and user_can(user, Action.EDIT, school=school)


def may_edit_record(user, conversation: Conversation) -> bool:
    """Write the record and turn agreements into actions: who reads the record and edits the
    school's ICT work."""
    return may_prepare(user, conversation.school) and may_read_record(user, conversation)


@dataclass(frozen=True)
class Record:
    conversation: Conversation
    participants: list
    agreements: list[ConversationAgreement]
    preparation: str
    notes: str


def conversation_record(user, conversation: Conversation) -> Record | None:
    """The record of a conversation for a user who may read it, or None. Marks the response
    ``no-store`` and audits the read."""
    if not may_read_record(user, conversation):
        return None
    mark_sensitive()
    from .services import record_read

    record_read(actor=user, conversation=conversation)
    return Record(
        conversation=conversation,
        participants=list(conversation.participants.order_by("last_name", "first_name")),
        agreements=list(conversation.agreements.select_related("owner").order_by("pk")),
        preparation=conversation.preparation,
        notes=conversation.notes,
    )


def agreement_get(user, pk) -> ConversationAgreement:
    """An agreement whose conversation record the user may edit, or 404."""
    try:
        agreement = (
            ConversationAgreement.objects.for_user(user, Action.VIEW)
            .select_related("conversation", "conversation__school", "owner")
            .get(pk=pk)
        )
    except (ConversationAgreement.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not may_read_record(user, agreement.conversation):
        raise Http404
    return agreement


def participant_choices(user, school):
    """People who can take part: the team of the school the user may see (and, for an
    organisation-wide role, everyone of the organisation, such as board staff)."""
    from teamwerk.team.models import Person

    scope = scope_for(user, Action.VIEW)
    people = Person.objects.for_user(user).filter(
        organisation_id=school.organisation_id, active=True
    )
    if school.organisation_id not in scope.organisation_wide:
        people = people.filter(availabilities__school=school)
    return people.distinct().order_by("last_name", "first_name", "pk")


def actions_by_id(user, ids) -> dict[int, object]:
    """The actions made from agreements that the user may see, by id (for the links)."""
    ids = [i for i in ids if i]
    if not ids:
        return {}
    from teamwerk.actions.models import Action as TrackedAction

    return {a.pk: a for a in TrackedAction.objects.for_user(user).filter(pk__in=ids)}


def today():
    return timezone.localdate()
