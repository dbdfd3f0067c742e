"""In the browser on a phone (390 px): the ICT coordinator creates an action for a
colleague, filters the list, and the colleague marks it done from Mijn acties.

Screenshots (test-artifacts/): actions-0-school-desktop (1300 px), actions-1-form,
actions-2-filtered, actions-3-mine, actions-4-done, actions-5-wishes,
actions-6-owner-detail-phone.
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

    page.set_viewport_size({"width": 1300, "height": 900})
    page.goto("/acties/")
    screenshot(page, "actions-0-school-desktop")
    page.set_viewport_size({"width": 390, "height": 844})
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


def test_the_action_pages_pass_axe_on_a_phone(browser_page, live_server, sign_in):
    """axe-core (WCAG 2.1 A and AA): no serious or critical violation on any page of the
    module, for the ICT coordinator (who sees every part) and the teamlid (the owner)."""
    from pathlib import Path

    from teamwerk.actions.models import Action

    axe = Path(__file__).resolve().parents[3] / "node_modules" / "axe-core" / "axe.min.js"
    context = browser_page.context.browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, bypass_csp=True
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    own = Action.objects.filter(
        owner__user__email="teamlid.noord@scholengroep-demo.be", done_on__isnull=True
    ).first()
    pages = {
        "ict.noord@scholengroep-demo.be": [
            "/acties/",
            "/acties/?te_laat=1",
            "/acties/groep/",
            "/acties/mijn/",
            "/acties/nieuw/",
            "/acties/professionalisering/",
            f"/acties/{own.pk}/",
            f"/acties/{own.pk}/bewerken/",
        ],
        "teamlid.noord@scholengroep-demo.be": ["/acties/mijn/", f"/acties/{own.pk}/"],
    }
    problems = []
    for email, urls in pages.items():
        sign_in(page, email)
        for url in urls:
            assert page.goto(url).status == 200, url
            if not _no_sideways_scroll(page):
                problems.append(f"{email} {url}: wider than the phone")
            page.add_script_tag(path=str(axe))
            violations = page.evaluate(
                """async () => (await axe.run(document, {runOnly: {type: 'tag', values:
                ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})).violations.map(
                v => [v.id, v.impact, v.nodes.length,
                      v.nodes.slice(0, 2).map(n => n.target.join(' '))])"""
            )
            problems += [
                f"{email} {url}: {v}" for v in violations if v[1] in ("serious", "critical")
            ]
        if email.startswith("teamlid"):
            screenshot(page, "actions-6-owner-detail-phone")
    context.close()
    assert problems == []
