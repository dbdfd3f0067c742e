"""Schools added, renamed and archived; the setup checklist; a new school year; the
operator's command."""

from __future__ import annotations

import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from teamwerk.accounts.models import AuditEvent, Invitation
from teamwerk.planning.models import PlannedTask, TaskPlan
from teamwerk.team.models import Agreement, Assignment, Availability
from teamwerk.tenancy.models import Organisation, School, SchoolYear
from teamwerk.tenancy.selectors import current_school_year, new_year_preview, setup_checklist
from teamwerk.tenancy.services import (
    organisation_create,
    school_archive,
    school_year_start_next,
)

pytestmark = pytest.mark.django_db


# -- schools ---------------------------------------------------------------------------------


def test_the_beheerder_adds_and_renames_a_school(client_for, world):
    client = client_for("beheerder")
    response = client.post(
        "/organisatie/scholen/",
        {"name": "Campus West", "number": "123456", "level": "basis", "ict_hours_available": "80"},
    )
    assert response.status_code == 302
    west = School.objects.get(organisation=world.organisation, name="Campus West")
    response = client.post(
        f"/organisatie/scholen/{west.pk}/",
        {
            "name": "Campus Westhoek",
            "number": "123456",
            "level": "basis",
            "ict_hours_available": "80",
            "version": west.version,
        },
    )
    assert response.status_code == 302
    west.refresh_from_db()
    assert west.name == "Campus Westhoek"
    kinds = AuditEvent.objects.filter(target__startswith="Campus West").values_list(
        "kind", flat=True
    )
    assert {"school.added", "school.updated"} <= set(kinds)


def test_a_rename_on_a_stale_form_is_refused_and_keeps_the_input(client_for, world):
    client = client_for("beheerder")
    data = {"name": "Campus Noordkaap", "number": "", "level": "secundair"}
    data |= {"ict_hours_available": "100", "version": world.noord.version}
    client.post(f"/organisatie/scholen/{world.noord.pk}/", {**data, "name": "Noord 1"})
    response = client.post(f"/organisatie/scholen/{world.noord.pk}/", data)
    assert response.status_code == 409
    assert "Campus Noordkaap" in response.content.decode()
    world.noord.refresh_from_db()
    assert world.noord.name == "Noord 1"


def test_a_duplicate_name_is_refused_next_to_the_field(client_for, world):
    response = client_for("beheerder").post(
        "/organisatie/scholen/",
        {"name": "campus zuid", "number": "", "level": "basis", "ict_hours_available": "0"},
    )
    assert response.status_code == 200
    assert "Er is al een school met deze naam." in response.content.decode()


def test_a_pasted_list_is_checked_first_and_added_in_one_go(client_for, world):
    client = client_for("beheerder")
    text = "De Linde; 011111\nHet Anker\t022222\n\nDe Linde; 033333\nCampus Zuid; 1"
    preview = client.post("/organisatie/scholen/lijst/", {"text": text, "level": "basis"})
    page = preview.content.decode()
    assert "Deze naam staat twee keer in de lijst." in page
    assert "Er is al een school met deze naam." in page
    assert 'name="confirm"' not in page
    # A confirmation of a wrong list adds nothing.
    client.post("/organisatie/scholen/lijst/", {"text": text, "level": "basis", "confirm": "1"})
    assert not School.objects.filter(name="Het Anker").exists()
    good = "De Linde; 011111\nHet Anker\t022222"
    preview = client.post("/organisatie/scholen/lijst/", {"text": good, "level": "basis"})
    assert 'name="confirm"' in preview.content.decode()
    response = client.post(
        "/organisatie/scholen/lijst/", {"text": good, "level": "basis", "confirm": "1"}
    )
    assert response.status_code == 302
    added = School.objects.filter(
        organisation=world.organisation, name__in=["De Linde", "Het Anker"]
    )
    assert sorted(added.values_list("number", flat=True)) == ["011111", "022222"]


def test_a_list_can_come_from_an_xlsx(client_for, world):
    book = Workbook()
    sheet = book.active
    sheet.append(["Naam", "Nummer"])
    sheet.append(["De Wilg", 44444])
    sheet.append(["De Eik", "55555"])
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    data.name = "scholen.xlsx"
    page = (
        client_for("beheerder")
        .post("/organisatie/scholen/lijst/", {"file": data, "level": "basis"})
        .content.decode()
    )
    assert "De Wilg" in page and "44444" in page and "De Eik" in page
    assert "Naam" not in page.split("<tbody>")[1].split("</tbody>")[0]


