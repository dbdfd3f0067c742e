"""Who reads a person's ratings (expertise, motivation, development wish), and what a page
that shows them sends along: one rule, ``no-store`` set by the code that reads them, and an
audit trail of who looked at and who changed someone's ratings.

Every test goes through real requests, as the demo users of the Scholengroep."""

from __future__ import annotations

import re
from urllib.parse import urldefrag, urlparse

import pytest
from django.urls import reverse

from teamwerk.accounts.models import AuditEvent, User
from teamwerk.team.models import Assignment, Competence, Person
from teamwerk.team.selectors import may_assess
from teamwerk.tenancy.models import Membership

pytestmark = pytest.mark.django_db

RATING = "data-rating"


def no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "") and "private" in response.get(
        "Cache-Control", ""
    )


def noord_only(world) -> Person:
    """Sofie Maes works only at Campus Noord."""
    return Person.objects.get(organisation=world.organisation, first_name="Sofie", last_name="Maes")


def noord_task(world):
    return (
        Assignment.objects.filter(school=world.noord, role="owner")
        .order_by("planned_task__task__code")
        .first()
        .planned_task
    )


@pytest.fixture
def noord_run(world, django_capture_on_commit_callbacks):
    """A worked-out proposal of the distribution assistant for Campus Noord."""
    from teamwerk.allocation import services
    from teamwerk.allocation.problem import ProposalOptions

    with django_capture_on_commit_callbacks(execute=True):
        run = services.proposal_start(
            actor=world.users["ict_noord"],
            organisation=world.organisation,
            school=world.noord,
            options=ProposalOptions(),
        )
    run.refresh_from_db()
    return run


@pytest.fixture
def ict_zuid(world):
    """The ICT coordinator of the sister school (not one of the walked demo users)."""
    user = User.objects.create_user("ict.zuid@scholengroep-demo.be", "x")
    Membership.objects.create(
        user=user, organisation=world.organisation, school=world.zuid, role="ict"
    )
    return user


# ------------------------------------------------------------------ finding 5: no 500


def test_ratings_page_opens_when_nobody_is_named_as_who_filled_it_in(world, client_for):
    """Finding 5: ratings without a "set by" user (imported, or the user was removed) made
    the ratings page answer 500 for 11 of the demo's people."""
    unnamed = sorted(
        set(
            Competence.objects.filter(
                organisation=world.organisation,
                set_by__isnull=True,
                set_by_self=False,
                task__isnull=True,
            ).values_list("person_id", flat=True)
        )
    )
    assert len(unnamed) >= 5
    client = client_for("directeur")
    for pk in unnamed:
        response = client.get(reverse("team_competences", args=[pk]))
        assert response.status_code == 200, pk
        assert "ingevuld door de school" in response.content.decode()


# ---------------------------------------------------------- finding 6: no-store follows data


