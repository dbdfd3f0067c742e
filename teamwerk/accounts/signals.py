"""Glue only: Django's login signals end up in the audit log through the service."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from .models import User, normalise_email
from .services import audit_log


def _ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") if request is not None else None


def _organisation_of(user):
    membership = user.memberships.select_related("organisation").first()
    return membership.organisation if membership else None


@receiver(user_logged_in)
def record_login(sender, request, user, **kwargs):
    audit_log(
        actor=user,
        organisation=_organisation_of(user),
        kind="login.succeeded",
        target=user.email,
        ip_address=_ip(request),
    )


@receiver(user_login_failed)
def record_failed_login(sender, credentials, request=None, **kwargs):
    email = normalise_email(credentials.get("email") or credentials.get("username") or "")
    user = User.objects.filter(email__iexact=email).first() if email else None
    audit_log(
        organisation=_organisation_of(user) if user else None,
        kind="login.failed",
        target=email[:255],
        ip_address=_ip(request),
    )