def test_a_file_that_is_not_xlsx_is_refused(client_for):
    data = io.BytesIO(b"not a zip")
    data.name = "scholen.xlsx"
    response = client_for("beheerder").post(
        "/organisatie/scholen/lijst/", {"file": data, "level": "basis"}
    )
    assert response.status_code == 400
    assert "geen leesbaar Excel-bestand" in response.content.decode()


def test_an_archived_school_leaves_the_switch_and_the_group_overviews_but_keeps_its_data(
    client_for, world
):
    from teamwerk.team.selectors import organisation_figures

    year = current_school_year(world.organisation)
    people_before = Availability.objects.filter(school=world.zuid, school_year=year).count()
    client = client_for("beheerder")
    assert f'value="{world.zuid.pk}"' in client.get("/").content.decode()
    response = client.post(f"/organisatie/scholen/{world.zuid.pk}/archiveren/")
    assert response.status_code == 302
    home = client.get("/").content.decode()
    assert f'name="school" value="{world.zuid.pk}"' not in home
    figures = organisation_figures(world.users["beheerder"], world.organisation)
    assert world.zuid.pk not in [f.school.pk for f in figures]
    # The data stays, and the school comes back.
    assert Availability.objects.filter(school=world.zuid, school_year=year).count() == (
        people_before
    )
    assert "Campus Zuid" in client.get("/organisatie/scholen/").content.decode()
    client.post(f"/organisatie/scholen/{world.zuid.pk}/terugzetten/")
    assert f'name="school" value="{world.zuid.pk}"' in client.get("/").content.decode()


def test_the_last_school_cannot_be_archived(world):
    from django.core.exceptions import ValidationError

    others = School.objects.active().filter(organisation=world.organisation)
    for school in others.exclude(pk=world.noord.pk):
        school_archive(actor=world.users["beheerder"], school=school)
    with pytest.raises(ValidationError):
        school_archive(actor=world.users["beheerder"], school=world.noord)


# -- the setup checklist -----------------------------------------------------------------------


def _new_organisation(world):
    from teamwerk.tenancy.services import membership_grant

    organisation = organisation_create(
        name="Stichting Start", kind="bestuur", region="NL", require_mfa_for_admins=False
    )
    user = world.users["beheerder_stichting"]
    membership_grant(
        actor=None, user=user, organisation=organisation, school=None, role="beheerder"
    )
    user.__dict__.pop("_tenancy_memberships", None)
    return organisation, user


def _state(checklist) -> dict:
    return {item.key: item.done for item in checklist.items}


def test_the_checklist_ticks_itself_from_the_data(world):
    from teamwerk.accounts.services import invitation_create
    from teamwerk.planning.services import plan_create_from_catalogue
    from teamwerk.team.services import person_create
    from teamwerk.tenancy.services import school_add

    organisation, user = _new_organisation(world)
    checklist = setup_checklist(user, organisation)
    assert not any(_state(checklist).values())
    assert checklist.next_item.key == "schools"
    assert "BRIN-nummer" in checklist.items[0].help
    school = school_add(actor=user, organisation=organisation, name="De Brug")
    user.__dict__.pop("_tenancy_memberships", None)
    assert _state(setup_checklist(user, organisation)) == {
        "schools": True,
        "year": False,
        "invite": False,
        "people": False,
        "plan": False,
    }
    school.ict_hours_available = 120
    school.save()
    for role, email in (("directie", "dir@brug.example"), ("ict", "ict@brug.example")):
        invitation_create(
            actor=user, organisation=organisation, school=school, email=email, role=role
        )
    year = current_school_year(organisation)
    person_create(
        actor=user,
        organisation=organisation,
        school=school,
        school_year=year,
        first_name="Ina",
        last_name="Inlees",
        hours_available=40,
    )
    state = _state(setup_checklist(user, organisation))
    assert state == {"schools": True, "year": True, "invite": True, "people": True, "plan": False}
    plan_create_from_catalogue(
        actor=user, school=school, organisation=organisation, school_year=year
    )
    # Everything done: the checklist leaves the home page.
    assert setup_checklist(user, organisation) is None


def test_the_checklist_is_on_the_home_page_of_a_new_beheerder_only(client_for, world):
    organisation, user = _new_organisation(world)
    from teamwerk.tenancy.services import school_add

    school_add(actor=user, organisation=organisation, name="De Brug")
    client = client_for("beheerder_stichting")
    client.post("/school/kiezen/", {"school": School.objects.get(name="De Brug").pk})
    page = client.get("/").content.decode()
    assert 'id="setup-checklist"' in page
    assert 'href="/organisatie/scholen/"' in page
    # Not for a teamlid, and not for the demo's finished organisation.
    assert 'id="setup-checklist"' not in client_for("teamlid_noord").get("/").content.decode()
    assert 'id="setup-checklist"' not in client_for("beheerder").get("/").content.decode()


# -- a new school year ------------------------------------------------------------------------


