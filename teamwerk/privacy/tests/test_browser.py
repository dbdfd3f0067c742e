"""In the browser: a person's data from the person page, the erase page, the register and the
retention settings, on a phone.

Screenshots (test-artifacts/): privacy-1-person-menu, privacy-2-erase-refused-phone,
privacy-3-register-phone, privacy-4-retention-phone; the PDF's first page: privacy-pdf-page1.png.
"""

from __future__ import annotations

import subprocess

import pytest

from conftest import ARTIFACTS, screenshot

pytestmark = pytest.mark.browser


def _no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_the_directie_downloads_a_persons_data_and_sees_why_erasing_waits(browser_page, sign_in):
    from teamwerk.team.models import Person

    tom = Person.objects.get(email="teamlid.noord@scholengroep-demo.be")
    page = browser_page
    sign_in(page, "directie.noord@scholengroep-demo.be")
    page.goto(f"/team/mensen/{tom.pk}/")
    page.get_by_role("button", name="Gegevens (AVG)").click()
    screenshot(page, "privacy-1-person-menu")
    # WeasyPrint's first PDF in a process loads its fonts: allow for a slow, shared machine.
    with page.expect_download(timeout=90_000) as download_info:
        page.click("[data-privacy-export=pdf]", no_wait_after=True)
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    path = ARTIFACTS / "privacy-person.pdf"
    download.save_as(str(path))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout
    text = text.decode()
    assert "Gegevens van Tom Peeters" in text and "kennis en motivatie" in text.lower()
    subprocess.run(
        ["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", "-singlefile", str(path)]
        + [str(ARTIFACTS / "privacy-pdf-page1")],
        check=True,
    )

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/privacy/personen/{tom.pk}/wissen/")
    assert "Wissen kan nu nog niet" in page.content()
    assert page.get_by_role("button", name="Definitief wissen").is_disabled()
    assert _no_sideways_scroll(page)
    screenshot(page, "privacy-2-erase-refused-phone")


def test_register_and_retention_on_a_phone(browser_page, sign_in):
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "beheerder@scholengroep-demo.be")
    page.goto("/privacy/verwerkingsregister/")
    assert page.locator("h1").inner_text() == "Verwerkingsregister"
    assert _no_sideways_scroll(page)
    screenshot(page, "privacy-3-register-phone")
    page.get_by_role("link", name="Bewaartermijnen aanpassen").click()
    page.wait_for_url("**/bewaartermijnen/")
    page.get_by_label("auditlog (dagen)").fill("365")
    page.get_by_role("button", name="Bewaren").click()
    page.wait_for_url("**/bewaartermijnen/")
    assert "Bewaartermijnen bewaard." in page.content()
    assert page.get_by_label("auditlog (dagen)").input_value() == "365"
    assert _no_sideways_scroll(page)
    screenshot(page, "privacy-4-retention-phone")
