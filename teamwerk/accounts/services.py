"""Writes for accounts: users, invitations and the audit log."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import models, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import AuditEvent, Invitation, User, new_invitation_token, normalise_email

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


def _verified_address(user: User) -> None:
    """The account's own address counts as verified: it was proven by the invitation link
    (or is a demo account). Other addresses only count after allauth verifies them."""
    from allauth.account.models import EmailAddress

    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )


def user_create(
    *,
    email: str,
    password: str | None,
    first_name: str = "",
    last_name: str = "",
    language: str = "nl",
    email_verified: bool = True,
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
        if email_verified:
            _verified_address(user)
        return user


def account_for_address(email: str) -> User | None:
    """The existing account that owns this address (its sign-in address), if any."""
    return User.objects.filter(email__iexact=normalise_email(email)).first()


def _check_invitation_rights(actor, invitation: Invitation) -> None:
    from teamwerk.tenancy.services import _check_grant

    _check_grant(
        actor,
        organisation=invitation.organisation,
        school=invitation.school,
        role=invitation.role,
    )


def _send_invitation(*, invitation: Invitation, actor, request=None) -> None:
    path = reverse("invitation_accept", args=[invitation.token])
    link = request.build_absolute_uri(path) if request else path
    body = render_to_string(
        "accounts/email/invitation.txt",
        {
            "invitation": invitation,
            "link": link,
            "inviter": actor,
            "existing": account_for_address(invitation.email) is not None,
        },
    )
    email = invitation.email
    transaction.on_commit(
        lambda: send_mail(
            _("Uitnodiging voor Teamwerk"), body, settings.DEFAULT_FROM_EMAIL, [email]
        )
    )


def invitation_create(
    *, actor, organisation, school, email: str, role: str, person=None, request=None
) -> Invitation:
    """Invite a person by e-mail with a role; the scope check happens before anything is saved.
    One open invitation per organisation and address: a second one is refused (resend or
    cancel the first). ``person``: the team-list entry the accepting account is linked to."""
    from teamwerk.tenancy.services import _check_grant, _validate_place

    email = normalise_email(email)
    _validate_place(organisation=organisation, school=school, role=role)
    _check_grant(actor, organisation=organisation, school=school, role=role)
    if person is not None and person.organisation_id != organisation.pk:
        raise ValidationError(_("Deze persoon hoort niet bij de organisatie."))
    with transaction.atomic():
        pending = Invitation.objects.select_for_update().filter(
            organisation=organisation,
            email=email,
            accepted_at__isnull=True,
            cancelled_at__isnull=True,
            declined_at__isnull=True,
        )
        now = timezone.now()
        if any(inv.expires_at > now for inv in pending):
            raise ValidationError(
                _(
                    "Er staat al een uitnodiging open voor %(email)s. Stuur die opnieuw of "
                    "trek ze in."
                )
                % {"email": email}
            )
        # Expired invitations are closed, so that only one can be pending.
        pending.update(cancelled_at=now)
        invitation = Invitation.objects.create(
            organisation=organisation,
            school=school,
            email=email,
            role=role,
            person=person,
            invited_by=actor,
            created_at=now,
            expires_at=now + dt.timedelta(days=INVITATION_VALID_DAYS),
        )
        audit_log(
            actor=actor,
            organisation=organisation,
            kind="invitation.sent",
            target=email,
            data={"role": role, "school": school.name if school else None},
        )
        _send_invitation(invitation=invitation, actor=actor, request=request)
        return invitation


def _locked_pending(invitation: Invitation) -> Invitation:
    """The invitation, locked for this transaction, if it still waits for an answer."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_pending:
        raise ValidationError(_("Deze uitnodiging staat niet meer open."))
    return invitation


def _audit_invitation(actor, invitation: Invitation, *, kind: str) -> None:
    audit_log(
        actor=actor,
        organisation=invitation.organisation,
        kind=kind,
        target=invitation.email,
        data={"role": invitation.role},
    )


def invitation_cancel(*, actor, invitation: Invitation) -> Invitation:
    """Withdraw an open invitation; its link stops working at once."""
    _check_invitation_rights(actor, invitation)
    with transaction.atomic():
        invitation = _locked_pending(invitation)
        invitation.cancelled_at = timezone.now()
        invitation.save(update_fields=["cancelled_at"])
        _audit_invitation(actor, invitation, kind="invitation.cancelled")
        return invitation


def invitation_resend(*, actor, invitation: Invitation, request=None) -> Invitation:
    """Send an invitation again with a new link and a new validity; the old link is dead."""
    _check_invitation_rights(actor, invitation)
    with transaction.atomic():
        invitation = _locked_pending(invitation)
        invitation.token = new_invitation_token()
        invitation.expires_at = timezone.now() + dt.timedelta(days=INVITATION_VALID_DAYS)
        invitation.save(update_fields=["token", "expires_at"])
        _audit_invitation(actor, invitation, kind="invitation.resent")
        _send_invitation(invitation=invitation, actor=actor, request=request)
        return invitation


