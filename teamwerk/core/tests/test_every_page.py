"""Every detail page of every object of the demo opens for a role that may see it: no stored
value and no missing relation makes a page answer 500 (the ratings page did, for 11 people).

One signed-in client per organisation walks the pages of all objects of that organisation:
people, their ratings, tasks, assignments, agreements, plans, proposals, step-plan steps,
catalogue tasks, documents and vacancies."""

from __future__ import annotations

import pytest
from django.urls import NoReverseMatch, reverse

from teamwerk.allocation.models import ProposalRun
from teamwerk.catalogue.models import Task
from teamwerk.planning.models import PlannedTask, TaskPlan
from teamwerk.team.models import Agreement, Assignment, Person
from teamwerk.tenancy.models import School

pytestmark = pytest.mark.django_db

# The 500 page's own words, and what a debug page would show.
ERROR_TEXTS = ("Er ging bij ons iets mis", "Traceback", "Internal Server Error")


def _url(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:  # a module that is not there (yet) has no pages to check
        return None


def detail_urls(organisation, *, ratings: bool) -> list[str]:
    urls: list[str] = []
    schools = list(School.objects.filter(organisation=organisation))
    for person in Person.objects.filter(organisation=organisation):
        urls.append(reverse("team_person", args=[person.pk]))
        if ratings:
            urls.append(reverse("team_competences", args=[person.pk]))
    for planned in PlannedTask.objects.filter(organisation=organisation, school__isnull=False):
        urls.append(reverse("team_task", args=[planned.pk]))
    for assignment in Assignment.objects.filter(organisation=organisation, school__isnull=False):
        urls.append(reverse("team_assignment", args=[assignment.pk]))
    for agreement in Agreement.objects.filter(organisation=organisation):
        urls.append(reverse("team_agreement_edit", args=[agreement.pk]))
    for plan in TaskPlan.objects.filter(organisation=organisation):
        urls.append(reverse("plan_detail", args=[plan.pk]))
        urls.append(reverse("plan_history", args=[plan.pk]))
    for run in ProposalRun.objects.filter(organisation=organisation):
        urls.append(reverse("allocation_run", args=[run.pk]))
    for school in schools:
        urls.append(reverse("stappenplan_school", args=[school.pk]))
        for number in range(1, 9):
            urls.append(reverse("stappenplan_step", args=[school.pk, number]))
        for person in Person.objects.filter(availabilities__school=school).distinct():
            urls.append(_url("documents_job", school.pk, person.pk))
    for task in Task.objects.filter(organisation__isnull=True) | Task.objects.filter(
        organisation=organisation
    ):
        urls.append(reverse("catalogue_task", args=[task.pk]))
    try:
        from teamwerk.documents.models import Vacancy
    except ImportError:
        Vacancy = None
    if Vacancy is not None:
        for vacancy in Vacancy.objects.filter(organisation=organisation):
            urls.append(_url("documents_vacancy", vacancy.pk))
    from teamwerk.conversations.content import figure_codes
    from teamwerk.conversations.models import Conversation

    for conversation in Conversation.objects.filter(organisation=organisation):
        urls.append(_url("conversations_detail", conversation.pk))
        urls.append(_url("conversations_edit", conversation.pk))
    for code in figure_codes():
        urls.append(_url("conversations_figure", code))
    from teamwerk.evaluation.models import Round

    for evaluation_round in Round.objects.filter(organisation=organisation):
        urls.append(_url("evaluation_round", evaluation_round.pk))
        urls.append(_url("evaluation_results", evaluation_round.pk))
    return [u for u in dict.fromkeys(urls) if u]


def walk(client, urls: list[str]) -> list[tuple[str, int]]:
    broken = []
    for url in urls:
        response = client.get(url)
        body = response.content.decode() if response.status_code == 200 else ""
        if response.status_code != 200 or any(text in body for text in ERROR_TEXTS):
            broken.append((url, response.status_code))
    return broken


@pytest.fixture
def with_a_proposal(world, django_capture_on_commit_callbacks):
    from teamwerk.allocation import services
    from teamwerk.allocation.problem import ProposalOptions

    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_start(
            actor=world.users["ict_noord"],
            organisation=world.organisation,
            school=world.noord,
            options=ProposalOptions(),
        )


def test_every_detail_page_of_the_scholengroep_opens_for_the_group_directeur(
    world, client, with_a_proposal
):
    """The coordinating directeur may see every school of the Scholengroep, with ratings."""
    client.force_login(world.users["directeur"])
    client.raise_request_exception = False
    urls = detail_urls(world.organisation, ratings=True)
    assert len(urls) > 300
    assert (
        sum("/kennis/" in u for u in urls)
        == Person.objects.filter(organisation=world.organisation).count()
    )
    assert walk(client, urls) == []


def test_every_detail_page_of_the_stichting_opens_for_its_beheerder(world, client):
    """The other organisation's beheerder (no ratings: a beheerder does not read them)."""
    client.force_login(world.users["beheerder_stichting"])
    client.raise_request_exception = False
    urls = detail_urls(world.other_organisation, ratings=False)
    assert len(urls) > 20
    assert walk(client, urls) == []
