"""In the browser: the ICT coordinator prepares a conversation, records it, adds an agreement
and turns it into an action; the lezer reads the guide on a phone.

Screenshots (test-artifacts/): conversations-1-prepare, conversations-2-prepared,
conversations-3-record, conversations-4-action, conversations-5-action-page,
conversations-6-detail-phone, conversations-7-guide-phone, conversations-8-lezer-detail-phone.
"""

from __future__ import annotations

import pytest

from conftest import screenshot

pytestmark = pytest.mark.browser


def _no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_a_recorded_conversation_becomes_an_action(browser_page, sign_in):
    from teamwerk.actions.models import Action
    from teamwerk.conversations.models import Conversation

    page = browser_page
    sign_in(page, "ict.noord@scholengroep-demo.be")
    page.goto("/gesprekken/")
    assert "Mijn rol in de gesprekken" in page.content()
    page.click("text=Gesprek voorbereiden")
    page.wait_for_url("**/gesprekken/nieuw/")
    page.fill("#id_subject", "Robotica in de eerste graad")
    page.fill("#id_held_on", "2026-11-25")
    page.get_by_label("Ilse Verbeke", exact=False).check()
    page.get_by_label("Jeroen Wouters", exact=False).check()
    page.get_by_label("Leraar", exact=True).check()
    page.get_by_label("2b. Samen leren over technologie").check()
    page.fill("#id_preparation", "Jeroen brengt twee lesvoorbeelden mee.")
    screenshot(page, "conversations-1-prepare")
    page.click("form button.btn-primary")
    page.wait_for_url("**/gesprekken/*/")
    assert "Het gesprek is voorbereid." in page.content()
    screenshot(page, "conversations-2-prepared")

    page.click("text=Verslag schrijven")
    page.wait_for_url("**/verslag/")
    page.fill("#id_notes", "Jeroen wil met de basisscholen een gedeelde robotset gebruiken.")
    page.check("#id_recorded")
    screenshot(page, "conversations-3-record")
    page.click("form button.btn-primary")
    page.wait_for_url("**/gesprekken/*/")
    assert "gedeelde robotset" in page.content()

    page.fill("#id_text", "Robotset delen met Basisschool De Linde")
    page.select_option("#id_owner", label="Jeroen Wouters")
    page.fill("#id_due", "2027-02-01")
    page.click("text=Afspraak toevoegen >> nth=-1")
    page.wait_for_load_state()
    assert "De afspraak is toegevoegd." in page.content()
    page.click("button:has-text('Maak er een actie van')")
    page.wait_for_load_state()
    assert "De afspraak staat nu als actie in de actielijst." in page.content()
    screenshot(page, "conversations-4-action")

    conversation = Conversation.objects.get(subject="Robotica in de eerste graad")
    action = Action.objects.get(title="Robotset delen met Basisschool De Linde")
    assert action.source == "conversation"
    assert action.source_url == f"/gesprekken/{conversation.pk}/"
    assert action.owner.first_name == "Jeroen"
    page.click("a:has-text('actie:')")
    page.wait_for_load_state()
    assert "Robotset delen met Basisschool De Linde" in page.content()
    screenshot(page, "conversations-5-action-page")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/gesprekken/{conversation.pk}/")
    assert _no_sideways_scroll(page)
    screenshot(page, "conversations-6-detail-phone")
    page.goto("/gesprekken/nieuw/")
    assert _no_sideways_scroll(page)


def test_the_lezer_reads_the_guide_on_a_phone_but_not_the_notes(browser_page, sign_in):
    from teamwerk.conversations.models import Conversation

    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "lezer@scholengroep-demo.be")
    page.goto("/gesprekken/gids/ibp/")
    assert "Dit is jouw rol" in page.content()
    assert _no_sideways_scroll(page)
    screenshot(page, "conversations-7-guide-phone")
    page.goto("/gesprekken/gids/")
    assert _no_sideways_scroll(page)
    privacy = Conversation.objects.get(subject__startswith="Privacy")
    page.goto(f"/gesprekken/{privacy.pk}/")
    assert "apps die leraren zelf kiezen" not in page.content()
    assert "voor de deelnemers en de directie" in page.content()
    assert _no_sideways_scroll(page)
    screenshot(page, "conversations-8-lezer-detail-phone")


def test_the_conversation_pages_pass_axe_on_a_phone(browser_page, live_server, sign_in):
    """axe-core (WCAG 2.1 A and AA): no serious or critical violation on any page of the
    module, for the directie (who sees every part) and the lezer (who sees the least)."""
    from pathlib import Path

    from teamwerk.conversations.models import Conversation

    axe = Path(__file__).resolve().parents[3] / "node_modules" / "axe-core" / "axe.min.js"
    context = browser_page.context.browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, bypass_csp=True
    )
    page = context.new_page()
    privacy = Conversation.objects.get(subject__startswith="Privacy")
    pages = {
        "directie.noord@scholengroep-demo.be": [
            "/gesprekken/",
            "/gesprekken/gids/",
            "/gesprekken/gids/leraar/",
            "/gesprekken/sleutelfiguren/",
            "/gesprekken/nieuw/",
            f"/gesprekken/{privacy.pk}/",
            f"/gesprekken/{privacy.pk}/verslag/",
        ],
        "lezer@scholengroep-demo.be": ["/gesprekken/", f"/gesprekken/{privacy.pk}/"],
    }
    problems = []
    for email, urls in pages.items():
        sign_in(page, email)
        for url in urls:
            assert page.goto(url).status == 200, url
            if url == "/gesprekken/sleutelfiguren/":
                screenshot(page, "conversations-9-key-figures-phone")
            if not _no_sideways_scroll(page):
                problems.append(f"{email} {url}: wider than the phone")
            page.add_script_tag(path=str(axe))
            violations = page.evaluate(
                """async () => (await axe.run(document, {runOnly: {type: 'tag', values:
                ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})).violations.map(
                v => [v.id, v.impact, v.nodes.length])"""
            )
            problems += [
                f"{email} {url}: {v}" for v in violations if v[1] in ("serious", "critical")
            ]
    context.close()
    assert problems == []
