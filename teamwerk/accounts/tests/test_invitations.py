"""Invitations never touch an existing account; one open invitation per address; cancel,
resend, decline and expiry; an invitation made for a person links that person only."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from allauth.mfa.models import Authenticator
from django.utils import timezone

from teamwerk.accounts.models import AuditEvent, Invitation, User
from teamwerk.accounts.services import invitation_create
from teamwerk.team.models import Person
from teamwerk.tenancy.models import Membership

pytestmark = pytest.mark.django_db

DEMO_PASSWORD = "teamwerk-demo"


def _invite_other_organisation_s_beheerder(world) -> Invitation:
    return invitation_create(
        actor=world.users["beheerder"],
        organisation=world.organisation,
        school=None,
        email=world.users["beheerder_stichting"].email,
        role="beheerder",
    )


def test_an_invitation_link_never_sets_an_existing_account_s_password(client, world):
    victim = world.users["beheerder_stichting"]
    Authenticator.objects.create(user=victim, type=Authenticator.Type.TOTP, data={"secret": "x"})
    invitation = _invite_other_organisation_s_beheerder(world)
    page = client.get(f"/uitnodiging/{invitation.token}/").content.decode()
    assert 'name="password1"' not in page
    assert "al een account" in page
    response = client.post(
        f"/uitnodiging/{invitation.token}/",
        {
            "first_name": "X",
            "last_name": "Y",
            "password1": "overgenomen-wachtwoord-1",
            "password2": "overgenomen-wachtwoord-1",
        },
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    victim.refresh_from_db()
    assert victim.check_password(DEMO_PASSWORD)
    assert Authenticator.objects.filter(user=victim).exists()
    assert not Membership.objects.filter(user=victim, organisation=world.organisation).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_existing_user_signs_in_as_usual_then_accepts_on_the_home_page(client, world):
    user = world.users["beheerder_stichting"]
    invitation = invitation_create(
        actor=world.users["directie_noord"],
        organisation=world.organisation,
        school=world.noord,
        email=user.email,
        role="lezer",
    )
    response = client.post("/accounts/login/", {"login": user.email, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    home = client.get("/").content.decode()
    assert "Scholengroep Demo nodigt je uit" in home
    assert f"/uitnodiging/{invitation.token}/" in home
    page = client.get(f"/uitnodiging/{invitation.token}/").content.decode()
    assert 'name="password1"' not in page
    assert 'name="accept"' in page
    response = client.post(f"/uitnodiging/{invitation.token}/", {"accept": "1"})
    assert response.status_code == 302
    membership = Membership.objects.get(user=user, organisation=world.organisation)
    assert (membership.role, membership.school) == ("lezer", world.noord)
    user.refresh_from_db()
    assert user.check_password(DEMO_PASSWORD)
    assert AuditEvent.objects.filter(
        kind="invitation.accepted", organisation=world.organisation, target=user.email
    ).exists()
    assert client.get(f"/uitnodiging/{invitation.token}/").status_code == 404


def test_accepting_while_signed_in_as_another_address_is_refused(client_for, world):
    invitation = _invite_other_organisation_s_beheerder(world)
    client = client_for("teamlid_noord")
    page = client.get(f"/uitnodiging/{invitation.token}/").content.decode()
    assert "maar je bent aangemeld als" in page
    assert 'name="accept"' not in page
    client.post(f"/uitnodiging/{invitation.token}/", {"accept": "1"})
    assert not Membership.objects.filter(
        user=world.users["teamlid_noord"], role="beheerder"
    ).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_declining_closes_the_invitation_and_is_audited(client_for, world):
    invitation = _invite_other_organisation_s_beheerder(world)
    client = client_for("beheerder_stichting")
    response = client.post(f"/uitnodiging/{invitation.token}/", {"decline": "1"})
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.declined_at is not None
    assert client.get(f"/uitnodiging/{invitation.token}/").status_code == 404
    assert AuditEvent.objects.filter(
        kind="invitation.declined", organisation=world.organisation
    ).exists()
    assert not Membership.objects.filter(
        user=world.users["beheerder_stichting"], organisation=world.organisation
    ).exists()


def test_no_second_open_invitation_for_the_same_address(client_for, world):
    client = client_for("directie_noord")
    data = {"email": "dubbel@scholengroep-demo.be", "role": "teamlid", "school": world.noord.pk}
    assert client.post("/organisatie/mensen/", data).status_code == 302
    response = client.post("/organisatie/mensen/", data)
    assert response.status_code == 200
    assert "al een uitnodiging open" in response.content.decode()
    assert Invitation.objects.filter(email="dubbel@scholengroep-demo.be").count() == 1


def test_cancel_and_resend_from_the_members_page(client_for, world):
    client = client_for("directie_noord")
    client.post(
        "/organisatie/mensen/",
        {"email": "later@scholengroep-demo.be", "role": "teamlid", "school": world.noord.pk},
    )
    invitation = Invitation.objects.get(email="later@scholengroep-demo.be")
    old_token = invitation.token
    page = client.get("/organisatie/mensen/").content.decode()
    assert f"/organisatie/uitnodigingen/{invitation.pk}/opnieuw/" in page
    # Someone of the sister school cannot touch it.
    response = client_for("directie_zuid").post(
        f"/organisatie/uitnodigingen/{invitation.pk}/intrekken/"
    )
    assert response.status_code == 404
    client = client_for("directie_noord")
    assert client.post(f"/organisatie/uitnodigingen/{invitation.pk}/opnieuw/").status_code == 302
    invitation.refresh_from_db()
    assert invitation.token != old_token
    assert client.get(f"/uitnodiging/{old_token}/").status_code == 404
    assert client_for("anonymous").get(f"/uitnodiging/{invitation.token}/").status_code == 200
    client = client_for("directie_noord")
    assert client.post(f"/organisatie/uitnodigingen/{invitation.pk}/intrekken/").status_code == 302
    assert client_for("anonymous").get(f"/uitnodiging/{invitation.token}/").status_code == 404
    kinds = set(
        AuditEvent.objects.filter(target="later@scholengroep-demo.be").values_list(
            "kind", flat=True
        )
    )
    assert {"invitation.sent", "invitation.resent", "invitation.cancelled"} <= kinds


def test_invitations_last_fourteen_days(client, world):
    invitation = _invite_other_organisation_s_beheerder(world)
    assert invitation.expires_at - invitation.created_at == dt.timedelta(days=14)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    assert client.get(f"/uitnodiging/{invitation.token}/").status_code == 404
    # An expired invitation does not block a new one.
    again = _invite_other_organisation_s_beheerder(world)
    assert client.get(f"/uitnodiging/{again.token}/").status_code == 200


def test_the_invite_form_starts_with_the_least_role_and_the_current_school(client_for, world):
    page = client_for("directie_noord").get("/organisatie/mensen/").content.decode()
    assert re.search(r'<option value="teamlid"[^>]*selected', page)
    assert re.search(rf'<option value="{world.noord.pk}"[^>]*selected', page)


def test_an_invitation_for_a_person_links_that_person_when_accepted(
    client_for, world, django_capture_on_commit_callbacks
):
    person = (
        Person.objects.filter(
            organisation=world.organisation, user__isnull=True, availabilities__school=world.noord
        )
        .exclude(email="")
        .exclude(availabilities__school=world.zuid)
        .first()
    )
    client = client_for("directie_noord")
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/team/mensen/{person.pk}/uitnodigen/").status_code == 302
    invitation = Invitation.objects.get(email=person.email)
    assert invitation.person == person
    client = client_for("anonymous")
    response = client.post(
        f"/uitnodiging/{invitation.token}/",
        {
            "first_name": person.first_name,
            "last_name": person.last_name,
            "password1": "een-sterk-wachtwoord-9",
            "password2": "een-sterk-wachtwoord-9",
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.user == User.objects.get(email=person.email)
    response = client.get("/team/mijn-kennis/")
    assert response["Location"] == f"/team/mensen/{person.pk}/kennis/"
    assert AuditEvent.objects.filter(kind="person.linked", target=person.email).exists()
