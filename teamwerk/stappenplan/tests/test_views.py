"""The pages: "Waar staan we?", the step page, answering, the group overview and the PDF."""

from __future__ import annotations

import html
import re
import zlib

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from teamwerk.accounts.models import User
from teamwerk.stappenplan import pdf, selectors, services
from teamwerk.stappenplan.models import Answer
from teamwerk.stappenplan.route import default_route, evaluate_journey
from teamwerk.stappenplan.tests.test_route import EXPECTED
from teamwerk.tenancy import services as tenancy_services
from teamwerk.tenancy.models import School

pytestmark = pytest.mark.django_db
ROUTE = default_route()
HTMX = {"HTTP_HX_REQUEST": "true"}


def advice_shown(content: bytes) -> dict[str, str]:
    """role -> advice text of the "advice for now" card of a route page."""
    page = content.decode()
    start = page.index('id="advice"')
    card = page[start : page.index("</section>", start)]
    found = re.findall(
        r'data-advice-role="(\w+)">\s*<div class="tw-advice-role">[^<]*</div>\s*'
        r'<p class="mb-0">(.*?)</p>',
        card,
        re.S,
    )
    return {role: html.unescape(text) for role, text in found}


def page_text(content: bytes) -> str:
    return html.unescape(content.decode())


def route_url(school) -> str:
    return reverse("stappenplan_school", kwargs={"school_id": school.pk})


def answer_url(school) -> str:
    return reverse("stappenplan_answer", kwargs={"school_id": school.pk})


def seen(check_code: str, *, school=None, organisation=None) -> int:
    """The version an answer form carries: the id of the answer the page shows (0 = none)."""
    journey = (
        services.journey_ensure(school=school)
        if school is not None
        else services.journey_ensure(organisation=organisation)
    )
    latest = services.current_answer(journey, check_code)
    return latest.pk if latest else 0


@pytest.fixture
def fresh_school(world):
    """A new school of the demo group where the Noord directie, ICT and teamlid also work."""
    school = tenancy_services.school_create(organisation=world.organisation, name="Testschool")
    for key, role in (("directie_noord", "directie"), ("ict_noord", "ict"),
                      ("teamlid_noord", "teamlid")):  # fmt: skip
        tenancy_services.membership_grant(
            actor=None, user=world.users[key], organisation=world.organisation, school=school,
            role=role,
        )  # fmt: skip
        world.users[key]._tenancy_memberships = None  # the role cache of the user object
    return school


# --- the advice each role sees --------------------------------------------------------------


def _passing(code: str, target: str) -> bool:
    """The answer that passes ``code`` on the way to ``target``."""
    if code == "S6.expertise":
        return target != "S6.sourcing"  # "no" leads to the sourcing question, "yes" past it
    # S8.evaluated "yes" passes; the later step-8 checks send the school back on "yes".
    return code == "S8.evaluated" or not code.startswith("S8.")


def answers_up_to(target: str) -> dict[str, bool]:
    answers = {}
    for check in ROUTE.checks:
        if check.code == target:
            break
        answers[check.code] = _passing(check.code, target)
    assert evaluate_journey(ROUTE, answers).open_check.code == target
    return answers


CASES = [(code, value) for code in EXPECTED for value in (True, False)]


