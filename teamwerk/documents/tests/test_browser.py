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