def test_matrix_task_page_and_cell_editor_are_not_stored_when_they_show_ratings(world, client_for):
    """Finding 6: these pages showed ratings without Cache-Control: no-store."""
    client = client_for("ict_noord")
    task = noord_task(world)
    person = noord_only(world)
    for url in (
        reverse("team_matrix"),
        reverse("team_matrix") + "?iedereen=1",
        reverse("team_task", args=[task.pk]),
        reverse("team_matrix_cell", args=[task.pk, person.pk]),
        reverse("team_competences", args=[person.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert RATING in response.content.decode(), url
        assert no_store(response), url
        assert response["Pragma"] == "no-cache"


def test_a_page_without_ratings_is_not_forced_out_of_the_cache(client_for):
    response = client_for("ict_noord").get(reverse("team_agreements"))
    assert response.status_code == 200
    assert RATING not in response.content.decode()
    assert "no-store" not in response.get("Cache-Control", "")


SKIP = ("/accounts/logout", "/static/", "/media/", "/admin/")
DOWNLOAD = (".xlsx", ".pdf", ".docx", ".zip", "/excel/", "/pdf/", "/docx/", "/zip/")


def html(response) -> str:
    if "text/html" not in response.get("Content-Type", ""):
        return ""
    return response.content.decode()


def crawl(client, *, limit: int = 400) -> dict[str, object]:
    """GET every page reachable by links from the home page (same site, bounded)."""
    seen: dict[str, object] = {}
    queue = ["/"]
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen:
            continue
        response = client.get(url)
        seen[url] = response
        if response.status_code != 200:
            continue
        for href in re.findall(r'href="([^"]+)"', html(response)):
            href = urldefrag(href.replace("&amp;", "&"))[0]
            parts = urlparse(href)
            if parts.scheme or parts.netloc or not href.startswith("/"):
                continue
            if href.startswith(SKIP) or any(part in href for part in DOWNLOAD):
                continue
            if href not in seen and href not in queue:
                queue.append(href)
    return seen


@pytest.mark.parametrize("key", ["directie_noord", "ict_noord"])
def test_crawl_every_page_with_a_rating_is_marked_no_store(world, client_for, noord_run, key):
    """Follow the links from the home page as directie and ICT coordinator: every page that
    shows a rating says no-store, and there are many such pages."""
    client = client_for(key)
    pages = crawl(client)
    with_ratings = {url for url, r in pages.items() if r.status_code == 200 and RATING in html(r)}
    not_marked = sorted(url for url in with_ratings if not no_store(pages[url]))
    assert not_marked == []
    # The set is not trivial: the matrix, task pages, people's ratings pages, the proposal.
    assert "/team/verdeling/" in with_ratings
    assert any(re.fullmatch(r"/team/taak/\d+/", u) for u in with_ratings)
    assert sum(1 for u in with_ratings if re.fullmatch(r"/team/mensen/\d+/kennis/", u)) >= 5
    assert reverse("allocation_run", args=[noord_run.pk]) in with_ratings
    errors = sorted(url for url, r in pages.items() if r.status_code >= 500)
    assert errors == []


# ------------------------------------------------------------- one rule, attack tests


def test_may_assess_and_the_ratings_queryset_agree_for_every_demo_user(world):
    """The rule is decided once: the page check and the queryset give the same answer."""
    people = list(Person.objects.all())
    with_ratings = set(Competence.objects.values_list("person_id", flat=True))
    for user in world.users.values():
        readable = set(Competence.objects.for_user(user).values_list("person_id", flat=True))
        for person in people:
            if person.pk in with_ratings:
                assert may_assess(user, person) == (person.pk in readable), (user, person)


def _rating_urls(world, run) -> list[tuple[str, str]]:
    task = noord_task(world)
    person = noord_only(world)
    return [
        ("get", reverse("team_competences", args=[person.pk])),
        ("post", reverse("team_competences", args=[person.pk])),
        ("get", reverse("team_task", args=[task.pk])),
        ("get", reverse("team_matrix_cell", args=[task.pk, person.pk])),
        ("get", reverse("allocation_run", args=[run.pk])),
        ("get", reverse("team_person", args=[person.pk])),
    ]


@pytest.mark.parametrize("key", ["teamlid_noord", "lezer_noord", "directie_zuid", "ict_zuid"])
def test_outsiders_and_read_only_roles_get_no_rating_of_noord(world, client, noord_run, key):
    """As a teamlid, a reader, the sister school's directie and ICT coordinator: every
    rating-bearing URL with a Noord person answers 403/404 or shows no rating."""
    user = (
        User.objects.create_user("ict.zuid@scholengroep-demo.be", "x")
        if key == "ict_zuid"
        else world.users[key]
    )
    if key == "ict_zuid":
        Membership.objects.create(
            user=user, organisation=world.organisation, school=world.zuid, role="ict"
        )
    client.force_login(user)
    before = list(Competence.objects.filter(person=noord_only(world)).values())
    for method, url in _rating_urls(world, noord_run):
        response = getattr(client, method)(url, {"d1_expertise": "0"} if method == "post" else {})
        assert response.status_code in (200, 403, 404), (url, response.status_code)
        if response.status_code == 200:
            assert RATING not in response.content.decode(), url
    # The matrix of their own school never shows ratings to a teamlid or reader.
    matrix = client.get(reverse("team_matrix"))
    if key in ("teamlid_noord", "lezer_noord"):
        assert RATING not in matrix.content.decode()
    assert list(Competence.objects.filter(person=noord_only(world)).values()) == before
    assert not AuditEvent.objects.filter(
        actor=user, kind="ratings.viewed", data__person=noord_only(world).pk
    ).exists()


def test_a_beheerder_of_another_organisation_gets_404_everywhere(world, client_for, noord_run):
    client = client_for("beheerder_stichting")
    for method, url in _rating_urls(world, noord_run):
        response = getattr(client, method)(url)
        assert response.status_code == 404, url


# ------------------------------------------------------------------------------ audit


def test_reading_someone_elses_ratings_is_audited_once_a_day(world, client_for):
    person = noord_only(world)
    client = client_for("ict_noord")
    for _ in range(3):
        assert client.get(reverse("team_competences", args=[person.pk])).status_code == 200
    client.get(reverse("team_matrix") + "?iedereen=1")
    events = AuditEvent.objects.filter(
        actor=world.users["ict_noord"], kind="ratings.viewed", data__person=person.pk
    )
    assert events.count() == 1
    event = events.get()
    assert event.organisation_id == world.organisation.pk
    assert event.target == person.full_name
    # The matrix showed the ratings of the others: each of them once, nobody twice.
    others = AuditEvent.objects.filter(actor=world.users["ict_noord"], kind="ratings.viewed")
    people = [e.data["person"] for e in others]
    assert len(people) == len(set(people)) > 3


def test_reading_your_own_ratings_is_not_audited_as_a_read(world, client_for):
    me = Person.objects.get(organisation=world.organisation, user=world.users["teamlid_noord"])
    client = client_for("teamlid_noord")
    assert client.get(reverse("team_competences", args=[me.pk])).status_code == 200
    assert not AuditEvent.objects.filter(kind="ratings.viewed").exists()


def _answers(client, person):
    """The ratings form as it is, with the first domain's expertise one step changed."""
    response = client.get(reverse("team_competences", args=[person.pk]))
    form = response.context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value not in (None, ""):
            data[name] = value
    first = next(n for n in form.fields if n.endswith("_expertise"))
    data[first] = "3" if str(data.get(first)) != "3" else "2"
    motivation = first.replace("_expertise", "_motivation")
    data.setdefault(motivation, "2")
    return data


@pytest.mark.parametrize("key", ["teamlid_noord", "ict_noord"])
def test_changing_ratings_is_audited_also_by_the_person_themself(world, client_for, key):
    tom = Person.objects.get(organisation=world.organisation, user=world.users["teamlid_noord"])
    client = client_for(key)
    data = _answers(client, tom)
    before = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    response = client.post(reverse("team_competences", args=[tom.pk]), data)
    assert response.status_code == 302
    event = AuditEvent.objects.get(kind="ratings.changed", pk__gt=before)
    assert event.actor == world.users[key]
    assert event.organisation_id == world.organisation.pk
    assert event.data["person"] == tom.pk
    assert event.data["by_self"] is (key == "teamlid_noord")