@pytest.mark.parametrize(("code", "value"), CASES, ids=[f"{c}-{v}" for c, v in CASES])
def test_every_branch_shows_the_next_step_and_each_roles_advice(
    code, value, world, client, fresh_school
):
    journey = services.journey_ensure(school=fresh_school)
    directie = world.users["directie_noord"]
    for earlier, answer in answers_up_to(code).items():
        services.answer_record(actor=directie, journey=journey, check_code=earlier, value=answer)

    client.force_login(directie)
    response = client.post(
        answer_url(fresh_school),
        {"check_code": code, "value": "yes" if value else "no", "return_to": "route"},
        **HTMX,
    )
    assert response.status_code == 200
    step, state = EXPECTED[code][value]
    position = evaluate_journey(ROUTE, {**answers_up_to(code), code: value})
    text = page_text(response.content)
    assert f"Stap {step} · {ROUTE.step(step).title.nl}" in text
    assert f'data-state="{state}"' in text
    assert advice_shown(response.content) == {"directie": position.advice_for("directie", "nl")}

    client.force_login(world.users["ict_noord"])
    ict_page = client.get(route_url(fresh_school))
    assert advice_shown(ict_page.content) == {"ict": position.advice_for("ict", "nl")}

    client.force_login(world.users["teamlid_noord"])
    teamlid_page = client.get(route_url(fresh_school))
    expected = {
        role: position.advice_for(role, "nl")
        for role in ("teamlid", "directie", "ict")
        if position.advice_for(role, "nl")
    }
    assert advice_shown(teamlid_page.content) == expected


@pytest.mark.parametrize(
    ("user_key", "roles"),
    [
        ("directie_noord", ["directie"]),
        ("beheerder", ["directie"]),  # beheerder sees the directie advice
        ("ict_noord", ["ict"]),
        ("teamlid_noord", ["teamlid", "directie", "ict"]),
        ("lezer_noord", ["teamlid", "directie", "ict"]),
    ],
)
def test_the_advice_follows_the_role(user_key, roles, world, client_for):
    state = selectors.position_for(services.journey_ensure(school=world.noord))
    response = client_for(user_key).get(route_url(world.noord))
    shown = advice_shown(response.content)
    assert list(shown) == roles
    for role in roles:
        assert shown[role] == state.position.advice_for(role, "nl")


def test_the_advice_is_in_english_when_the_user_chose_english(world, client_for):
    client = client_for("directie_zuid")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("stappenplan"))
    state = selectors.position_for(services.journey_ensure(school=world.zuid))
    assert advice_shown(response.content) == {
        "directie": state.position.advice_for("directie", "en")
    }
    text = page_text(response.content)
    assert ROUTE.check("S7.mandates").question.en in text
    assert ROUTE.step(7).title.en in text


def test_readers_see_the_route_without_answer_buttons(client_for, world):
    step_url = reverse("stappenplan_step", kwargs={"school_id": world.zuid.pk, "number": 7})
    for key in ("teamlid_noord", "lezer_noord"):
        client = client_for(key)
        route_page = page_text(client.get(route_url(world.noord)).content)
        assert "Je kunt het stappenplan lezen." in route_page
        assert "data-answer-form" not in route_page
        step_page = page_text(
            client.get(step_url.replace(str(world.zuid.pk), str(world.noord.pk), 1)).content
        )
        assert ROUTE.check("S7.team").question.nl in step_page
        assert "data-answer-form" not in step_page
    editor_page = page_text(client_for("directie_zuid").get(step_url).content)
    assert editor_page.count("data-answer-form=") == len(ROUTE.step(7).checks)


# --- the page content -----------------------------------------------------------------------


def test_the_current_school_page_shows_phases_step_question_and_timeline(client_for, world):
    response = client_for("directie_zuid").get(reverse("stappenplan"))
    text = page_text(response.content)
    assert response.status_code == 200
    for phase in ROUTE.phases:
        assert phase.name.nl in text
    assert "Stap 7 · Naar een ICT-team" in text
    assert ROUTE.check("S7.mandates").question.nl in text
    assert 'data-answer-form="S7.mandates"' in text
    # The checklist with its progress, and the changed answer in the timeline.
    assert "4 van 9 in orde" in text
    assert "gewijzigd, was nee" in text
    assert "vervangen door een nieuwer antwoord" in text
    assert "Takenoverzicht afgewerkt met de werkgroep." in text
    # The module where the work of step 7 happens.
    assert f'href="{reverse("team_dashboard")}"' in text


