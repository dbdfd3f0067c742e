from __future__ import annotations

from django.db.models import QuerySet

from teamwerk.tenancy.roles import Action

from .models import AuditEvent, Invitation


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
