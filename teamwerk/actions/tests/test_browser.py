"""In the browser on a phone (390 px): the ICT coordinator creates an action for a
colleague, filters the list, and the colleague marks it done from Mijn acties.

Screenshots (test-artifacts/): actions-1-form, actions-2-filtered, actions-3-mine,
actions-4-done, actions-5-wishes.
"""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import screenshot

pytestmark = pytest.mark.browser


def _no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_create_filter_and_mark_done_on_a_phone(browser_page, sign_in):
    from teamwerk.actions.models import Action
    from teamwerk.team.models import Person

    tom = Person.objects.get(email="teamlid.noord@scholengroep-demo.be")
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "ict.noord@scholengroep-demo.be")

    page.goto("/acties/")
    assert _no_sideways_scroll(page)
    page.get_by_role("link", name="Nieuwe actie").click()
    page.wait_for_url("**/acties/nieuw/")
    page.get_by_label("Wat moet er gebeuren?").fill("Smartboards lokaal 12 laten nakijken")
    page.get_by_label("Trekker").select_option(label=tom.full_name)
    due = dt.date.today() + dt.timedelta(days=6)
    page.get_by_label("Tegen wanneer?").fill(due.isoformat())
    page.locator("#id_source").select_option("task")
    assert _no_sideways_scroll(page)
    screenshot(page, "actions-1-form")
    page.get_by_role("button", name="Bewaren").click()
    page.wait_for_url("**/acties/*/")
    assert "Smartboards lokaal 12 laten nakijken" in page.locator("h1").inner_text()

    # Filter the school's list on Tom and on the source "Taak".
    page.goto("/acties/")
    page.get_by_label("Trekker").select_option(label=tom.full_name)
    page.get_by_label("Bron").select_option("task")
    page.get_by_role("button", name="Filter", exact=True).click()
    page.wait_for_url("**/acties/?*")
    titles = page.locator("#actions li a.fw-semibold").all_inner_texts()
    expected = set(
        Action.objects.filter(owner=tom, source="task", done_on__isnull=True).values_list(
            "title", flat=True
        )
    )
    assert set(titles) == expected and "Smartboards lokaal 12 laten nakijken" in titles
    assert _no_sideways_scroll(page)
    screenshot(page, "actions-2-filtered")

    # Tom marks it done from his own list.
    sign_in(page, "teamlid.noord@scholengroep-demo.be")
    page.goto("/acties/mijn/")
    assert "Smartboards lokaal 12 laten nakijken" in page.content()
    assert _no_sideways_scroll(page)
    screenshot(page, "actions-3-mine")
    row = page.locator("#actions > li", has_text="Smartboards lokaal 12 laten nakijken")
    row.get_by_role("button", name="Afgerond").click()
    page.wait_for_load_state()
    assert "is afgerond" in page.content()
    assert "Smartboards lokaal 12 laten nakijken" not in page.locator("#actions").inner_text()
    screenshot(page, "actions-4-done")
    action = Action.objects.get(title="Smartboards lokaal 12 laten nakijken")
    assert action.done_on == dt.date.today()


def test_wishes_overview_on_a_phone(browser_page, sign_in):
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "directie.noord@scholengroep-demo.be")
    page.goto("/acties/professionalisering/")
    assert page.locator("h1").inner_text().startswith("Wie wil wat bijleren?")
    assert _no_sideways_scroll(page)
    screenshot(page, "actions-5-wishes")