def test_step_5_shows_the_guiding_questions_of_the_variant(client_for, world):
    journey = services.journey_ensure(school=world.zuid)
    services.answer_record(
        actor=world.users["directie_zuid"], journey=journey, check_code="S5.tailored", value=False
    )
    text = page_text(client_for("directie_zuid").get(route_url(world.zuid)).content)
    assert "Hulpvragen bij deze stap" in text
    for question in ROUTE.step(5).guidance_for("group"):  # Zuid pools means: group variant
        assert question.nl in text
    for question in ROUTE.step(5).guidance["school"]:
        assert question.nl not in text
    assert f'href="{reverse("plan_index")}"' in text


def test_a_step_page_lets_you_answer_an_earlier_check_and_marks_skipped_ones(client_for, world):
    client = client_for("directie_zuid")
    url = reverse("stappenplan_step", kwargs={"school_id": world.zuid.pk, "number": 6})
    text = page_text(client.get(url).content)
    assert 'data-answer-form="S6.expertise"' in text  # answered earlier, can be changed
    assert "Niet nodig: jullie eerdere antwoord sloeg deze vraag over." in text  # S6.sourcing

    response = client.post(
        answer_url(world.zuid),
        {
            "check_code": "S6.expertise",
            "value": "no",
            "return_to": "step",
            "version": seen("S6.expertise", school=world.zuid),
        },
        **HTMX,
    )
    assert response.status_code == 200
    text = page_text(response.content)
    assert 'id="step-body"' in text and "Je antwoord is bewaard." in text
    assert ROUTE.check("S6.expertise").no.advice.text("directie", "nl") in text
    state = selectors.position_for(services.journey_ensure(school=world.zuid))
    assert state.position.open_check.code == "S6.sourcing"  # the school went back to step 6


def test_unknown_step_is_404(client_for, world):
    url = reverse("stappenplan_step", kwargs={"school_id": world.noord.pk, "number": 9})
    assert client_for("ict_noord").get(url).status_code == 404


def test_a_user_with_only_group_rights_and_no_school_is_sent_to_the_group(world, client):
    user = User.objects.create_user("bestuur@scholengroep-demo.be", "a-long-password-1")
    school_less = tenancy_services.organisation_create(
        name="Lege groep", kind="scholengroep", region="BE-VL"
    )
    tenancy_services.membership_grant(
        actor=None, user=user, organisation=school_less, school=None, role="directie"
    )
    client.force_login(user)
    response = client.get(reverse("stappenplan"))
    assert response.status_code == 302 and response["Location"] == reverse("stappenplan_group")
    assert "nog geen scholen" in page_text(client.get(response["Location"]).content)


# --- answering --------------------------------------------------------------------------------


def test_answering_changes_the_advice_and_keeps_the_note(client_for, world):
    client = client_for("directie_zuid")
    before = advice_shown(client.get(reverse("stappenplan")).content)["directie"]
    response = client.post(
        answer_url(world.zuid),
        {"check_code": "S7.mandates", "value": "no", "note": "Mandaten bespreken op het MT."},
        **HTMX,
    )
    after = advice_shown(response.content)["directie"]
    # Open in the checklist, the advice is already about the open item (never about an item
    # that is answered); the "no" keeps it and blocks the route at that item.
    mandates = ROUTE.check("S7.mandates").no.advice.text("directie", "nl")
    assert before == mandates == after
    assert b'data-state="open"' not in response.content
    assert b'data-state="blocked"' in response.content
    answer = Answer.objects.filter(school=world.zuid).latest("answered_at")
    assert (answer.check_code, answer.value, answer.note) == (
        "S7.mandates", False, "Mandaten bespreken op het MT."
    )  # fmt: skip
    assert answer.answered_by == world.users["directie_zuid"]
    assert "Mandaten bespreken op het MT." in page_text(response.content)  # in the timeline


