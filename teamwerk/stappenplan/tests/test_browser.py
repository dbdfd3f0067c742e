"""A school leader answers a check, sees the advice change, and opens the linked module."""

from __future__ import annotations

import pytest

from conftest import screenshot
from teamwerk.stappenplan.route import default_route

pytestmark = pytest.mark.browser
ROUTE = default_route()


def test_answer_a_check_see_the_advice_change_and_open_the_module(browser_page, sign_in):
    page = browser_page
    sign_in(page, "directie.zuid@scholengroep-demo.be")
    page.goto("/stappenplan/")
    assert page.locator("h1").inner_text().startswith("Waar staan we?")
    assert "Campus Zuid" in page.locator("h1").inner_text()
    question = page.locator("#open-check")
    assert question.get_attribute("data-check") == "S7.mandates"
    advice = page.locator('#advice [data-advice-role="directie"] p')
    # The advice already speaks of the open check, not of one that is answered.
    expected = ROUTE.check("S7.mandates").no.advice.text("directie", "nl")
    assert advice.inner_text() == expected
    screenshot(page, "stappenplan-01-waar-staan-we")

    form = page.locator('#open-check [data-answer-form="S7.mandates"]')
    form.locator("textarea").fill("Eerst de mandaten bespreken op het MT.")
    form.get_by_role("button", name="Nee").click()

    page.wait_for_selector("#route-body .alert-success")
    assert page.locator("#route-body .alert-success").inner_text().strip() == (
        "Je antwoord is bewaard."
    )
    assert advice.inner_text() == expected  # a "no" keeps the advice for this check
    assert page.locator('[data-state="blocked"]').is_visible()
    newest = page.locator("#tijdlijn li").first
    assert "Eerst de mandaten bespreken op het MT." in newest.inner_text()
    assert newest.get_attribute("data-check") == "S7.mandates"
    screenshot(page, "stappenplan-02-advies-na-antwoord")

    # The work of step 7 happens in the team module.
    link = page.locator("#route-body [data-module-link]").first
    assert link.inner_text().strip().startswith("Naar het team")
    link.click()
    page.wait_for_url("**/team/**")
    assert "Pagina niet gevonden" not in page.title()
    assert page.locator("h1").count() >= 1
    screenshot(page, "stappenplan-03-team-module")


def test_a_teamlid_reads_the_route_and_the_group_sees_every_school(browser_page, sign_in):
    page = browser_page
    sign_in(page, "teamlid.noord@scholengroep-demo.be")
    page.goto("/stappenplan/")
    assert page.locator("[data-answer-form]").count() == 0
    roles = page.locator("#advice [data-advice-role]")
    assert [roles.nth(i).get_attribute("data-advice-role") for i in range(roles.count())] == [
        "teamlid",
        "directie",
        "ict",
    ]
    screenshot(page, "stappenplan-04-teamlid-leest")

    sign_in(page, "directeur@scholengroep-demo.be")
    page.goto("/stappenplan/groep/")
    schools = page.locator("tr[data-school]")
    assert sorted(schools.nth(i).get_attribute("data-school") for i in range(3)) == [
        "Basisschool De Linde",
        "Campus Noord",
        "Campus Zuid",
    ]
    assert page.locator('[data-group-answer="yes"]').is_visible()
    screenshot(page, "stappenplan-05-groepsoverzicht")
