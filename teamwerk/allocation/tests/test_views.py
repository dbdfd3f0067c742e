"""The assistant's pages: who may do what, what the page says, and its query count."""

from __future__ import annotations

import pytest
from django.urls import reverse

from teamwerk.allocation.models import ProposalDecision, ProposalRun, RunStatus
from teamwerk.team.models import Assignment, AssignmentRole, Person


@pytest.fixture
def zuid_run(world, run_now):
    return run_now(actor=world.users["directie_zuid"], school=world.zuid)


@pytest.fixture
def noord_run(world, run_now):
    return run_now(actor=world.users["ict_noord"], school=world.noord)


def start_data(school, **extra):
    return {"school": school.pk, "continuity": "middel", "balance": "middel", **extra}


def test_starting_a_proposal_shows_its_progress_then_the_result(
    world, client_for, django_capture_on_commit_callbacks
):
    client = client_for("directie_zuid")
    page = client.get(reverse("allocation_start"))
    assert page.status_code == 200
    assert "Campus Zuid" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("allocation_start"), start_data(world.zuid))
    run = ProposalRun.objects.get(school=world.zuid)
    assert response.status_code == 302
    assert response["Location"] == reverse("allocation_run", args=[run.pk])
    assert run.status == RunStatus.QUEUED and run.requested_by == world.users["directie_zuid"]

    # Before the worker has it: a progress bar that asks again every second.
    waiting = client.get(response["Location"]).content.decode()
    assert 'hx-trigger="every 1s"' in waiting
    assert "wacht op zijn beurt" in waiting
    partial = client.get(reverse("allocation_progress", args=[run.pk]), HTTP_HX_REQUEST="true")
    assert partial.status_code == 200 and "<html" not in partial.content.decode()

    for callback in callbacks:  # the worker runs it
        callback()
    done = client.get(reverse("allocation_progress", args=[run.pk]), HTTP_HX_REQUEST="true")
    assert done.status_code == 204 and done["HX-Refresh"] == "true"
    html = client.get(response["Location"]).content.decode()
    assert "taken met een trekker (nu 13)" in html
    assert "Alles aanvaarden" in html
    assert "Beste match: kennis" in html
    assert "Wat open blijft" in html


def test_read_only_roles_see_a_proposal_but_cannot_start_or_accept(world, client_for, noord_run):
    client = client_for("teamlid_noord")
    html = client.get(reverse("allocation_run", args=[noord_run.pk])).content.decode()
    assert reverse("allocation_accept", args=[noord_run.pk]) not in html
    assert "Alles aanvaarden" not in html
    # Self-assessments of colleagues are not for a teamlid: no expertise numbers.
    assert "kennis 3" not in html and "Past het best van de" in html
    before = set(Assignment.objects.filter(school=world.noord).values_list("pk", "version"))
    for key in ("teamlid_noord", "lezer_noord"):
        client = client_for(key)
        assert client.post(reverse("allocation_start"), start_data(world.noord)).status_code == 403
        assert (
            client.post(reverse("allocation_accept", args=[noord_run.pk]), {"all": "1"}).status_code
            == 403
        )
    assert set(Assignment.objects.filter(school=world.noord).values_list("pk", "version")) == (
        before
    )


def test_outsiders_get_404_for_another_schools_runs(world, client_for, noord_run):
    for key in ("directie_zuid", "beheerder_stichting"):
        client = client_for(key)
        assert client.get(reverse("allocation_run", args=[noord_run.pk])).status_code == 404
        assert (
            client.post(reverse("allocation_accept", args=[noord_run.pk]), {"all": "1"})
        ).status_code == 404
        # Posting another school's id does not start a run there.
        assert client.post(reverse("allocation_start"), start_data(world.noord)).status_code == 404
        tom = Person.objects.get(email="teamlid.noord@scholengroep-demo.be")
        assert (
            client.post(
                reverse("allocation_whatif"), {"school": world.noord.pk, "person": tom.pk}
            ).status_code
            == 404
        )
    assert ProposalRun.objects.filter(school=world.noord).count() == 1


def test_a_what_if_is_only_for_who_plans_the_distribution(world, client_for, run_now):
    tom = Person.objects.get(email="teamlid.noord@scholengroep-demo.be")
    run = run_now(actor=world.users["ict_noord"], school=world.noord, person=tom)
    url = reverse("allocation_run", args=[run.pk])
    assert client_for("directie_noord").get(url).status_code == 200
    for key in ("teamlid_noord", "lezer_noord", "directie_zuid"):
        assert client_for(key).get(url).status_code == 404, key
    html = client_for("teamlid_noord").get(reverse("allocation_home")).content.decode()
    assert "Wat als Tom Peeters uitvalt?" not in html