def test_answering_without_htmx_redirects_with_a_message(client_for, world):
    client = client_for("ict_noord")
    response = client.post(
        answer_url(world.noord),
        {"check_code": "S8.tasks", "value": "yes", "version": seen("S8.tasks", school=world.noord)},
    )
    assert response.status_code == 302 and response["Location"] == route_url(world.noord)
    page = client.get(response["Location"])
    assert "Je antwoord is bewaard." in page_text(page.content)
    assert "Herneem stap 5" in page_text(page.content)  # S8.tasks yes: back to step 5


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"check_code": "S7.mandates", "value": "misschien"}, "Kies ja of nee."),
        ({"check_code": "S7.mandates"}, "Kies ja of nee."),
        ({"check_code": "S9.bestaat_niet", "value": "yes"}, "Deze vraag bestaat niet"),
        (
            {"check_code": "S7.mandates", "value": "yes", "note": "x" * 2001},
            "De toelichting is te lang",
        ),
    ],
)
def test_bad_input_gets_a_clear_message_and_saves_nothing(data, message, client_for, world):
    before = Answer.objects.count()
    response = client_for("directie_zuid").post(
        answer_url(world.zuid), {**data, "return_to": "route"}, **HTMX
    )
    assert response.status_code == 422
    assert message in page_text(response.content)
    assert Answer.objects.count() == before


def test_a_teamlid_reads_but_cannot_answer(client_for, world):
    before = Answer.objects.count()
    client = client_for("teamlid_noord")
    assert client.get(route_url(world.noord)).status_code == 200
    response = client.post(answer_url(world.noord), {"check_code": "S1.awareness", "value": "no"})
    assert response.status_code == 403
    assert Answer.objects.count() == before


def test_other_schools_and_organisations_get_404(client_for, world):
    for key in ("directie_zuid", "beheerder_stichting"):
        client = client_for(key)
        assert client.get(route_url(world.noord)).status_code == 404
        pdf_url = reverse("stappenplan_pdf", kwargs={"school_id": world.noord.pk})
        assert client.get(pdf_url).status_code == 404
        data = {"check_code": "S1.awareness", "value": "no"}
        assert client.post(answer_url(world.noord), data).status_code == 404


# --- the group ----------------------------------------------------------------------------------


def test_group_overview_shows_every_school_and_who_is_stuck_where(client_for, world):
    response = client_for("directeur").get(reverse("stappenplan_group"))
    text = page_text(response.content)
    assert response.status_code == 200
    rows = dict(re.findall(r'<tr data-school="([^"]+)">(.*?)</tr>', text, re.S))
    assert set(rows) == {"Campus Noord", "Campus Zuid", "Basisschool De Linde"}
    assert "Doorlopen" in rows["Campus Noord"]
    assert ROUTE.step(7).title.nl in rows["Campus Zuid"]
    assert ROUTE.step(2).title.nl in rows["Basisschool De Linde"]
    stuck = dict(re.findall(r'data-stuck="([^"]+)">(.*?)</li>', text, re.S))
    assert "Basisschool De Linde" in stuck["S2.vision"]
    assert "Campus Zuid" in stuck["S7.mandates"]
    assert "Campus Noord" not in "".join(stuck.values())
    assert 'data-group-answer="yes"' in text
    assert "Dirk Coördinerend" in text


@pytest.mark.parametrize("key", ["directie_noord", "ict_noord", "teamlid_noord", "directie_zuid"])
def test_school_users_do_not_see_the_group_overview(key, client_for):
    assert client_for(key).get(reverse("stappenplan_group")).status_code == 404


def test_the_group_answers_step_4(client_for, world):
    client = client_for("beheerder")
    response = client.post(
        reverse("stappenplan_group_answer"),
        {
            "check_code": "S4.pooling",
            "value": "no",
            "note": "We bekijken het volgend jaar.",
            "version": seen("S4.pooling", organisation=world.organisation),
        },
        **HTMX,
    )
    assert response.status_code == 200
    text = page_text(response.content)
    assert 'data-group-answer="no"' in text and "We bekijken het volgend jaar." in text
    assert "gewijzigd, was ja" in text  # the earlier "yes" stays in the group's timeline
    # A school at step 4 sees what the group decided next to its own question.
    school = School.objects.get(name="Basisschool De Linde")
    journey = services.journey_ensure(school=school)
    for code in ("S2.vision", "S3.policy_plan"):
        services.answer_record(
            actor=world.users["directeur"], journey=journey, check_code=code, value=True
        )
    page = page_text(client_for("directeur").get(route_url(school)).content)
    assert "De groep legt geen middelen samen" in page


