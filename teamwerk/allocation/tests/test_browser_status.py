"""In a phone-sized browser: a run without a distribution in time says so and offers more
time; the form opens with "more time" ticked."""

from __future__ import annotations

import pytest

from conftest import screenshot

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_no_solution_yet_offers_more_time_on_a_phone(browser_page, sign_in, monkeypatch):
    from teamwerk.allocation import problem as builder

    monkeypatch.setattr(builder, "SCHOOL_TIME_LIMIT_S", 1e-9)
    page = browser_page
    page.set_viewport_size(PHONE)
    sign_in(page, "directie.zuid@scholengroep-demo.be")
    page.goto("/verdelingsassistent/voorstel/")
    page.click("#start-proposal")
    page.locator("#run-failed").wait_for(timeout=60000)
    assert "nog geen verdeling" in page.locator("#run-failed").inner_text()
    assert no_sideways_scroll(page)
    screenshot(page, "allocation-10-no-solution-yet-phone")

    page.locator("#run-more-time").click()
    more_time = page.get_by_label("Geef de assistent meer rekentijd")
    assert more_time.is_checked()
    assert no_sideways_scroll(page)
    screenshot(page, "allocation-11-more-time-ticked-phone")
