"""Writes for accounts: users, invitations and the audit log."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import AuditEvent, Invitation, User, normalise_email

INVITATION_VALID_DAYS = 14


def audit_log(
    *,
    actor=None,
    organisation=None,
    kind: str,
    target: str = "",
    data: dict | None = None,
    ip_address: str | None = None,
) -> AuditEvent:
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEvent.objects.create(
        actor=actor,
        organisation=organisation,
        kind=kind,
        target=target[:255],
        data=data or {},
        ip_address=ip_address,
    )


def user_create(
    *,
    email: str,
    password: str | None,
    first_name: str = "",
    last_name: str = "",
    language: str = "nl",
) -> User:
    email = normalise_email(email)
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(_("Er bestaat al een account met dit e-mailadres."))
    with transaction.atomic():
        user = User(email=email, first_name=first_name, last_name=last_name, language=language)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save()
        return user


def invitation_create(
    *, actor, organisation, school, email: str, role: str, request=None
) -> Invitation:
    """Invite a person by e-mail with a role; the scope check happens before anything is saved."""
    from teamwerk.tenancy.services import _check_grant, _validate_place

    email = normalise_email(email)
    _validate_place(organisation=organisation, school=school, role=role)
    _check_grant(actor, organisation=organisation, school=school, role=role)
    with transaction.atomic():
        invitation = Invitation.objects.create(
            organisation=organisation,
            school=school,
            email=email,
            role=role,
            invited_by=actor,
            expires_at=timezone.now() + dt.timedelta(days=INVITATION_VALID_DAYS),
        )
        audit_log(
            actor=actor,
            organisation=organisation,
            kind="invitation.sent",
            target=email,
            data={"role": role, "school": school.name if school else None},
        )
        path = reverse("invitation_accept", args=[invitation.token])
        link = request.build_absolute_uri(path) if request else path
        body = render_to_string(
            "accounts/email/invitation.txt",
            {"invitation": invitation, "link": link, "inviter": actor},
        )
        transaction.on_commit(
            lambda: send_mail(
                _("Uitnodiging voor Teamwerk"), body, settings.DEFAULT_FROM_EMAIL, [email]
            )
        )
        return invitation


def invitation_accept(*, invitation: Invitation, password: str | None, user=None) -> User:
    """Turn an open invitation into an account (or link an existing one) with its role."""
    from teamwerk.tenancy.services import membership_grant

    if not invitation.is_open:
        raise ValidationError(_("Deze uitnodiging is verlopen of al gebruikt."))
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at is not None:
            raise ValidationError(_("Deze uitnodiging is al gebruikt."))
        if user is None:
            user = User.objects.filter(email__iexact=invitation.email).first()
        if user is None:
            user = user_create(email=invitation.email, password=password)
        elif password:
            user.set_password(password)
            user.save(update_fields=["password"])
        membership_grant(
            actor=None,
            user=user,
            organisation=invitation.organisation,
            school=invitation.school,
            role=invitation.role,
        )
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
        audit_log(
            actor=user,
            organisation=invitation.organisation,
            kind="invitation.accepted",
            target=user.email,
            data={"role": invitation.role},
        )
        return user
