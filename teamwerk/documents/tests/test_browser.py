"""In the browser: from a person's page to their downloaded job description, the documents
page, and a teamlid on a phone.

Screenshots (test-artifacts/): documents-1-person, documents-2-job, documents-3-index,
documents-4-teamlid-phone; the downloaded PDF's first page: documents-job-page1.png.
"""

from __future__ import annotations

import subprocess

import pytest

from conftest import ARTIFACTS, screenshot

pytestmark = pytest.mark.browser


def _no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_from_the_person_page_to_the_downloaded_job_description(browser_page, sign_in):
    from teamwerk.team.models import Person

    ilse = Person.objects.get(email="ict.noord@scholengroep-demo.be")
    wim = Person.objects.get(first_name="Wim", last_name="Claes")
    page = browser_page
    sign_in(page, "ict.noord@scholengroep-demo.be")
    page.goto(f"/team/mensen/{wim.pk}/")
    screenshot(page, "documents-1-person")
    page.click("[data-job-description]")
    page.wait_for_url("**/functiebeschrijving/**")
    assert "Wim Claes" in page.locator("h1").inner_text()
    page.fill("#id_function_title", "Technisch ICT-coördinator")
    page.click("form button.btn-primary")
    page.wait_for_load_state()
    assert "zijn bewaard" in page.content()
    screenshot(page, "documents-2-job")
    with page.expect_download() as download_info:
        page.click("#download-pdf")
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    path = ARTIFACTS / "documents-job.pdf"
    download.save_as(str(path))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout
    text = text.decode()
    assert "Wim Claes" in text and "Technisch ICT-coördinator" in text
    assert "Instellingsnummer" in text and "Handtekening" in text
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(path),
            str(ARTIFACTS / "documents-job-page1"),
        ],
        check=True,
    )
    with page.expect_download() as download_info:
        page.click("#download-docx")
    assert download_info.value.suggested_filename.endswith(".docx")

    page.goto("/documenten/")
    assert page.locator("h1").inner_text() == "Documenten"
    assert ilse.full_name in page.content()
    screenshot(page, "documents-3-index")


def test_a_teamlid_on_a_phone_sees_only_their_own_description(browser_page, sign_in):
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "teamlid.noord@scholengroep-demo.be")
    page.goto("/team/mijn-taken/")
    page.click("[data-job-description]")
    page.wait_for_url("**/functiebeschrijving/**")
    assert "Tom Peeters" in page.locator("h1").inner_text()
    # Since it was recorded the school named a second evaluator.
    assert "Wijkt af van de vastgelegde versie van" in page.content()
    assert page.locator("#id_function_title").count() == 0  # nothing to edit for a teamlid
    assert _no_sideways_scroll(page)
    screenshot(page, "documents-4-teamlid-phone")
    page.goto("/documenten/")
    assert "Ilse Verbeke" not in page.content()
    assert _no_sideways_scroll(page)
    screenshot(page, "documents-5-index-phone")


def test_from_step_6_to_a_vacancy(browser_page, sign_in):
    from django.urls import reverse

    from teamwerk.tenancy.models import School

    zuid = School.objects.get(name="Campus Zuid")
    page = browser_page
    sign_in(page, "directie.zuid@scholengroep-demo.be")
    page.goto(reverse("stappenplan_step", kwargs={"school_id": zuid.pk, "number": 6}))
    page.click("[data-vacancy-link]")
    page.wait_for_url("**/vacature/nieuw/")
    page.select_option("#id_profile", label="Projectleider digitalisering")
    screenshot(page, "documents-6-vacancy-start")
    page.click("main form button.btn-primary")
    page.wait_for_url("**/vacature/*/")
    assert "Projectleider digitalisering" in page.locator("h1").inner_text()
    assert "ongewone oplossingen" in page.input_value("#id_profile_text")
    page.fill("#id_presence", "Minstens vier dagen per week op school")
    page.click("main form button.btn-primary")
    page.wait_for_load_state()
    assert "De vacature is bewaard" in page.content()
    screenshot(page, "documents-7-vacancy")
    with page.expect_download() as download_info:
        page.click("#vacancy-pdf")
    path = ARTIFACTS / "documents-vacancy.pdf"
    download_info.value.save_as(str(path))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout
    assert "Minstens vier dagen per week op school" in text.decode()
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(path),
            str(ARTIFACTS / "documents-vacancy-page1"),
        ],
        check=True,
    )
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert _no_sideways_scroll(page)
    screenshot(page, "documents-8-vacancy-phone")


def test_house_style_page_at_phone_width(browser_page, sign_in):
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "beheerder@scholengroep-demo.be")
    page.goto("/documenten/huisstijl/")
    assert page.locator("label[for=id_file]").count() == 1
    assert "{{ d.sections }}" in page.content()
    assert _no_sideways_scroll(page)
    screenshot(page, "documents-9-house-style-phone")


def _nav_rows(page) -> int:
    """How many lines the items of the main navigation take (by their top offsets)."""
    tops = page.evaluate(
        "[...document.querySelectorAll("
        "'#mainnav .nav-link, #mainnav select, #mainnav .navbar-text')]"
        ".filter(e => e.offsetParent !== null)"
        ".map(e => e.getBoundingClientRect())"
        ".map(r => Math.round(r.top + r.height / 2))"
    )
    rows: list[int] = []
    for top in sorted(tops):
        if not rows or top - rows[-1] > 8:
            rows.append(top)
    return len(rows)


def test_documents_in_the_menu_and_the_school_bundle_made_in_the_background(browser_page, sign_in):
    """Documenten is in the main menu (active on its pages) without the bar wrapping at
    1300 px; the bundle button makes the file in the background and offers the download.

    Screenshots: documents-menu-1300, documents-bundle-ready, documents-menu-phone."""
    page = browser_page
    # The directeur has the longest menu: every item, the Organisatie menu, the school switch.
    sign_in(page, "directeur@scholengroep-demo.be")
    page.goto("/")
    link = page.locator("#mainnav .nav-link", has_text="Documenten")
    assert link.is_visible()
    assert "active" not in (link.get_attribute("class") or "")
    link.click()
    page.wait_for_url("**/documenten/")
    link = page.locator("#mainnav .nav-link", has_text="Documenten")
    assert "active" in link.get_attribute("class")
    assert link.get_attribute("aria-current") == "page"
    assert _nav_rows(page) == 1
    assert _no_sideways_scroll(page)
    assert not page.locator(".navbar-toggler").is_visible()
    screenshot(page, "documents-menu-1300")

    # The bundle: asked with the button, made by the worker, downloaded from its page.
    page.get_by_role("button", name="Alle functiebeschrijvingen (één PDF)").click()
    page.wait_for_url("**/functiebeschrijvingen/*/")
    page.get_by_text("Het bestand is klaar").wait_for()
    screenshot(page, "documents-bundle-ready")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Downloaden").click()
    path = download_info.value.path()
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)
    assert "Functiebeschrijving" in text.stdout.decode()

    # On a phone the menu folds away; Documenten is in it.
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto("/documenten/")
    assert page.locator(".navbar-toggler").is_visible()
    page.click(".navbar-toggler")
    page.locator("#mainnav").get_by_text("Documenten").wait_for()
    assert _no_sideways_scroll(page)
    screenshot(page, "documents-menu-phone")
