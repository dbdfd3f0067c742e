"""Glue only: Django's and allauth's account signals end up in the audit log through the
service, once in every organisation the user belongs to (each board sees its own members'
sign-ins, address changes and second-factor changes)."""

from __future__ import annotations

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from .models import User, normalise_email
from .services import audit_log


def _ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") if request is not None else None


def organisations_of(user) -> list:
    """Every organisation the user has a role in (one audit event in each)."""
    from teamwerk.tenancy.models import Organisation

    if user is None or user.pk is None:
        return []
    return list(Organisation.objects.filter(memberships__user=user).distinct().order_by("pk"))


def audit_in_each_organisation(*, user, kind: str, actor=None, request=None, **fields) -> None:
    """One event per organisation of the user; one without organisation if they have none."""
    for organisation in organisations_of(user) or [None]:
        audit_log(
            actor=actor,
            organisation=organisation,
            kind=kind,
            ip_address=_ip(request),
            **fields,
        )


@receiver(user_logged_in)
def record_login(sender, request, user, **kwargs):
    audit_in_each_organisation(
        user=user, actor=user, kind="login.succeeded", target=user.email, request=request
    )


@receiver(user_login_failed)
def record_failed_login(sender, credentials, request=None, **kwargs):
    email = normalise_email(credentials.get("email") or credentials.get("username") or "")
    user = User.objects.filter(email__iexact=email).first() if email else None
    audit_in_each_organisation(user=user, kind="login.failed", target=email[:255], request=request)


@receiver(account_signals.email_added)
def record_email_added(sender, request, user, email_address, **kwargs):
    audit_in_each_organisation(
        user=user,
        actor=user,
        kind="email.added",
        target=user.email,
        data={"address": email_address.email, "verified": email_address.verified},
        request=request,
    )


@receiver(account_signals.email_confirmed)
def record_email_confirmed(sender, request, email_address, **kwargs):
    user = email_address.user
    audit_in_each_organisation(
        user=user,
        actor=user,
        kind="email.confirmed",
        target=user.email,
        data={"address": email_address.email},
        request=request,
    )


@receiver(account_signals.email_changed)
def record_email_changed(sender, request, user, from_email_address, to_email_address, **kwargs):
    audit_in_each_organisation(
        user=user,
        actor=user,
        kind="email.changed",
        target=user.email,
        data={
            "from": getattr(from_email_address, "email", None),
            "to": getattr(to_email_address, "email", None),
        },
        request=request,
    )


@receiver(account_signals.email_removed)
def record_email_removed(sender, request, user, email_address, **kwargs):
    audit_in_each_organisation(
        user=user,
        actor=user,
        kind="email.removed",
        target=user.email,
        data={"address": email_address.email},
        request=request,
    )


@receiver(mfa_signals.authenticator_added)
def record_mfa_added(sender, request, user, authenticator, **kwargs):
    audit_in_each_organisation(
        user=user,
        actor=user,
        kind="mfa.activated",
        target=user.email,
        data={"type": authenticator.type},
        request=request,
    )


@receiver(mfa_signals.authenticator_removed)
def record_mfa_removed(sender, request, user, authenticator, **kwargs):
    audit_in_each_organisation(
        user=user,
        actor=user,
        kind="mfa.deactivated",
        target=user.email,
        data={"type": authenticator.type},
        request=request,
    )


@receiver(account_signals.email_confirmed)
def start_signed_up_organisation(sender, request, email_address, **kwargs):
    """A new account's address is verified: the organisation it asked for is made now."""
    from teamwerk.tenancy.services import organisation_signup_fulfil

    organisation_signup_fulfil(user=email_address.user)