def test_a_group_reader_sees_the_group_but_cannot_answer_for_it(world, client):
    reader = User.objects.create_user("lezer.groep@scholengroep-demo.be", "a-long-password-1")
    tenancy_services.membership_grant(
        actor=None, user=reader, organisation=world.organisation, school=None, role="lezer"
    )
    client.force_login(reader)
    page = client.get(reverse("stappenplan_group"))
    assert page.status_code == 200 and "hx-post" not in page_text(page.content)
    response = client.post(
        reverse("stappenplan_group_answer"), {"check_code": "S4.pooling", "value": "no"}
    )
    assert response.status_code == 403


def test_the_group_refuses_other_checks(client_for):
    response = client_for("directeur").post(
        reverse("stappenplan_group_answer"), {"check_code": "S5.tailored", "value": "yes"}, **HTMX
    )
    assert response.status_code == 422
    assert "De groep beantwoordt in het stappenplan alleen stap 4." in page_text(response.content)


# --- bounded queries ------------------------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_group_overview_queries_do_not_grow_with_schools_or_answers(client_for, world):
    client = client_for("directeur")
    url = reverse("stappenplan_group")
    baseline = _queries(client, url)
    directeur = world.users["directeur"]
    for number in range(12):
        school = tenancy_services.school_create(
            organisation=world.organisation, name=f"Extra school {number}"
        )
        journey = services.journey_ensure(school=school)
        for check in ROUTE.checks[:15]:
            services.answer_record(
                actor=directeur, journey=journey, check_code=check.code, value=True
            )
    client = client_for("directeur")
    assert _queries(client, url) == baseline
    assert baseline <= 15, baseline


def test_route_page_queries_do_not_grow_with_answers(client_for, world):
    client = client_for("ict_noord")
    url = route_url(world.noord)
    baseline = _queries(client, url)
    journey = services.journey_ensure(school=world.noord)
    for _round in range(5):
        for check in ROUTE.checks:
            services.answer_record(
                actor=world.users["ict_noord"],
                journey=journey,
                check_code=check.code,
                value=not check.code.startswith("S8.") or check.code == "S8.evaluated",
            )
    client = client_for("ict_noord")
    assert _queries(client, url + "?alles=1") == baseline
    assert baseline <= 30, baseline


# --- the PDF ------------------------------------------------------------------------------------


