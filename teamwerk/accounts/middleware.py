"""Beheerders of an organisation that requires it must set up two-factor sign-in first."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from teamwerk.tenancy.querysets import memberships_of
from teamwerk.tenancy.roles import Role

ALLOWED_PREFIXES = ("/accounts/", "/static/", "/health/", "/i18n/")


def needs_mfa_setup(user) -> bool:
    from allauth.mfa.models import Authenticator

    must = any(
        m.role == Role.BEHEERDER and m.organisation.require_mfa_for_admins
        for m in memberships_of(user)
    )
    if not must:
        return False
    return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class RequireMfaMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(ALLOWED_PREFIXES)
            and needs_mfa_setup(user)
        ):
            messages.warning(
                request,
                _("Je organisatie vraagt tweestapsverificatie voor beheerders. Stel die nu in."),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)
