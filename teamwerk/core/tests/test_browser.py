"""A person signs in, switches language and school, and sees their organisation."""

from __future__ import annotations

import pytest

from conftest import screenshot

pytestmark = pytest.mark.browser


def test_sign_in_switch_language_and_school(browser_page, sign_in):
    page = browser_page
    page.goto("/")
    assert "/accounts/login/" in page.url
    assert page.locator("h1").inner_text() == "Aanmelden bij Teamwerk"
    screenshot(page, "core-01-login")

    page.fill("#id_login", "directeur@scholengroep-demo.be")
    page.fill("#id_password", "fout-wachtwoord")
    page.click("main button[type=submit]")
    assert page.locator("main .alert-danger:not(#htmx-error)").first.is_visible()
    assert "niet correct" in page.locator("main .alert-danger:not(#htmx-error)").inner_text()

    sign_in(page, "directeur@scholengroep-demo.be")
    assert page.locator("h1").inner_text().startswith("Welkom")
    # The group director sees every school side by side.
    schools = page.locator("#schools-table tbody th a")
    assert sorted(schools.all_inner_texts()) == [
        "Basisschool De Linde",
        "Campus Noord",
        "Campus Zuid",
    ]
    screenshot(page, "core-02-home")

    # The school switch in the navigation bar.
    with page.expect_navigation():
        page.select_option("#school-switch", label="Campus Zuid")
    assert page.locator("#school-switch option:checked").inner_text().startswith("Campus Zuid")
    assert page.locator("#schools-table tr.table-primary th a").inner_text() == "Campus Zuid"

    # The language switch.
    with page.expect_navigation():
        page.select_option("#language-switch", "en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text().startswith("Welcome")
    page.locator("nav").get_by_text("Organisation").click()
    assert page.locator("nav").get_by_text("People and roles").is_visible()
    screenshot(page, "core-03-home-en")

    # On a phone the menu folds away behind a button.
    page.set_viewport_size({"width": 390, "height": 800})
    with page.expect_navigation():
        page.select_option("#language-switch", "nl")
    assert page.locator(".navbar-toggler").is_visible()
    page.click(".navbar-toggler")
    page.locator("#mainnav").get_by_text("Stappenplan").wait_for()
    screenshot(page, "core-04-phone-menu")


def test_invite_flow_in_the_browser(browser_page, sign_in):
    page = browser_page
    sign_in(page, "directie.noord@scholengroep-demo.be")
    page.goto("/organisatie/mensen/")
    page.fill("#id_email", "nieuwe.collega@scholengroep-demo.be")
    page.select_option("#id_role", "ict")
    page.click("text=Uitnodiging versturen")
    assert "Uitnodiging verstuurd naar nieuwe.collega@scholengroep-demo.be" in page.inner_text(
        ".alert-success"
    )
    pending = page.locator("li", has_text="nieuwe.collega@scholengroep-demo.be").inner_text()
    assert "ICT-coördinator · Campus Noord" in pending  # the role in words, not its code
    screenshot(page, "core-05-members")
