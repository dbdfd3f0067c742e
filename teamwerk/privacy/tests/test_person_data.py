"""A person's data: export (art. 15/20) and erasure (art. 17), with their attack tests."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse
from django.utils import timezone

from teamwerk.accounts.models import AuditEvent, User
from teamwerk.privacy.registry import organisation_models
from teamwerk.privacy.services import ERASED_NAME, person_erase
from teamwerk.team.models import Assignment, Competence, Person

pytestmark = pytest.mark.django_db

TOM = "teamlid.noord@scholengroep-demo.be"


def _tom() -> Person:
    return Person.objects.get(email=TOM)


def _json(client, person) -> tuple[dict, object]:
    response = client.get(reverse("privacy_person_json", args=[person.pk]))
    assert response.status_code == 200
    return json.loads(response.content), response


def _free(person: Person) -> None:
    """End the person's running tasks and actions (what erasure asks first)."""
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    for assignment in Assignment.objects.filter(person=person):
        Assignment.objects.filter(pk=assignment.pk).update(
            ends_on=max(yesterday, assignment.starts_on)
        )
    if apps.is_installed("teamwerk.actions"):
        from teamwerk.actions.models import Action

        Action.objects.filter(owner=person, done_on__isnull=True).update(done_on=yesterday)


def test_directie_exports_everything_held_about_a_person_as_json(world, client_for):
    tom = _tom()
    Competence.objects.filter(person=tom).update(development_wish="Leren scripten in Python")
    client = client_for("directie_noord")

    data, response = _json(client, tom)

    assert "no-store" in response["Cache-Control"]
    assert data["person"] == {"id": tom.pk, "name": tom.full_name}
    sections = {section["model"]: section for section in data["sections"]}
    assert sections["team.person"]["rows"][0]["email"] == TOM
    assert "team.historicalperson" in sections
    ratings = sections["team.competence"]["rows"]
    assert len(ratings) == Competence.objects.filter(person=tom).count() > 0
    assert {row["development_wish"] for row in ratings} == {"Leren scripten in Python"}
    assert "team.historicalcompetence" in sections
    assert len(sections["team.assignment"]["rows"]) == Assignment.objects.filter(person=tom).count()
    assert "tenancy.membership" in sections  # the account's roles
    # Only Tom's rows, and no secrets.
    assert all(row["person"]["id"] == tom.pk for row in ratings)
    text = json.dumps(data)
    assert '"password"' not in text and '"token"' not in text
    event = AuditEvent.objects.filter(kind="privacy.person_exported").latest("pk")
    assert event.actor == world.users["directie_noord"]
    assert event.data == {"person": tom.pk, "type": "json"}


