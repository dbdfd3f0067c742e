from __future__ import annotations

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
