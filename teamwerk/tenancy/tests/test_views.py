from __future__ import annotations

import re

import pytest
from django.core import mail

from teamwerk.accounts.models import Invitation
from teamwerk.tenancy.models import Membership

pytestmark = pytest.mark.django_db


def test_directie_invites_a_teacher_for_their_school(
    client_for, world, django_capture_on_commit_callbacks
):
    client = client_for("directie_noord")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/organisatie/mensen/",
            {
                "email": " Nieuwe.Collega@Scholengroep-Demo.be ",
                "role": "teamlid",
                "school": world.noord.pk,
            },
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="nieuwe.collega@scholengroep-demo.be")
    assert invitation.school == world.noord
    assert len(mail.outbox) == 1
    assert f"/uitnodiging/{invitation.token}/" in mail.outbox[0].body


def test_directie_cannot_pick_another_school_in_the_invitation_form(client_for, world):
    client = client_for("directie_noord")
    response = client.post(
        "/organisatie/mensen/",
        {"email": "x@example.org", "role": "teamlid", "school": world.zuid.pk},
    )
    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert not Invitation.objects.filter(email="x@example.org").exists()


def test_members_page_lists_only_the_managed_school(client_for):
    page = client_for("directie_zuid").get("/organisatie/mensen/").content.decode()
    assert "directie.zuid@scholengroep-demo.be" in page
    assert "ict.noord@scholengroep-demo.be" not in page


def test_role_change_through_the_page(client_for, world):
    membership = world.membership("teamlid_noord")
    response = client_for("directie_noord").post(
        f"/organisatie/mensen/{membership.pk}/rol/", {"role": "lezer"}
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == "lezer"


def test_outsider_cannot_revoke_and_nothing_changes(client_for, world):
    membership = world.membership("teamlid_noord")
    response = client_for("directie_zuid").post(f"/organisatie/mensen/{membership.pk}/intrekken/")
    assert response.status_code == 404
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_beheerder_changes_organisation_settings(client_for, world):
    response = client_for("beheerder").post(
        "/organisatie/instellingen/",
        {
            "name": "Scholengroep Demo",
            "kind": "scholengroep",
            "region": "BE-VL",
            "hours_per_fte": 1650,
            "require_mfa_for_admins": "",
            "version": world.organisation.version,
        },
    )
    assert response.status_code == 302
    world.organisation.refresh_from_db()
    assert world.organisation.hours_per_fte == 1650


def test_school_switch_changes_the_current_school(client_for, world):
    client = client_for("directeur")
    client.post("/school/kiezen/", {"school": world.zuid.pk, "next": "/"})
    page = client.get("/").content.decode()
    assert f'<option value="{world.zuid.pk}" selected>Campus Zuid' in page


def test_school_switch_ignores_foreign_redirects(client_for, world):
    response = client_for("directeur").post(
        "/school/kiezen/", {"school": world.zuid.pk, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_a_stale_settings_form_is_refused_and_keeps_the_input(client_for, world):
    client = client_for("beheerder")
    page = client.get("/organisatie/instellingen/").content.decode()
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    data = {
        "name": world.organisation.name,
        "kind": world.organisation.kind,
        "region": world.organisation.region,
        "hours_per_fte": 1600,
        "version": version,
    }
    # Someone else saves first.
    assert (
        client.post("/organisatie/instellingen/", {**data, "hours_per_fte": 1650}).status_code
        == 302
    )
    response = client.post("/organisatie/instellingen/", {**data, "name": "Mijn nieuwe naam"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Iemand anders heeft de instellingen intussen bewaard" in page
    assert 'value="Mijn nieuwe naam"' in page
    world.organisation.refresh_from_db()
    assert world.organisation.name != "Mijn nieuwe naam"
    assert world.organisation.hours_per_fte == 1650
    # Saving again from the kept form goes through.
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    response = client.post(
        "/organisatie/instellingen/", {**data, "name": "Mijn nieuwe naam", "version": version}
    )
    assert response.status_code == 302


@pytest.mark.parametrize("hours", ["0", "-5", "100000000", "1e20", "abc"])
def test_hours_per_fte_out_of_range_is_refused_with_a_message(client_for, world, hours):
    client = client_for("beheerder")
    page = client.get("/organisatie/instellingen/").content.decode()
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    response = client.post(
        "/organisatie/instellingen/",
        {
            "name": world.organisation.name,
            "kind": world.organisation.kind,
            "region": world.organisation.region,
            "hours_per_fte": hours,
            "version": version,
        },
    )
    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode() or "is-invalid" in (
        response.content.decode()
    )
    world.organisation.refresh_from_db()
    assert 1000 <= world.organisation.hours_per_fte <= 2000


def test_the_database_refuses_numbers_out_of_range(world):
    from django.db import IntegrityError, transaction

    from teamwerk.tenancy.models import Organisation, School

    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.filter(pk=world.organisation.pk).update(hours_per_fte=100000000)
    with pytest.raises(IntegrityError), transaction.atomic():
        School.objects.filter(pk=world.noord.pk).update(ict_hours_available=-1)
