"""A people import and the person form only add people to THIS school or update people who
already work here (finding 2). Someone of the sister school is refused, unless the user
already reads their ratings; someone of another organisation is not revealed."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from teamwerk.accounts.models import AuditEvent
from teamwerk.team.models import Availability, Person

pytestmark = pytest.mark.django_db

HEADER = "Voornaam;Achternaam;E-mail;Functie;Rolprofiel;Pedagogisch bekwaam;Extern;ICT-uren"


def csv_file(*rows: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("mensen.csv", ("\r\n".join([HEADER, *rows]) + "\r\n").encode())


def zuid_only(world) -> Person:
    """Hanne Vermeulen works only at Campus Zuid; she gets an address for the test."""
    hanne = Person.objects.get(organisation=world.organisation, first_name="Hanne")
    hanne.email = "hanne.vermeulen@scholengroep-demo.be"
    hanne.save()
    assert not Availability.objects.filter(person=hanne, school=world.noord).exists()
    return hanne


def preview(client, *rows):
    return client.post(reverse("team_import"), {"file": csv_file(*rows)})


def test_ict_of_the_sister_school_cannot_import_a_zuid_person_into_noord(world, client_for):
    """Finding 2: the preview said "already in the team list" and the confirm gave the Zuid
    person a place at Noord, so Noord's ICT coordinator read and changed her ratings."""
    hanne = zuid_only(world)
    client = client_for("ict_noord")
    response = preview(client, f"Hanne;Vermeulen;{hanne.email};;;nee;nee;10")
    body = response.content.decode()
    assert response.status_code == 200
    assert "token" not in response.context or not response.context.get("token")
    assert "hoort bij iemand die in een andere school van de organisatie werkt" in body
    assert 'id="preview"' not in body  # no "already in the team list" preview to confirm
    # A confirm with an old or forged preview does nothing either.
    confirm = client.post(reverse("team_import_confirm"), {"token": "forged"})
    assert confirm.status_code == 302
    assert not Availability.objects.filter(person=hanne, school=world.noord).exists()
    assert client.get(reverse("team_competences", args=[hanne.pk])).status_code == 404


def test_a_stored_preview_is_checked_again_when_confirmed(world, client_for):
    """Between preview and confirm the row cannot turn into someone of another school."""
    client = client_for("ict_noord")
    response = preview(client, "Hanne;Vermeulen;later.zuid@scholengroep-demo.be;;;nee;nee;10")
    assert response.context["token"]
    hanne = zuid_only(world)
    hanne.email = "later.zuid@scholengroep-demo.be"
    hanne.save()
    confirm = client.post(reverse("team_import_confirm"), {"token": response.context["token"]})
    assert confirm.status_code == 302
    assert not Availability.objects.filter(person=hanne, school=world.noord).exists()
    assert (
        not Person.objects.filter(email="later.zuid@scholengroep-demo.be")
        .exclude(pk=hanne.pk)
        .exists()
    )


def test_the_person_form_refuses_the_address_of_a_zuid_person(world, client_for):
    hanne = zuid_only(world)
    client = client_for("ict_noord")
    response = client.post(
        reverse("team_person_create"),
        {"first_name": "Hanne", "last_name": "V", "email": hanne.email, "hours_available": "5"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "hoort bij iemand die in een andere school van de organisatie werkt" in body
    assert "Vermeulen" not in body  # the form names nobody of another school
    assert not Availability.objects.filter(person=hanne, school=world.noord).exists()


def test_who_already_reads_her_ratings_may_add_her_on_purpose(world, client_for):
    """The group's directeur reads every school's ratings: the preview says the person comes
    from another school, and the confirm gives her a place at Noord without changing her
    details."""
    hanne = zuid_only(world)
    client = client_for("directeur")
    client.post(reverse("switch_school"), {"school": world.noord.pk, "next": "/"})
    response = preview(client, f"Hanne;Anders;{hanne.email};;;nee;nee;10")
    assert response.status_code == 200
    assert "uit een andere school" in response.content.decode()
    confirm = client.post(reverse("team_import_confirm"), {"token": response.context["token"]})
    assert confirm.status_code == 302
    assert Availability.objects.get(person=hanne, school=world.noord).hours_available == 10
    hanne.refresh_from_db()
    assert hanne.last_name == "Vermeulen"
    event = AuditEvent.objects.filter(kind="people.imported").latest("pk")
    assert event.organisation_id == world.organisation.pk
    assert (event.data["attached"], event.data["created"], event.data["updated"]) == (1, 0, 0)


def test_a_person_of_another_organisation_reads_like_an_unknown_address(world, client_for):
    """The Stichting's beheerder and people are not revealed: the row is a new person of
    this organisation, exactly like an unknown address."""
    other = world.users["beheerder_stichting"]
    client = client_for("ict_noord")
    response = preview(client, f"Sanne;de Vries;{other.email};;;nee;nee;3")
    body = response.content.decode()
    assert response.context["new_count"] == 1 and response.context["update_count"] == 0
    assert "andere school" not in body
    client.post(reverse("team_import_confirm"), {"token": response.context["token"]})
    created = Person.objects.get(organisation=world.organisation, email=other.email)
    assert Availability.objects.filter(person=created, school=world.noord).exists()


def test_the_beheerder_of_another_organisation_cannot_touch_noord(world, client_for):
    """Their import goes to their own school; a Noord address there is a new person of the
    Stichting, and Noord's person is unchanged."""
    sofie = Person.objects.get(organisation=world.organisation, first_name="Sofie")
    sofie.email = "sofie.maes@scholengroep-demo.be"
    sofie.save()
    client = client_for("beheerder_stichting")
    response = preview(client, f"Sofie;Gekaapt;{sofie.email};;;nee;nee;3")
    if response.status_code == 200 and response.context.get("token"):
        client.post(reverse("team_import_confirm"), {"token": response.context["token"]})
    sofie.refresh_from_db()
    assert sofie.last_name == "Maes"
    assert not Availability.objects.filter(person=sofie).exclude(school=world.noord).exists()


def test_an_import_is_audited_with_its_counts(world, client_for):
    client = client_for("ict_noord")
    response = preview(
        client,
        "Jan;Nieuw;jan.nieuw@scholengroep-demo.be;;;nee;nee;4",
        "Piet;Partner;;;;nee;ja;",
    )
    client.post(reverse("team_import_confirm"), {"token": response.context["token"]})
    event = AuditEvent.objects.filter(kind="people.imported").latest("pk")
    assert event.actor == world.users["ict_noord"]
    assert event.organisation_id == world.organisation.pk
    assert (event.data["created"], event.data["rows"], event.data["file"]) == (2, 2, "mensen.csv")
