"""The home page for the ICT coordinator, the group director and a team member, on a
desktop and on a phone (390 px: no horizontal scroll); screenshots in test-artifacts/."""

from __future__ import annotations

import pytest

from conftest import screenshot

pytestmark = pytest.mark.browser

USERS = {
    "ict_noord": "ict.noord@scholengroep-demo.be",
    "directeur": "directeur@scholengroep-demo.be",
    "teamlid_noord": "teamlid.noord@scholengroep-demo.be",
}


def test_home_on_desktop_and_phone(browser_page, sign_in):
    page = browser_page
    for key, email in USERS.items():
        sign_in(page, email)
        for width, label in ((1300, "desktop"), (390, "phone")):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto("/")
            assert page.locator('[data-home="route"]').is_visible()
            assert page.locator('[data-home="needs"]').is_visible()
            scroll = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert scroll <= 0, (key, label, scroll)
            if key == "directeur":
                assert page.locator("#schools-table tbody tr").count() == 3
            screenshot(page, f"home-{key}-{label}")
        page.set_viewport_size({"width": 1300, "height": 900})

    # The group director sorts the schools by step, on the server.
    sign_in(page, USERS["directeur"])
    page.goto("/")
    page.select_option("#f-sort", "-stap")
    with page.expect_navigation():
        page.click("#schools-filter button[type=submit]")
    names = page.locator("#schools-table tbody th a").all_inner_texts()
    assert names == ["Campus Noord", "Campus Zuid", "Basisschool De Linde"]
    # The first-visit explanation closes and stays closed.
    assert page.locator('[data-intro="home"]').is_visible()
    with page.expect_navigation():
        page.click('[data-intro="home"] .btn-close')
    page.goto("/")
    assert page.locator('[data-intro="home"]').count() == 0
