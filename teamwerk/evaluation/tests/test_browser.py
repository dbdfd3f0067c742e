"""In the browser: three people answer a round through their personal links, then the ICT
coordinator closes the round and reads the results; a teamlid answers from the home page on a
phone.

Screenshots (test-artifacts/): evaluation-1-answer, evaluation-2-thanks, evaluation-3-results,
evaluation-4-results-phone, evaluation-5-trend, evaluation-6-home-phone,
evaluation-7-new-round-phone, evaluation-8-questions-phone.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from conftest import screenshot
from teamwerk.core.tests.test_phone_and_axe import AXE, AXE_JS, BLOCKING

pytestmark = pytest.mark.browser


def _no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def _serious_axe_violations(page) -> list:
    page.add_script_tag(content=AXE.read_text())
    return [v for v in page.evaluate(AXE_JS) if v["impact"] in BLOCKING]


def _answer(page, link: str, value: int, comment: str) -> None:
    page.goto(link)
    for fieldset in page.locator("fieldset[data-question]").all():
        fieldset.locator(f"input[value='{value}']").check()
    page.locator("textarea").first.fill(comment)


def _page_for_axe(browser_page, live_server):
    """A page whose CSP lets the test add axe-core (the app's CSP forbids inline scripts)."""
    context = browser_page.context.browser.new_context(
        base_url=live_server.url, viewport={"width": 1300, "height": 900}, bypass_csp=True
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    return page


def test_three_people_answer_and_the_coordinator_sees_the_results(
    browser_page, live_server, sign_in
):
    from teamwerk.evaluation.services import round_create
    from teamwerk.team.models import Person
    from teamwerk.tenancy.models import Organisation, School

    noord = School.objects.get(name="Campus Noord")
    people = list(
        Person.objects.filter(
            first_name__in=["Wim", "Sofie", "Jeroen"], organisation__name="Scholengroep Demo"
        )
    )
    new_round, tokens = round_create(
        user=None,
        organisation=Organisation.objects.get(name="Scholengroep Demo"),
        school=noord,
        title="Peiling in de browser",
        set_key="pulse",
        closes_on=timezone.localdate() + dt.timedelta(days=7),
        people=people,
        send=False,
    )
    page = _page_for_axe(browser_page, live_server)
    for index, (person, value) in enumerate(zip(people, (4, 3, 5), strict=True)):
        _answer(page, f"/evaluatie/antwoord/{tokens[person.pk]}/", value, f"Opmerking {index + 1}")
        if index == 0:
            screenshot(page, "evaluation-1-answer")
            assert _serious_axe_violations(page) == []
        page.click("main form button.btn-primary")
        page.wait_for_load_state()
        assert "anoniem bewaard" in page.content()
        if index == 0:
            screenshot(page, "evaluation-2-thanks")
    # The first person changes their answer: still three answers.
    _answer(page, f"/evaluatie/antwoord/{tokens[people[0].pk]}/", 2, "Toch iets minder")
    page.click("main form button.btn-primary")
    page.wait_for_load_state()
    assert "gewijzigde antwoord" in page.content()

    sign_in(page, "ict.noord@scholengroep-demo.be")
    # While the round is open, even the coordinator sees only the count.
    page.goto(f"/evaluatie/ronde/{new_round.pk}/resultaten/")
    assert "wanneer de ronde sluit" in page.locator("[data-withheld]").inner_text()
    assert "Toch iets minder" not in page.locator("main").inner_text()
    page.goto(f"/evaluatie/ronde/{new_round.pk}/")
    with page.expect_navigation():
        page.get_by_role("button", name="Ronde afsluiten").click()
    assert "afgesloten" in page.locator(".alert").first.inner_text()
    page.goto(f"/evaluatie/ronde/{new_round.pk}/resultaten/")
    body = page.locator("main").inner_text()
    assert "3 antwoorden" in body
    assert "gemiddeld 3,3 op 5" in body  # (2 + 3 + 5) / 3
    assert "Toch iets minder" in body and "Opmerking 1" not in body
    for person in people:
        assert person.last_name not in body
    screenshot(page, "evaluation-3-results")
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert _no_sideways_scroll(page)
    assert _serious_axe_violations(page) == []
    screenshot(page, "evaluation-4-results-phone")
    # The demo's later round, compared with the earlier one.
    page.set_viewport_size({"width": 1300, "height": 900})
    page.goto("/evaluatie/")
    page.get_by_role("link", name="Evaluatie ICT-team, einde schooljaar").click()
    page.get_by_role("link", name="Resultaten").first.click()
    assert page.locator("#evaluation-trend").count() == 1
    assert "Gedaald sinds de vorige ronde" in page.locator("[data-dropped]").inner_text()
    assert _serious_axe_violations(page) == []
    screenshot(page, "evaluation-5-trend")
    # Starting a round and the school's questions, on a phone.
    page.set_viewport_size({"width": 390, "height": 844})
    for url in ("/evaluatie/", f"/evaluatie/ronde/{new_round.pk}/"):
        page.goto(url)
        assert _no_sideways_scroll(page), url
        assert _serious_axe_violations(page) == [], url
    page.goto("/evaluatie/nieuw/")
    assert _no_sideways_scroll(page)
    assert _serious_axe_violations(page) == []
    screenshot(page, "evaluation-7-new-round-phone")
    page.goto("/evaluatie/vragen/")
    page.locator("[data-code=load_hours] button").click()
    page.wait_for_load_state()
    assert "verborgen" in page.locator("[data-code=load_hours]").inner_text()
    assert _no_sideways_scroll(page)
    assert _serious_axe_violations(page) == []
    screenshot(page, "evaluation-8-questions-phone")


def test_a_teamlid_answers_from_the_home_page_on_a_phone(browser_page, sign_in):
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "teamlid.noord@scholengroep-demo.be")
    page.goto("/evaluatie/")
    assert _no_sideways_scroll(page)
    screenshot(page, "evaluation-6-home-phone")
    page.locator("[data-my-rounds] button").first.click()
    page.wait_for_url("**/evaluatie/antwoord/**")
    assert _no_sideways_scroll(page)
    for fieldset in page.locator("fieldset[data-question]").all():
        fieldset.locator("input[value='4']").check()
    page.click("main form button.btn-primary")
    page.wait_for_load_state()
    assert "anoniem bewaard" in page.content()
    page.goto("/evaluatie/")
    assert "Je hebt geantwoord" in page.locator("[data-my-rounds]").inner_text()
