"""The pages as people use them: who sees what, editing the matrix, conflicts, history."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from teamwerk.team import selectors, services
from teamwerk.team.models import Agreement, AgreementKind, Assignment, Competence

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


# ------------------------------------------------------------------ expertise, privacy


def test_a_teamlid_fills_in_their_own_expertise_on_one_page(world, people, client_for):
    client = client_for("teamlid_noord")
    response = client.get(reverse("team_my_competences"))
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    assert "Wat kan ik, en wat doe ik graag?" in page.content.decode()

    form = page.context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    domain = form.domains[0]
    data[f"d{domain.pk}_expertise"] = "3"
    data[f"d{domain.pk}_motivation"] = "0"
    data[f"d{domain.pk}_wish"] = "Meer over privacy leren"
    saved = client.post(reverse("team_competences", args=[people["Tom"].pk]), data)
    assert saved.status_code == 302
    answer = Competence.objects.get(person=people["Tom"], domain=domain, task=None)
    assert (answer.expertise, answer.motivation, answer.development_wish) == (
        3,
        0,
        "Meer over privacy leren",
    )
    assert answer.set_by_self


def test_half_an_answer_is_refused_with_a_clear_message(world, people, client_for):
    client = client_for("teamlid_noord")
    url = reverse("team_competences", args=[people["Tom"].pk])
    form = client.get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    domain = form.domains[1]
    data[f"d{domain.pk}_expertise"] = "2"
    data[f"d{domain.pk}_motivation"] = ""
    response = client.post(url, data)
    assert response.status_code == 200
    assert f"Kies bij {domain.name} zowel kennis als motivatie." in response.content.decode()


def test_a_teamlid_sees_only_their_own_expertise_and_motivation(world, people, client_for):
    client = client_for("teamlid_noord")
    for name in ("Sofie", "Ilse", "Wim", "Nadia"):
        response = client.get(reverse("team_competences", args=[people[name].pk]))
        assert response.status_code == 404, name
    # Nor through the matrix, the task page or the people list.
    matrix = client.get(reverse("team_matrix")).content.decode()
    assert "kennis · motivatie" not in matrix
    task = Assignment.objects.filter(school=world.noord).first().planned_task
    assert (
        "Wie kan en wil dit?"
        not in client.get(reverse("team_task", args=[task.pk])).content.decode()
    )
    people_page = client.get(reverse("team_people")).content.decode()
    assert reverse("team_competences", args=[people["Sofie"].pk]) not in people_page


def test_directie_and_ict_see_and_correct_anyone_of_their_school(world, people, client_for):
    sofie = people["Sofie"]
    for key in ("ict_noord", "directie_noord", "directeur"):
        response = client_for(key).get(reverse("team_competences", args=[sofie.pk]))
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        assert "Kennis en motivatie van Sofie Maes" in response.content.decode()
    for key in ("beheerder", "lezer_noord", "directie_zuid", "beheerder_stichting"):
        assert client_for(key).get(reverse("team_competences", args=[sofie.pk])).status_code == 404


def test_the_page_says_who_filled_in_an_answer(world, people, client_for):
    page = client_for("ict_noord").get(reverse("team_competences", args=[people["Sofie"].pk]))
    assert "ingevuld door Ilse Verbeke (directie of ICT-coördinator)" in page.content.decode()
    own = client_for("teamlid_noord").get(reverse("team_competences", args=[people["Tom"].pk]))
    assert "ingevuld door jezelf" in own.content.decode()


def test_someone_without_a_place_in_the_team_gets_a_friendly_explanation(client_for):
    response = client_for("lezer_noord").get(reverse("team_my_competences"))
    assert response.status_code == 200
    assert "Je account is nog niet gekoppeld aan een persoon van het team." in (
        response.content.decode()
    )


# ------------------------------------------------------------------------------ matrix


def _token(response) -> str:
    return re.search(r'name="token" value="([^"]*)"', response.content.decode()).group(1)


def _cell(client, planned_task, person, **data):
    url = reverse("team_matrix_cell", args=[planned_task.pk, person.pk])
    return client.post(url, data, **HTMX)


def test_a_teamlid_cannot_edit_the_distribution(world, people, open_task, client_for):
    client = client_for("teamlid_noord")
    matrix = client.get(reverse("team_matrix")).content.decode()
    assert "data-cell-url" not in matrix  # no clickable cells
    assert "alleen directie en ICT-coördinator passen ze aan" in matrix
    assert _cell(client, open_task, people["Tom"], role="owner").status_code == 403
    owner_url = reverse("team_task_owner", args=[open_task.pk])
    assert client.post(owner_url, {"owner-person": people["Tom"].pk}).status_code == 403
    assert not Assignment.objects.filter(planned_task=open_task).exists()


def test_the_ict_coordinator_edits_a_cell_with_htmx(world, people, open_task, client_for):
    client = client_for("ict_noord")
    matrix = client.get(reverse("team_matrix")).content.decode()
    assert f'<tr id="t-{open_task.pk}"' in matrix and "geen trekker" in matrix

    editor = client.get(
        reverse("team_matrix_cell", args=[open_task.pk, people["Sofie"].pk]), **HTMX
    )
    assert editor.status_code == 200
    token = _token(editor)
    response = _cell(client, open_task, people["Sofie"], role="owner", token=token, columns="")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Bewaard." in body
    # The task's row comes back out of band, now with Sofie as trekker and no "no trekker".
    row = re.search(rf'<tr id="t-{open_task.pk}".*?</tr>', body, re.S).group(0)
    assert 'hx-swap-oob="outerHTML"' in row
    assert "geen trekker" not in row and "geen back-up" in row
    assert f'id="ph-h-{people["Sofie"].pk}"' in body
    assert Assignment.objects.get(planned_task=open_task, role="owner").person == people["Sofie"]


def test_a_second_click_on_a_changed_task_gets_a_clear_message_and_changes_nothing(
    world, people, open_task, client_for
):
    ict = client_for("ict_noord")
    token = _token(
        ict.get(reverse("team_matrix_cell", args=[open_task.pk, people["Sofie"].pk]), **HTMX)
    )
    services.assignment_set_owner(
        actor=world.users["directie_noord"], planned_task=open_task, person=people["Lien"]
    )
    response = _cell(ict, open_task, people["Sofie"], role="owner", token=token)
    assert response.status_code == 422
    body = response.content.decode()
    assert "Iemand anders heeft de verdeling van deze taak intussen gewijzigd" in body
    assert "Jij wilde Sofie Maes trekker maken." in body
    assert "trekker is Lien Jacobs" in body
    assert Assignment.objects.get(planned_task=open_task, role="owner").person == people["Lien"]


def test_the_qualification_rule_answers_422_with_the_reason(
    world, people, pedagogical_task, client_for
):
    client = client_for("ict_noord")
    token = selectors.distribution_token(selectors.task_assignments(pedagogical_task))
    response = _cell(client, pedagogical_task, people["Wim"], role="backup", token=token)
    assert response.status_code == 422
    assert "pedagogische bekwaamheid" in response.content.decode()


def test_problems_only_filter_and_everyone_toggle(world, year, open_task, client_for):
    client = client_for("ict_noord")
    problems = client.get(reverse("team_matrix") + "?problemen=1").content.decode()
    assert f'<tr id="t-{open_task.pk}"' in problems
    complete = Assignment.objects.filter(school=world.noord, role="owner").exclude(
        planned_task=open_task
    )
    full_task = next(
        a.planned_task
        for a in complete
        if Assignment.objects.filter(planned_task=a.planned_task, role="backup").exists()
    )
    assert f'<tr id="t-{full_task.pk}"' not in problems
    everyone = client.get(reverse("team_matrix") + "?iedereen=1").context["data"].people
    ict_only = client.get(reverse("team_matrix")).context["data"].people
    assert len(everyone) > len(ict_only) >= 6


# ------------------------------------------------------------------------ task, person


def test_task_page_sets_trekker_with_mandate_and_adds_a_back_up(
    world, people, open_task, client_for
):
    client = client_for("directie_noord")
    page = client.get(reverse("team_task", args=[open_task.pk]))
    assert "Deze taak heeft nog geen trekker." in page.content.decode()
    response = client.post(
        reverse("team_task_owner", args=[open_task.pk]),
        {
            "owner-person": people["Lien"].pk,
            "owner-hours": "12.5",
            "owner-mandate": "budget",
            "owner-mandate_budget": "800",
            "owner-mandate_note": "grote aankopen eerst met de directie",
            "owner-version": "0",
        },
    )
    assert response.status_code == 302
    client.post(
        reverse("team_task_backup", args=[open_task.pk]),
        {"backup-person": people["Sofie"].pk, "backup-hours": "2"},
    )
    page = client.get(reverse("team_task", args=[open_task.pk])).content.decode()
    assert "Lien Jacobs" in page and "Beslist binnen een budget" in page and "800" in page
    assert "Sofie Maes" in page
    assert "Deze taak heeft nog geen trekker." not in page


def test_editing_an_assignment_that_changed_meanwhile_loses_nothing(
    world, people, open_task, client_for
):
    assignment = services.assignment_set_owner(
        actor=world.users["ict_noord"], planned_task=open_task, person=people["Sofie"], hours=10
    )
    url = reverse("team_assignment", args=[assignment.pk])
    mine = {
        "hours": "25",
        "mandate": "decides",
        "mandate_note": "mijn toelichting",
        "starts_on": assignment.starts_on.isoformat(),
        "version": str(assignment.version),
    }
    services.assignment_update(
        actor=world.users["directie_noord"],
        assignment=assignment,
        hours=14,
        mandate="advises",
        starts_on=assignment.starts_on,
        expected_version=assignment.version,
    )
    client = client_for("ict_noord")
    response = client.post(url, mine)
    assert response.status_code == 409
    body = response.content.decode()
    assert "Iemand anders heeft dit intussen gewijzigd" in body
    assert "Adviseert" in body and "14" in body  # what is stored now
    assert 'value="25"' in body and "mijn toelichting" in body  # what I typed, still there
    assignment.refresh_from_db()
    assert assignment.hours == 14
    # Saving again puts my version over the new one, on purpose.
    again = client.post(url, {**mine, "version": response.context["form"]["version"].value()})
    assert again.status_code == 302
    assignment.refresh_from_db()
    assert (assignment.hours, assignment.mandate_note) == (25, "mijn toelichting")


def test_my_tasks_shows_hours_mandates_and_back_ups(world, people, client_for):
    client = client_for("teamlid_noord")
    response = client.get(reverse("team_my_tasks"), follow=True)
    body = response.content.decode()
    assert "Mijn taken" in body
    overview = response.context["overview"]
    assert overview.owned and overview.backing
    assert "mandaat" in body and "back-up" in body
    from teamwerk.core.figures import plain_number

    available = plain_number(overview.hours_available)
    assert f'data-figure="person_hours_available" data-value="{available}"' in body


def test_people_list_and_adding_a_person(world, client_for, year):
    client = client_for("ict_noord")
    assert "Ilse Verbeke" in client.get(reverse("team_people")).content.decode()
    response = client.post(
        reverse("team_person_create"),
        {
            "first_name": "Nieuwe",
            "last_name": "Collega",
            "email": "nieuwe.collega@scholengroep-demo.be",
            "hours_available": "20",
            "pedagogically_qualified": "on",
            "active": "on",
        },
    )
    assert response.status_code == 302
    duplicate = client.post(
        reverse("team_person_create"),
        {
            "first_name": "Nog",
            "last_name": "Eens",
            "email": "NIEUWE.collega@scholengroep-demo.be ",
            "hours_available": "0",
            "active": "on",
        },
    )
    assert duplicate.status_code == 200
    assert "Nieuwe Collega staat al in de teamlijst" in duplicate.content.decode()


# --------------------------------------------------------------------------- dashboard


def test_the_half_done_school_shows_real_warnings(world, client_for):
    response = client_for("directie_zuid").get(reverse("team_dashboard"))
    figures = response.context["figures"]
    assert figures.no_owner and figures.over_hours and figures.single_knowledge_count
    assert figures.no_expertise
    body = response.content.decode()
    assert 'role="group"' in body and '<title id="chart-coverage-title">' in body
    assert f"{figures.with_owner} van {figures.task_count}" in body
    over = figures.over_hours[0]
    assert f"{over.person.full_name}" in body and "te veel" in body
    for kind in ("zonder-trekker", "boven-uren", "kennis-bij-een-persoon", "geen-expertise"):
        assert reverse("team_dashboard_list", args=[kind]) in body
    listing = client_for("directie_zuid").get(reverse("team_dashboard_list", args=["boven-uren"]))
    assert over.person.full_name in listing.content.decode()


def test_the_complete_school_has_no_gaps(world, client_for):
    figures = client_for("ict_noord").get(reverse("team_dashboard")).context["figures"]
    assert figures.task_count and not figures.no_owner and not figures.over_hours


def test_organisation_dashboard_shows_every_school(world, client_for):
    response = client_for("directeur").get(reverse("team_organisation"))
    body = response.content.decode()
    for name in ("Campus Noord", "Campus Zuid", "Basisschool De Linde"):
        assert name in body
    assert "Het Baken" not in body
    assert client_for("ict_noord").get(reverse("team_organisation")).status_code == 404


def test_dashboard_list_of_an_unknown_kind_is_404(client_for):
    assert client_for("ict_noord").get("/team/overzicht/onzin/").status_code == 404


# ----------------------------------------------------------------------------- history


def test_the_history_page_shows_the_distribution_as_it_was(world, year, client_for):
    client = client_for("ict_noord")
    then = timezone.localdate() - dt.timedelta(days=20)
    response = client.get(reverse("team_history"), {"datum": then.isoformat()})
    assert response.status_code == 200
    past = response.context["past"]
    changed = [p for p in past if p.changed]
    assert len(changed) >= 1  # the demo swapped trekkers ten days ago
    swap = changed[0]
    assert swap.owner_then and swap.owner_now and swap.owner_then != swap.owner_now
    assert "wissel na het teamoverleg" in response.content.decode()
    before_anything = client.get(
        reverse("team_history"),
        {"datum": (timezone.localdate() - dt.timedelta(days=60)).isoformat()},
    )
    assert all(p.owner_then == "" for p in before_anything.context["past"])


def test_history_lists_who_changed_what(world, people, open_task, client_for):
    assignment = services.assignment_set_owner(
        actor=world.users["ict_noord"], planned_task=open_task, person=people["Sofie"], hours=5
    )
    services.assignment_update(
        actor=world.users["directie_noord"],
        assignment=assignment,
        hours=7,
        mandate="executes",
        starts_on=assignment.starts_on,
    )
    changes = client_for("ict_noord").get(reverse("team_history")).context["changes"]
    assert changes[0].who == "Nadia Noorden"
    assert "uren: 5 → 7" in changes[0].details
    assert changes[1].kind == "+" and changes[1].person == "Sofie Maes"


# -------------------------------------------------------------------------- agreements


def test_agreements_page_shows_the_five_kinds_and_edits_with_a_version(world, client_for):
    client = client_for("ict_noord")
    body = client.get(reverse("team_agreements")).content.decode()
    for label in ("Kennisdeling", "Back-up", "Documentatie", "Organisatie", "Werkwijze"):
        assert label in body
    agreement = Agreement.objects.filter(
        school=world.noord, kind=AgreementKind.DOCUMENTATION
    ).first()
    assert agreement.documentation_location in body
    url = reverse("team_agreement_edit", args=[agreement.pk])
    form = client.get(url).context["form"]
    assert "documentation_location" in form.fields and "meeting_rhythm" not in form.fields
    data = {
        "kind": agreement.kind,
        "text": "Nieuwe tekst",
        "documentation_location": "SharePoint",
        "agreed_on": agreement.agreed_on.isoformat(),
        "version": str(agreement.version),
    }
    assert client.post(url, data).status_code == 302
    stale = client.post(url, {**data, "text": "Oude versie"})
    assert stale.status_code == 409
    assert "Nieuwe tekst" in stale.content.decode()
    agreement.refresh_from_db()
    assert agreement.text == "Nieuwe tekst"


def test_a_new_agreement_of_a_kind(world, people, client_for):
    client = client_for("directie_noord")
    page = client.get(reverse("team_agreement_create") + "?soort=organisation")
    assert "meeting_rhythm" in page.context["form"].fields
    response = client.post(
        reverse("team_agreement_create") + "?soort=organisation",
        {
            "kind": "organisation",
            "text": "Elke maand overleg.",
            "meeting_rhythm": "maandelijks",
            "channel": "Teams",
            "agreed_on": "2026-09-10",
            "review_on": "2027-01-31",
            "responsible": people["Ilse"].pk,
        },
    )
    assert response.status_code == 302
    assert Agreement.objects.filter(text="Elke maand overleg.", channel="Teams").exists()


def test_a_new_school_year_starts_with_last_year_s_team(world, year, people, client_for):
    from teamwerk.team.models import Availability
    from teamwerk.tenancy.services import school_year_ensure

    next_year = school_year_ensure(organisation=world.organisation, start_year=year.start_year + 1)
    assert selectors.previous_year_team(world.noord, next_year)[0] == year
    count = services.availabilities_copy_from_year(
        actor=world.users["directie_noord"], school=world.noord, from_year=year, to_year=next_year
    )
    assert count == Availability.objects.filter(school=world.noord, school_year=year).count()
    sofie_then = Availability.objects.get(
        person=people["Sofie"], school=world.noord, school_year=year
    )
    sofie_now = Availability.objects.get(
        person=people["Sofie"], school=world.noord, school_year=next_year
    )
    assert sofie_now.hours_available == sofie_then.hours_available
    assert selectors.previous_year_team(world.noord, next_year) is None


def test_who_is_the_only_expert_is_shown_only_to_directie_and_ict(world, client_for):
    url = reverse("team_dashboard_list", args=["kennis-bij-een-persoon"])
    leader = client_for("directie_zuid").get(url).content.decode()
    assert "alleen Wim Claes kan dit zelfstandig" in leader
    # The same school seen by an organisation-wide beheerder (no self-assessments): no names.
    beheerder = client_for("beheerder")
    beheerder.post(reverse("switch_school"), {"school": world.zuid.pk, "next": "/"})
    page = beheerder.get(url).content.decode()
    assert "Daarom zien alleen de directie en de ICT-coördinator" in page
    assert "Wim Claes" not in page
    for kind in ("zonder-trekker", "uren", "aanwerven-uitbesteden", "geen-expertise"):
        assert beheerder.get(reverse("team_dashboard_list", args=[kind])).status_code == 200
