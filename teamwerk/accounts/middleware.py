"""Roles for which the organisation requires it must set up two-factor sign-in first."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from teamwerk.tenancy.querysets import memberships_of
from teamwerk.tenancy.roles import Role

ALLOWED_PREFIXES = ("/accounts/", "/static/", "/health/", "/i18n/")


def mfa_required(membership) -> bool:
    """Whether this role in this organisation needs a second factor: beheerders when the
    organisation asks it (default), directie and ICT coordinators (who read colleagues'
    ratings) when it asks that too."""
    organisation = membership.organisation
    if membership.role == Role.BEHEERDER:
        return organisation.require_mfa_for_admins
    if membership.role in (Role.DIRECTIE, Role.ICT):
        return organisation.require_mfa_for_leaders
    return False


def needs_mfa_setup(user) -> bool:
    from allauth.mfa.models import Authenticator

    must = any(mfa_required(m) for m in memberships_of(user))
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
                _("Je organisatie vraagt tweestapsverificatie voor jouw rol. Stel die nu in."),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)
