"""Second factor for who reads ratings; a beheerder resets a lost second factor or ends an
account, only for people whose roles are all in their organisation; sessions end at once."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator

from teamwerk.accounts.models import AuditEvent
from teamwerk.tenancy.models import Membership
from teamwerk.tenancy.services import membership_grant

pytestmark = pytest.mark.django_db


def _totp(user):
    return Authenticator.objects.create(
        user=user, type=Authenticator.Type.TOTP, data={"secret": "x"}
    )


def _without_mfa_rule(world):
    world.organisation.require_mfa_for_admins = False
    world.organisation.save()


def test_the_organisation_can_require_a_second_factor_for_directie_and_ict(client_for, world):
    _without_mfa_rule(world)
    assert client_for("directie_noord").get("/").status_code == 200
    world.organisation.require_mfa_for_leaders = True
    world.organisation.save()
    for key in ("directie_noord", "ict_noord", "directeur"):
        response = client_for(key).get("/team/verdeling/")
        assert response.status_code == 302, key
        assert response["Location"] == "/accounts/2fa/totp/activate/"
    # A teamlid reads no one else's ratings: not forced.
    assert client_for("teamlid_noord").get("/").status_code == 200
    _totp(world.users["ict_noord"])
    assert client_for("ict_noord").get("/").status_code == 200


def test_the_setting_is_on_the_organisation_settings_page(client_for, world):
    page = client_for("beheerder").get("/organisatie/instellingen/").content.decode()
    assert 'name="require_mfa_for_leaders"' in page


def test_beheerder_resets_the_second_factor_of_a_member(client_for, world):
    _without_mfa_rule(world)
    teacher = world.users["teamlid_noord"]
    _totp(teacher)
    client = client_for("beheerder")
    page = client.get("/organisatie/mensen/").content.decode()
    assert f"/organisatie/accounts/{teacher.pk}/2fa-wissen/" in page
    assert "enkel in deze organisatie" in page
    response = client.post(f"/organisatie/accounts/{teacher.pk}/2fa-wissen/")
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=teacher).exists()
    event = AuditEvent.objects.get(kind="mfa.reset", target=teacher.email)
    assert event.organisation == world.organisation
    assert event.actor == world.users["beheerder"]


def test_no_reset_for_someone_who_also_belongs_to_another_organisation(client_for, world):
    _without_mfa_rule(world)
    teacher = world.users["teamlid_noord"]
    _totp(teacher)
    membership_grant(
        actor=None,
        user=teacher,
        organisation=world.other_organisation,
        school=world.other_organisation.schools.first(),
        role="lezer",
    )
    client = client_for("beheerder")
    assert f"/organisatie/accounts/{teacher.pk}/2fa-wissen/" not in (
        client.get("/organisatie/mensen/").content.decode()
    )
    response = client.post(f"/organisatie/accounts/{teacher.pk}/2fa-wissen/", follow=True)
    assert "ook een rol in een andere organisatie" in response.content.decode()
    assert Authenticator.objects.filter(user=teacher).exists()
    response = client.post(f"/organisatie/accounts/{teacher.pk}/afsluiten/")
    teacher.refresh_from_db()
    assert teacher.is_active


@pytest.mark.parametrize("key", ["directie_noord", "ict_noord", "beheerder_stichting"])
def test_only_a_beheerder_of_the_organisation_resets_or_ends_accounts(client_for, world, key):
    teacher = world.users["teamlid_noord"]
    _totp(teacher)
    client = client_for(key)
    assert client.post(f"/organisatie/accounts/{teacher.pk}/2fa-wissen/").status_code in (
        302,
        404,
    )
    assert client.post(f"/organisatie/accounts/{teacher.pk}/afsluiten/").status_code in (302, 404)
    assert Authenticator.objects.filter(user=teacher).exists()
    teacher.refresh_from_db()
    assert teacher.is_active
    assert Membership.objects.filter(user=teacher).exists()


def test_ending_an_account_signs_it_out_at_once(client, world):
    from django.test import Client

    _without_mfa_rule(world)
    teacher = world.users["teamlid_noord"]
    client.force_login(teacher)
    assert client.get("/team/").status_code == 200
    admin = Client()
    admin.force_login(world.users["beheerder"])
    response = admin.post(f"/organisatie/accounts/{teacher.pk}/afsluiten/")
    assert response.status_code == 302
    teacher.refresh_from_db()
    assert not teacher.is_active
    assert not Membership.objects.filter(user=teacher).exists()
    assert AuditEvent.objects.filter(kind="account.deactivated", target=teacher.email).exists()
    # The teacher's open browser is signed out on its next request, and cannot sign in again.
    response = client.get("/team/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    response = client.post(
        "/accounts/login/", {"login": teacher.email, "password": "teamwerk-demo"}
    )
    assert "_auth_user_id" not in client.session