def _snapshot(school, year) -> dict:
    plan = TaskPlan.objects.get(school=school, school_year=year)
    return {
        "items": sorted(
            PlannedTask.objects.filter(plan=plan).values_list(
                "task_id", "applies", "horizon", "level", "sourcing", "hours"
            )
        ),
        "assignments": sorted(
            Assignment.objects.filter(planned_task__plan=plan).values_list(
                "planned_task__task_id", "person_id", "role", "hours", "starts_on", "ends_on"
            )
        ),
        "people": sorted(
            Availability.objects.filter(school=school, school_year=year).values_list(
                "person_id", "hours_available"
            )
        ),
        "agreements": sorted(
            Agreement.objects.filter(school=school, school_year=year).values_list("kind", "text")
        ),
    }


def test_a_new_school_year_carries_over_and_leaves_this_year_as_it_was(world):
    actor = world.users["ict_noord"]
    year = current_school_year(world.organisation)
    before = _snapshot(world.noord, year)
    preview = new_year_preview(world.noord, year)
    assert preview.plan_tasks and preview.people and preview.assignments
    next_year = school_year_start_next(actor=actor, school=world.noord, from_year=year)
    assert next_year.start_year == year.start_year + 1
    assert _snapshot(world.noord, year) == before
    after = _snapshot(world.noord, next_year)
    assert len(after["items"]) == preview.plan_tasks + preview.plan_new_tasks
    assert len(after["people"]) == preview.people
    assert len(after["assignments"]) == preview.assignments
    assert len(after["agreements"]) == preview.agreements
    assert {a[4] for a in after["assignments"]} == {next_year.starts_on}
    assert sum(h for _, h in after["people"]) == preview.people_hours
    # Starting again changes nothing: what next year has stays.
    school_year_start_next(actor=actor, school=world.noord, from_year=year)
    assert _snapshot(world.noord, next_year) == after
    assert AuditEvent.objects.filter(kind="schoolyear.started", target="Campus Noord").exists()


def test_the_new_year_page_previews_and_starts_for_the_ticked_schools(client_for, world):
    client = client_for("beheerder")
    year = current_school_year(world.organisation)
    page = client.get("/organisatie/nieuw-schooljaar/").content.decode()
    assert "Campus Noord" in page and "Campus Zuid" in page
    assert "Gaat mee" in page and "Kijk daarna na" in page
    response = client.post("/organisatie/nieuw-schooljaar/", {"schools": [world.zuid.pk]})
    assert response.status_code == 302
    next_year = SchoolYear.objects.get(
        organisation=world.organisation, start_year=year.start_year + 1
    )
    assert TaskPlan.objects.filter(school=world.zuid, school_year=next_year).exists()
    assert not TaskPlan.objects.filter(school=world.noord, school_year=next_year).exists()
    # Last year stays readable, read-only.
    old = client.get(f"/organisatie/schooljaar/{world.zuid.pk}/{year.start_year}/")
    assert old.status_code == 200
    assert "<form" not in old.content.decode().split('id="main"')[1].split("</main>")[0]


def test_a_teamlid_cannot_start_a_new_year(world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        school_year_start_next(
            actor=world.users["teamlid_noord"],
            school=world.noord,
            from_year=current_school_year(world.organisation),
        )


# -- the operator's command ---------------------------------------------------------------------


def test_the_command_creates_an_organisation_and_invites_its_beheerder(
    db, django_capture_on_commit_callbacks
):
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "create_organisation",
            "--name",
            "Stichting Voorbeeld",
            "--region",
            "NL",
            "--kind",
            "bestuur",
            "--admin",
            "Beheer@Voorbeeld.nl",
            "--url",
            "https://teamwerk.example",
            stdout=out,
        )
    organisation = Organisation.objects.get(name="Stichting Voorbeeld")
    assert (organisation.region, organisation.kind, organisation.hours_per_fte) == (
        "NL",
        "bestuur",
        1659,
    )
    invitation = Invitation.objects.get(organisation=organisation)
    assert (invitation.email, invitation.role, invitation.school) == (
        "beheer@voorbeeld.nl",
        "beheerder",
        None,
    )
    (message,) = mail.outbox
    assert "om mee te werken in Teamwerk voor Stichting Voorbeeld" in message.body
    assert f"https://teamwerk.example/uitnodiging/{invitation.token}/" in message.body
    assert "Stichting Voorbeeld" in out.getvalue()


def test_the_command_refuses_a_wrong_address_and_makes_nothing(db):
    with pytest.raises(CommandError):
        call_command(
            "create_organisation", "--name", "X", "--region", "NL", "--admin", "geen-adres"
        )
    assert not Organisation.objects.filter(name="X").exists()