def test_a_what_if_only_offers_people_of_the_school(world, client_for):
    client = client_for("directie_zuid")
    tom = Person.objects.get(email="teamlid.noord@scholengroep-demo.be")  # Campus Noord only
    response = client.post(
        reverse("allocation_whatif"), {"school": world.zuid.pk, "person": tom.pk}
    )
    assert response.status_code == 422
    assert "Kies iemand uit het team van deze school" in response.content.decode()
    assert not ProposalRun.objects.filter(school=world.zuid).exists()


def test_group_proposals_are_for_organisation_wide_roles(world, client_for):
    assert client_for("directeur").get(reverse("allocation_start") + "?groep=1").status_code == 200
    assert client_for("beheerder").get(reverse("allocation_start") + "?groep=1").status_code == 200
    for key in ("directie_noord", "ict_noord", "teamlid_noord"):
        response = client_for(key).post(
            reverse("allocation_start"), {"groep": "1", "continuity": "hoog", "balance": "laag"}
        )
        assert response.status_code == 404, key
    response = client_for("directeur").post(
        reverse("allocation_start"), {"groep": "1", "continuity": "hoog", "balance": "laag"}
    )
    run = ProposalRun.objects.get(school__isnull=True)
    assert response.status_code == 302 and run.options["continuity"] == "hoog"


def test_accept_one_then_all_from_the_page(world, client_for, zuid_run):
    client = client_for("directie_zuid")
    entry = next(
        t
        for t in zuid_run.result["tasks"]
        if t["changed"] and t["current"]["owner"] is None and t["proposed"]["owner"]
    )
    url = reverse("allocation_accept", args=[zuid_run.pk])
    response = client.post(url, {"task": entry["id"]}, follow=True)
    html = response.content.decode()
    assert "De verdeling van deze taak is aangepast" in html
    owner = Assignment.objects.get(planned_task_id=entry["id"], role=AssignmentRole.OWNER)
    assert owner.person_id == entry["proposed"]["owner"]
    assert owner.history.latest().history_user == world.users["directie_zuid"]

    response = client.post(url, {"all": "1"}, follow=True)
    assert "taken hebben een nieuwe trekker of back-up" in response.content.decode()
    accepted = ProposalDecision.objects.filter(run=zuid_run).count()
    assert accepted > 1
    # The history page of the team names the assistant as the reason.
    history = client.get(reverse("team_history")).content.decode()
    assert "verdelingsassistent" in history


def test_a_stale_proposal_says_so_and_offers_a_new_one(world, client_for, zuid_run):
    from teamwerk.planning.models import PlannedTask
    from teamwerk.team import services as team_services

    entry = next(t for t in zuid_run.result["tasks"] if t["changed"] and t["proposed"]["owner"])
    someone = (
        Person.objects.filter(availabilities__school=world.zuid, pedagogically_qualified=True)
        .exclude(pk__in=[entry["current"]["owner"] or 0, entry["proposed"]["owner"]])
        .first()
    )
    team_services.assignment_set_owner(
        actor=world.users["directie_zuid"],
        planned_task=PlannedTask.objects.get(pk=entry["id"]),
        person=someone,
    )
    client = client_for("directie_zuid")
    page = client.get(reverse("allocation_run", args=[zuid_run.pk])).content.decode()
    assert "intussen veranderd" in page and "Maak een nieuw voorstel" in page
    response = client.post(
        reverse("allocation_accept", args=[zuid_run.pk]), {"task": entry["id"]}, follow=True
    )
    html = response.content.decode()
    assert "veranderd sinds dit voorstel gemaakt is" in html
    assert entry["code"] in html
    assert not ProposalDecision.objects.filter(run=zuid_run).exists()


def test_the_proposal_page_does_a_fixed_number_of_queries(
    world, client_for, zuid_run, noord_run, django_assert_max_num_queries
):
    # Zuid: 26 tasks and 7 people; Noord: 50 tasks and 9 people (shown in full).
    for run, key in ((zuid_run, "directie_zuid"), (noord_run, "ict_noord")):
        client = client_for(key)
        url = reverse("allocation_run", args=[run.pk]) + "?alles=1"
        # 12 for the page, 1 to find runs whose worker died, 1 to note the daily read of ratings,
        # 2 for everyone's recorded hours now (assignments, availability: as the dashboard).
        with django_assert_max_num_queries(16):
            assert client.get(url).status_code == 200


def test_the_page_speaks_english_too(world, client_for, zuid_run):
    client = client_for("directie_zuid")
    client.cookies["django_language"] = "en"
    html = client.get(reverse("allocation_run", args=[zuid_run.pk])).content.decode()
    assert "Accept all" in html
    assert "Best match: knowledge" in html


def test_the_home_page_lists_runs_and_offers_the_group(world, client_for, zuid_run):
    html = client_for("directeur").get(reverse("allocation_home")).content.decode()
    assert "Stel een verdeling voor de groep voor" in html
    html = client_for("directie_zuid").get(reverse("allocation_home")).content.decode()
    assert reverse("allocation_run", args=[zuid_run.pk]) in html
    assert "de groep voor" not in html
