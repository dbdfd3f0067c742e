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


class UserLanguageMiddleware:
    """A signed-in user reads Teamwerk in the language they chose last, on every device.

    The language cookie is the choice made in this browser (Django's set_language, the switch
    in the menu bar); the account keeps the last choice. When the browser has no choice yet (a
    new device, a new browser session) the account's language is used and put in the cookie;
    when the browser's choice differs from the account's, the account takes it. Signing out
    forgets the browser's choice, so the next person on a shared computer starts from their
    own. Runs after the authentication middleware (and after LanguageMiddleware).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import translation

        from .services import user_language_set

        cookie = settings.LANGUAGE_COOKIE_NAME
        available = dict(settings.LANGUAGES)
        browser = request.COOKIES.get(cookie)
        browser = browser if browser in available else None
        user = getattr(request, "user", None)
        signed_in = bool(user is not None and user.is_authenticated)
        if signed_in and browser is None and user.language in available:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        response = self.get_response(request)
        response.headers["Content-Language"] = request.LANGUAGE_CODE

        user = getattr(request, "user", None)  # signing in or out changes it
        if user is None or not user.is_authenticated:
            if signed_in:  # signed out in this request
                response.delete_cookie(cookie, path=settings.LANGUAGE_COOKIE_PATH)
            return response
        switched = response.cookies.get(cookie)
        chosen = switched.value if switched is not None else browser
        if chosen in available:
            user_language_set(user=user, language=chosen)
        elif user.language in available:
            response.set_cookie(
                cookie,
                user.language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response
