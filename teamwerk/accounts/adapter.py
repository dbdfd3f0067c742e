from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.auth_backends import AuthenticationBackend
from django import forms
from django.conf import settings
from django.contrib.auth import authenticate as django_authenticate
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import throttle


class AccountAdapter(DefaultAccountAdapter):
    """Colleagues join through an invitation; a new school (group) signs up on its own (its
    organisation is made once the address is verified), unless the operator closed sign-up."""

    def is_open_for_signup(self, request) -> bool:
        return settings.OPEN_SIGNUP

    # ---------------------------------------------------------------- login throttling
    # allauth's own "login" and "login_failed" limits are switched off in settings; these
    # replace them (see throttle.py for the rules and the numbers).

    def _throttle_subject(self, request, credentials) -> tuple[str, str]:
        email = credentials.get("email") or credentials.get("username") or ""
        return str(email), self.get_client_ip(request)

    def pre_authenticate(self, request, **credentials) -> None:
        email, address = self._throttle_subject(request, credentials)
        wait = throttle.seconds_to_wait(email, address)
        if wait:
            raise forms.ValidationError(
                ngettext(
                    "Te veel mislukte pogingen voor dit account vanaf deze plek. Probeer het "
                    "over %(seconds)s seconde opnieuw.",
                    "Te veel mislukte pogingen voor dit account vanaf deze plek. Probeer het "
                    "over %(seconds)s seconden opnieuw.",
                    wait,
                )
                % {"seconds": wait},
                code="too_many_login_attempts",
            )

    def authenticate(self, request, **credentials):
        """Check the password unless this combination has to wait first; count the outcome."""
        email, address = self._throttle_subject(request, credentials)
        self.pre_authenticate(request, **credentials)
        if not throttle.claim(email, address):
            raise forms.ValidationError(
                _("Deze aanmelding wordt al gecontroleerd. Probeer het zo dadelijk opnieuw."),
                code="too_many_login_attempts",
            )
        try:
            AuthenticationBackend.unstash_authenticated_user()
            user = django_authenticate(request, **credentials)
            user = user or AuthenticationBackend.unstash_authenticated_user()
            if user:
                throttle.record_success(email, address)
            else:
                throttle.record_failure(email, address)
                self.authentication_failed(request, **credentials)
        finally:
            throttle.release(email, address)
        return user