def invitation_decline(*, invitation: Invitation, user=None) -> Invitation:
    """The invited person says no (with the link, or signed in as the invited address)."""
    if user is not None and user.is_authenticated:
        _check_invited(invitation, user)
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not invitation.is_open:
            raise ValidationError(_("Deze uitnodiging is verlopen of al gebruikt."))
        invitation.declined_at = timezone.now()
        invitation.save(update_fields=["declined_at"])
        _audit_invitation(user, invitation, kind="invitation.declined")
        return invitation


def _check_invited(invitation: Invitation, user) -> None:
    if normalise_email(user.email) != invitation.email:
        raise ValidationError(
            _(
                "Deze uitnodiging is voor %(invited)s, maar je bent aangemeld als %(email)s. "
                "Meld je af en meld je aan met het uitgenodigde adres."
            )
            % {"invited": invitation.email, "email": user.email}
        )


def invitation_accept(
    *,
    invitation: Invitation,
    password: str | None = None,
    user=None,
    first_name: str = "",
    last_name: str = "",
) -> User:
    """Accept an open invitation.

    ``user`` given: the signed-in account of the invited address accepts; nothing of the
    account (password, second factor) is touched. Without ``user``: a new account is made
    with ``password``; when the address already has an account this is refused (that user
    signs in as usual first). An invitation made for a person links the account to it."""
    from teamwerk.team.services import person_link_user
    from teamwerk.tenancy.services import membership_grant

    if not invitation.is_open:
        raise ValidationError(_("Deze uitnodiging is verlopen of al gebruikt."))
    if user is not None:
        _check_invited(invitation, user)
    elif account_for_address(invitation.email) is not None:
        raise ValidationError(
            _("Er bestaat al een account voor dit adres. Meld je aan om de uitnodiging te zien.")
        )
    elif not password:
        raise ValidationError(_("Kies een wachtwoord."))
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not invitation.is_open:
            raise ValidationError(_("Deze uitnodiging is verlopen of al gebruikt."))
        if user is None:
            user = user_create(
                email=invitation.email,
                password=password,
                first_name=first_name,
                last_name=last_name,
            )
        covered = user.memberships.filter(organisation=invitation.organisation).filter(
            models.Q(school__isnull=True) | models.Q(school=invitation.school)
        )
        if invitation.person_id is None or not covered.exists():
            membership_grant(
                actor=None,
                user=user,
                organisation=invitation.organisation,
                school=invitation.school,
                role=invitation.role,
            )
        if invitation.person_id is not None:
            person_link_user(actor=None, person=invitation.person, user=user, invitation=invitation)
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        audit_log(
            actor=user,
            organisation=invitation.organisation,
            kind="invitation.accepted",
            target=user.email,
            data={"role": invitation.role},
        )
        return user


def _check_account_authority(*, actor, user, organisation) -> None:
    """Only a beheerder of the organisation acts on an account, and only on one whose roles
    are all inside that organisation (a beheerder of X never touches someone of Y too).
    Nobody acts on their own account this way."""
    from django.core.exceptions import PermissionDenied

    from teamwerk.tenancy.querysets import scope_for
    from teamwerk.tenancy.roles import Action

    if organisation.pk not in scope_for(actor, Action.MANAGE_ORGANISATION).organisation_wide:
        raise PermissionDenied
    if user.pk == actor.pk:
        raise ValidationError(_("Dit kun je niet voor je eigen account doen."))
    organisations = set(user.memberships.values_list("organisation_id", flat=True))
    if organisations != {organisation.pk}:
        raise ValidationError(
            _(
                "%(email)s heeft ook een rol in een andere organisatie. Alleen als iemand "
                "enkel in jouw organisatie een rol heeft, kun je dit doen."
            )
            % {"email": user.email}
        )


def user_mfa_reset(*, actor, user, organisation) -> int:
    """Remove the user's second factor (lost phone): they set it up again at their next
    sign-in if their role requires it. Returns how many authenticators were removed."""
    from allauth.mfa.models import Authenticator

    _check_account_authority(actor=actor, user=user, organisation=organisation)
    with transaction.atomic():
        removed, _detail = Authenticator.objects.filter(user=user).delete()
        audit_log(
            actor=actor,
            organisation=organisation,
            kind="mfa.reset",
            target=user.email,
            data={"removed": removed},
        )
        return removed


def sessions_end(*, user) -> int:
    """Sign the user out everywhere now: every stored session of theirs is deleted."""
    from django.contrib.sessions.models import Session

    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            session.delete()
            ended += 1
    return ended


def user_deactivate(*, actor, user, organisation) -> User:
    """End an account when someone leaves: it can no longer sign in, its roles in the
    organisation end and its sessions end at once (audited)."""
    from teamwerk.tenancy.services import membership_end_all

    _check_account_authority(actor=actor, user=user, organisation=organisation)
    with transaction.atomic():
        membership_end_all(actor=actor, user=user, organisation=organisation)
        user.is_active = False
        user.save(update_fields=["is_active"])
        audit_log(
            actor=actor, organisation=organisation, kind="account.deactivated", target=user.email
        )
        sessions_end(user=user)
        return user


def user_language_set(*, user: User, language: str) -> bool:
    """Remember the language the user chose (``settings.LANGUAGES``); True when it changed."""
    if language not in dict(settings.LANGUAGES) or language == user.language:
        return False
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(language=language)
    user.language = language
    return True