def test_a_person_exports_their_own_data_and_the_pdf_reads_like_a_report(world, client_for):
    tom = _tom()
    client = client_for("teamlid_noord")
    data, _response = _json(client, tom)
    assert data["person"]["id"] == tom.pk

    response = client.get(reverse("privacy_person_pdf", args=[tom.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "no-store" in response["Cache-Control"]
    assert AuditEvent.objects.filter(kind="privacy.person_exported", data__type="pdf").exists()


@pytest.mark.parametrize(
    "intruder", ["ict_noord", "lezer_noord", "directie_zuid", "beheerder_stichting"]
)
def test_others_cannot_export_or_erase_and_nothing_is_recorded(world, client_for, intruder):
    tom = _tom()
    client = client_for(intruder)
    before = AuditEvent.objects.filter(kind__startswith="privacy.").count()
    assert client.get(reverse("privacy_person_json", args=[tom.pk])).status_code == 404
    assert client.get(reverse("privacy_person_pdf", args=[tom.pk])).status_code == 404
    response = client.post(reverse("privacy_person_erase", args=[tom.pk]), {"confirm": "on"})
    assert response.status_code == 404
    assert AuditEvent.objects.filter(kind__startswith="privacy.").count() == before
    assert Person.objects.get(pk=tom.pk).email == TOM


def test_the_person_cannot_erase_themself(world, client_for):
    tom = _tom()
    response = client_for("teamlid_noord").post(
        reverse("privacy_person_erase", args=[tom.pk]), {"confirm": "on"}
    )
    assert response.status_code == 404
    assert Person.objects.get(pk=tom.pk).email == TOM


def test_erasure_is_refused_while_the_person_holds_running_tasks(world, client_for):
    tom = _tom()
    assert Assignment.objects.filter(person=tom, ends_on__isnull=True).exists()
    client = client_for("directie_noord")

    page = client.get(reverse("privacy_person_erase", args=[tom.pk]))
    assert page.status_code == 200
    assert "lopende taak" in page.content.decode()

    response = client.post(reverse("privacy_person_erase", args=[tom.pk]), {"confirm": "on"})
    assert response.status_code == 409
    assert Person.objects.get(pk=tom.pk).email == TOM
    assert not AuditEvent.objects.filter(kind="privacy.person_erased").exists()


def _text_values(model, ids_field: str, ids) -> list[str]:
    names = [
        f.attname
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField | models.JSONField)
    ]
    rows = model._base_manager.filter(**{f"{ids_field}__in": ids}).values_list(*names)
    return [json.dumps(value, default=str) for row in rows for value in row]


def test_erasure_removes_the_person_everywhere_history_included(world, client_for):
    tom = _tom()
    tom_user = tom.user
    old_name = tom.full_name
    Competence.objects.filter(person=tom).update(development_wish="Leren scripten in Python")
    # Something in the history about Tom: a rating changed (a history row) and an audit line.
    competence = Competence.objects.filter(person=tom).first()
    competence.development_wish = "Een tweede wens"
    competence.save()
    AuditEvent.objects.create(
        organisation=world.organisation,
        kind="ratings.viewed",
        target=old_name,
        data={"person": tom.pk},
    )
    from teamwerk.allocation.models import ProposalRun
    from teamwerk.tenancy.selectors import current_school_year

    run = ProposalRun.objects.create(
        organisation=world.organisation,
        school=world.noord,
        school_year=current_school_year(world.organisation),
        status="done",
        result={"people": [{"id": tom.pk, "name": old_name}], "notes": [f"{old_name} neemt over"]},
    )
    # A free text a colleague wrote names Tom (in capitals), and it has a history row.
    from teamwerk.team.models import Agreement

    agreement = Agreement.objects.filter(organisation=world.organisation).first()
    agreement.text = f"{agreement.text} Vragen over printers gaan naar {old_name.upper()}."
    agreement.save()
    assignments = Assignment.objects.filter(person=tom).count()
    assert assignments > 0
    _free(tom)
    client = client_for("directie_noord")

    response = client.post(reverse("privacy_person_erase", args=[tom.pk]), {"confirm": "on"})

    assert response.status_code == 302
    tom.refresh_from_db()
    assert tom.full_name == ERASED_NAME and tom.email == "" and tom.user_id is None
    # The ratings and wishes are gone, from the history tables too.
    assert not Competence.objects.filter(person=tom).exists()
    assert not Competence.history.model.objects.filter(person_id=tom.pk).exists()
    # Every version of the person record is anonymised.
    versions = Person.history.model.objects.filter(id=tom.pk)
    assert versions.exists()
    assert set(versions.values_list("first_name", "last_name", "email")) == {
        ("verwijderde", "persoon", "")
    }
    # The distribution stays readable, with "verwijderde persoon".
    assert Assignment.objects.filter(person=tom).count() == assignments
    assert Assignment.history.model.objects.filter(person_id=tom.pk).exists()
    task_page = client.get(reverse("team_person", args=[tom.pk]))
    assert ERASED_NAME in task_page.content.decode()
    # The account is closed and anonymised (it had no roles elsewhere).
    tom_user.refresh_from_db()
    assert not tom_user.is_active and not tom_user.has_usable_password()
    assert TOM not in tom_user.email
    assert not tom_user.memberships.exists()
    # The audit log keeps the events, not the name.
    assert AuditEvent.objects.filter(kind="ratings.viewed", data__person=tom.pk).exists()
    assert not AuditEvent.objects.filter(target__icontains=old_name).exists()
    run.refresh_from_db()
    assert run.result == {
        "people": [{"id": tom.pk, "name": ERASED_NAME}],
        "notes": [f"{ERASED_NAME} neemt over"],
    }
    agreement.refresh_from_db()
    assert agreement.text.endswith(f"Vragen over printers gaan naar {ERASED_NAME}.")
    erased = AuditEvent.objects.get(kind="privacy.person_erased")
    assert erased.actor == world.users["directie_noord"] and erased.target == ERASED_NAME
    # Nowhere in the organisation's tables (history included) is the old name or address left,
    # except in the work-distribution plans recorded as signed (kept as they were signed).
    left = set()
    for item in organisation_models():
        rows = item.model._base_manager.all()
        if item.label == "documents.recordeddocument":
            rows = rows.exclude(kind="plan")
        for value in _text_values(item.model, "pk", rows.values("pk")):
            if old_name.lower() in value.lower() or TOM in value:
                left.add(item.label)
    assert left == set()


def test_erasure_keeps_an_account_that_has_roles_elsewhere(world):
    from teamwerk.tenancy.models import Membership

    tom = _tom()
    Membership.objects.create(
        user=tom.user, organisation=world.other_organisation, school=None, role="lezer"
    )
    _free(tom)
    person_erase(actor=world.users["beheerder"], person=tom)
    user = User.objects.get(email=TOM)
    assert user.is_active
    assert list(user.memberships.values_list("organisation", flat=True)) == [
        world.other_organisation.pk
    ]


def test_every_demo_persons_export_and_erase_page_open(world, client_for):
    client = client_for("beheerder")
    people = Person.objects.filter(organisation=world.organisation)
    assert people.count() > 5
    for person in people:
        data, _response = _json(client, person)
        assert data["sections"][0]["model"] == "team.person"
        page = client.get(reverse("privacy_person_erase", args=[person.pk]))
        assert page.status_code == 200, person
        assert "Er ging bij ons iets mis" not in page.content.decode()