def _pdf_page_count(data: bytes) -> int:
    """Page count from the page tree (WeasyPrint compresses objects into streams)."""
    counts = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            body = zlib.decompress(stream)
        except zlib.error:
            continue
        counts += [int(n) for n in re.findall(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", body)]
    counts += [int(n) for n in re.findall(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", data)]
    return max(counts, default=0)


def test_the_route_prints_as_a_pdf_with_the_decisions(client_for, world):
    response = client_for("lezer_noord").get(
        reverse("stappenplan_pdf", kwargs={"school_id": world.noord.pk})
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    today = timezone.localdate()
    assert response["Content-Disposition"] == (
        f'attachment; filename="stappenplan-campus-noord-{today:%Y-%m-%d}.pdf"'
    )
    data = response.content
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    assert _pdf_page_count(data) >= 2

    # What WeasyPrint laid out on the pages (the same HTML the view renders).
    journey = services.journey_ensure(school=world.noord)
    state = selectors.position_for(journey)
    source = pdf.route_print_html(None, world.noord, journey, state)
    document = pdf.html_to_document(source)
    assert len(document.pages) == _pdf_page_count(data)
    laid_out = " ".join(
        box.text
        for page in document.pages
        for box in page._page_box.descendants()
        if getattr(box, "text", None)
    )
    laid_out = " ".join(laid_out.split())
    for expected in (
        "Campus Noord",
        "Scholengroep Demo",
        "Nieuw ICT-beleidsplan goedgekeurd op het MT.",  # a decision with its note
        "Nadia Noorden",  # who decided
        "Ilse Verbeke",
        " ".join(state.position.advice_for("directie", "nl").split()),  # the advice
        " ".join(state.position.next_step.text.nl.split()),  # the next step
    ):
        assert expected in laid_out, expected
    # The old "no" to the policy plan is kept, marked as replaced.
    assert "Het beleidsplan van 2019 is verouderd." in laid_out
    assert "vervangen" in laid_out


def test_someone_without_a_school_and_without_group_rights_gets_a_clear_page(client):
    user = User.objects.create_user("ict.zonder.school@scholengroep-demo.be", "a-long-password-1")
    empty = tenancy_services.organisation_create(
        name="Nog lege groep", kind="scholengroep", region="BE-VL"
    )
    tenancy_services.membership_grant(
        actor=None, user=user, organisation=empty, school=None, role="ict"
    )
    client.force_login(user)
    response = client.get(reverse("stappenplan"))
    assert response.status_code == 200
    assert "Je bent nog aan geen school gekoppeld." in page_text(response.content)


# --- two people answer the same check ---------------------------------------------------------


def test_an_answer_given_on_an_old_page_is_refused_and_keeps_the_note(world):
    from django.test import Client

    ict, directie = Client(), Client()
    ict.force_login(world.users["ict_noord"])
    directie.force_login(world.users["directie_noord"])
    code = "S7.mandates"
    version = seen(code, school=world.noord)  # both pages show the same answer
    journey = services.journey_ensure(school=world.noord)
    before = Answer.objects.filter(journey=journey, check_code=code).count()
    first = ict.post(answer_url(world.noord), {"check_code": code, "value": "yes",
                                               "version": version})  # fmt: skip
    assert first.status_code == 302
    stale = directie.post(
        answer_url(world.noord),
        {
            "check_code": code,
            "value": "no",
            "note": "Nog te bespreken.",
            "version": version,
            "return_to": "step",
        },
    )
    text = page_text(stale.content)
    assert stale.status_code == 422
    assert "Iemand anders heeft deze vraag intussen beantwoord" in text
    assert "Nog te bespreken." in text  # the note is kept in the form
    assert Answer.objects.filter(journey=journey, check_code=code).count() == before + 1
    latest = services.current_answer(journey, code)
    assert latest.value is True and latest.answered_by == world.users["ict_noord"]
    # The page now carries the new version: answering again goes through.
    assert f'name="version" value="{latest.pk}"' in text
    again = directie.post(
        answer_url(world.noord),
        {"check_code": code, "value": "no", "note": "Nog te bespreken.", "version": latest.pk},
    )
    assert again.status_code == 302
    assert services.current_answer(journey, code).value is False


def test_the_group_answer_on_an_old_page_is_refused(world):
    from django.test import Client

    first, second = Client(), Client()
    first.force_login(world.users["beheerder"])
    second.force_login(world.users["directeur"])
    version = seen("S4.pooling", organisation=world.organisation)
    url = reverse("stappenplan_group_answer")
    assert first.post(url, {"check_code": "S4.pooling", "value": "no",
                            "version": version}).status_code == 302  # fmt: skip
    stale = second.post(url, {"check_code": "S4.pooling", "value": "yes", "version": version})
    assert stale.status_code == 422
    assert "Iemand anders heeft deze vraag intussen beantwoord" in page_text(stale.content)
    journey = services.journey_ensure(organisation=world.organisation)
    assert services.current_answer(journey, "S4.pooling").value is False


def test_step_8_links_to_the_rounds_the_actions_and_the_conversations(world, client_for):
    client = client_for("directie_noord")
    url = reverse("stappenplan_step", kwargs={"school_id": world.noord.pk, "number": 8})
    html = client.get(url).content.decode()
    for name in ("evaluation_index", "actions_list", "conversations_index"):
        target = reverse(name)
        assert f'href="{target}"' in html, f"step 8 does not link to {name}"
        assert client.get(target).status_code == 200
