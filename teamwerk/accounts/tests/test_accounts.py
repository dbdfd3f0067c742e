from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from teamwerk.accounts.models import AuditEvent, Invitation, User
from teamwerk.accounts.services import invitation_create
from teamwerk.tenancy.models import Membership

pytestmark = pytest.mark.django_db


def test_login_with_email_and_password_is_audited(client, world):
    response = client.post(
        "/accounts/login/",
        {"login": "ICT.Noord@scholengroep-demo.be", "password": "teamwerk-demo"},
    )
    assert response.status_code == 302
    event = AuditEvent.objects.filter(kind="login.succeeded").latest("created_at")
    assert event.actor == world.users["ict_noord"]
    assert event.organisation == world.organisation


def test_failed_login_is_audited_and_explained_in_dutch(client, world):
    response = client.post(
        "/accounts/login/", {"login": "ict.noord@scholengroep-demo.be", "password": "fout"}
    )
    assert response.status_code == 200
    assert "niet correct" in response.content.decode()
    event = AuditEvent.objects.filter(kind="login.failed").latest("created_at")
    assert event.target == "ict.noord@scholengroep-demo.be"
    assert event.organisation == world.organisation


def test_repeated_failed_logins_are_throttled(client, world):
    for _ in range(6):
        response = client.post(
            "/accounts/login/", {"login": "ict.noord@scholengroep-demo.be", "password": "fout"}
        )
    response = client.post(
        "/accounts/login/",
        {"login": "ict.noord@scholengroep-demo.be", "password": "teamwerk-demo"},
    )
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session


def test_sign_up_is_closed_when_the_operator_closes_it(client, settings):
    settings.OPEN_SIGNUP = False
    page = client.get("/accounts/signup/").content.decode()
    assert 'name="password1"' not in page


def test_invitation_creates_account_with_role(client, world):
    invitation = invitation_create(
        actor=world.users["directie_noord"],
        organisation=world.organisation,
        school=world.noord,
        email="nieuw@scholengroep-demo.be",
        role="teamlid",
    )
    response = client.post(
        f"/uitnodiging/{invitation.token}/",
        {
            "first_name": "Nina",
            "last_name": "Nieuw",
            "password1": "een-sterk-wachtwoord-9",
            "password2": "een-sterk-wachtwoord-9",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="nieuw@scholengroep-demo.be")
    assert user.check_password("een-sterk-wachtwoord-9")
    assert Membership.objects.get(user=user).school == world.noord
    assert client.session["_auth_user_id"] == str(user.pk)
    kinds = set(AuditEvent.objects.filter(target=user.email).values_list("kind", flat=True))
    assert {"invitation.sent", "invitation.accepted", "role.granted"} <= kinds
    # The link works once.
    assert client.get(f"/uitnodiging/{invitation.token}/").status_code == 404


def test_invitation_with_weak_or_different_passwords_saves_nothing(client, world):
    invitation = invitation_create(
        actor=world.users["beheerder"],
        organisation=world.organisation,
        school=None,
        email="zwak@scholengroep-demo.be",
        role="lezer",
    )
    response = client.post(
        f"/uitnodiging/{invitation.token}/",
        {"first_name": "A", "last_name": "B", "password1": "12345", "password2": "12345"},
    )
    assert response.status_code == 200
    assert not User.objects.filter(email="zwak@scholengroep-demo.be").exists()
    response = client.post(
        f"/uitnodiging/{invitation.token}/",
        {
            "first_name": "A",
            "last_name": "B",
            "password1": "een-sterk-wachtwoord-9",
            "password2": "een-ander-wachtwoord-9",
        },
    )
    assert "niet gelijk" in response.content.decode()
    assert not User.objects.filter(email="zwak@scholengroep-demo.be").exists()


def test_expired_invitation_is_refused(client, world):
    invitation = invitation_create(
        actor=world.users["beheerder"],
        organisation=world.organisation,
        school=None,
        email="laat@scholengroep-demo.be",
        role="lezer",
    )
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - dt.timedelta(days=1)
    )
    response = client.get(f"/uitnodiging/{invitation.token}/")
    assert response.status_code == 404
    assert "niet (meer) geldig" in response.content.decode()


def test_beheerder_must_set_up_two_factor_when_the_organisation_requires_it(client_for, world):
    world.organisation.require_mfa_for_admins = True
    world.organisation.save()
    response = client_for("beheerder").get("/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"
    # Other roles are not forced; they may still choose it.
    assert client_for("directie_noord").get("/").status_code == 200


def test_beheerder_with_totp_gets_through(client_for, world):
    from allauth.mfa.models import Authenticator

    world.organisation.require_mfa_for_admins = True
    world.organisation.save()
    Authenticator.objects.create(
        user=world.users["beheerder"], type=Authenticator.Type.TOTP, data={"secret": "x"}
    )
    assert client_for("beheerder").get("/").status_code == 200


def test_audit_log_shows_only_own_organisation(client_for, world):
    client_for("ict_noord")  # a login of another organisation must not leak
    AuditEvent.objects.create(
        organisation=world.other_organisation,
        kind="login.succeeded",
        target="geheim@stichting-demo.nl",
    )
    AuditEvent.objects.create(
        organisation=world.organisation,
        kind="login.succeeded",
        target="zichtbaar@scholengroep-demo.be",
    )
    page = client_for("beheerder").get("/auditlog/").content.decode()
    assert "zichtbaar@scholengroep-demo.be" in page
    assert "geheim@stichting-demo.nl" not in page


def test_emails_are_one_spelling(world):
    from teamwerk.accounts.models import normalise_email

    assert normalise_email("  Ｉct.Noord@Scholengroep-Demo.BE ") == "ict.noord@scholengroep-demo.be"
