from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from teamwerk.tenancy.roles import Action

from .models import AuditEvent, Invitation, normalise_email


def audit_events_for_user(user) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.for_user(user, Action.VIEW_AUDIT).select_related(
        "actor", "organisation"
    )


def invitations_for_user(user) -> QuerySet[Invitation]:
    return Invitation.objects.for_user(user, Action.MANAGE_MEMBERS).select_related(
        "school", "invited_by"
    )


def open_invitation_by_token(token: str) -> Invitation | None:
    invitation = (
        Invitation.objects.select_related("organisation", "school").filter(token=token).first()
    )
    return invitation if invitation is not None and invitation.is_open else None


def invitations_pending_for(user) -> list[Invitation]:
    """Open invitations addressed to the signed-in user's own (verified) address."""
    if not user.is_authenticated:
        return []
    return list(
        Invitation.objects.filter(
            email=normalise_email(user.email),
            accepted_at__isnull=True,
            cancelled_at__isnull=True,
            declined_at__isnull=True,
            expires_at__gt=timezone.now(),
        ).select_related("organisation", "school", "person")
    )


def invitation_get(user, pk) -> Invitation:
    """An invitation the user may cancel or resend (their scope for managing members)."""
    from django.http import Http404

    try:
        return invitations_for_user(user).select_related("organisation").get(pk=pk)
    except (Invitation.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
