"""The task overview in a real browser: inline editing, Excel out, Excel in with a preview."""

import io

import pytest
from openpyxl import load_workbook

from conftest import screenshot

from .xlsx import columns, row_of

pytestmark = pytest.mark.browser

ICT_NOORD = "ict.noord@scholengroep-demo.be"


def test_edit_inline_export_import_and_preview(browser_page, sign_in, tmp_path):
    page = browser_page
    sign_in(page, ICT_NOORD)
    page.goto("/takenoverzicht/")
    page.wait_for_selector("#plan-table")
    screenshot(page, "planning-plan")

    # Inline: change the hours of a task; the row flashes "Bewaard", totals follow.
    row = page.locator("tr.tw-item", has_text="POL-01")
    row_id = row.get_attribute("id")
    needed_before = page.locator("#plan-totals").inner_text()
    hours = page.locator(f"#{row_id} input[name=hours]")
    hours.fill("16")
    hours.press("Tab")
    page.wait_for_selector(f"#{row_id}.tw-saved")
    assert "Bewaard" in page.locator(f"#{row_id}").inner_text()
    assert page.locator("#plan-totals").inner_text() != needed_before
    # The row is swapped out by the save: wait for that answer before looking at it again.
    with page.expect_response(lambda response: response.request.method == "POST"):
        page.select_option(f"#{row_id} select[name=priority]", "2")
    page.wait_for_selector(f"#{row_id} .tw-saved-note")
    assert page.locator(f"#{row_id} select[name=priority]").input_value() == "2"
    page.locator(f"#{row_id}").scroll_into_view_if_needed()
    screenshot(page, "planning-inline-saved")

    # Excel out.
    with page.expect_download() as download_info:
        page.click("[data-testid=export]")
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    path = tmp_path / download.suggested_filename
    download.save_as(path)

    # The school edits the file in Excel ...
    workbook = load_workbook(path)
    sheet = workbook.worksheets[0]
    header = columns(sheet)
    assert sheet.cell(row=row_of(sheet, "POL-01"), column=header["Uren per jaar"]).value == 16
    sheet.cell(row=row_of(sheet, "POL-01"), column=header["Uren per jaar"], value=24)
    sheet.cell(row=row_of(sheet, "TEC-12"), column=header["Horizon"], value="Laten vallen")
    edited = tmp_path / "bewerkt.xlsx"
    workbook.save(edited)

    # ... and uploads it: a preview first, nothing saved yet.
    page.click("text=Excel inlezen")
    page.set_input_files("input[type=file]", str(edited))
    page.click("main form button:has-text('Bestand nakijken')")
    page.wait_for_selector("#import-changes")
    preview = page.locator("#import-changes").inner_text()
    assert "Vertrekken vanuit de gedeelde ICT-visie" in preview and "24" in preview
    assert "Printers, projectie en klasapparatuur" in preview and "Laten vallen" in preview
    screenshot(page, "planning-import-preview")

    page.click("button:has-text('Bevestigen')")
    page.wait_for_selector(".alert-success")
    assert "2 taken aangepast" in page.locator(".alert-success").inner_text()
    row = page.locator("tr.tw-item", has_text="POL-01")
    assert row.locator("input[name=hours]").input_value() == "24"


def test_a_bad_file_is_explained_row_by_row(browser_page, sign_in, tmp_path):
    page = browser_page
    sign_in(page, ICT_NOORD)
    page.goto("/takenoverzicht/")
    with page.expect_download() as download_info:
        page.click("[data-testid=export]")
    path = tmp_path / "plan.xlsx"
    download_info.value.save_as(path)
    workbook = load_workbook(io.BytesIO(path.read_bytes()))
    sheet = workbook.worksheets[0]
    header = columns(sheet)
    sheet.cell(row=row_of(sheet, "POL-02"), column=header["Uren per jaar"], value="veel")
    sheet.cell(row=row_of(sheet, "POL-03"), column=header["Uren per jaar"], value="=2*8")
    workbook.save(path)
    page.click("text=Excel inlezen")
    page.set_input_files("input[type=file]", str(path))
    page.click("main form button:has-text('Bestand nakijken')")
    page.wait_for_selector("#import-errors")
    errors = page.locator("#import-errors").inner_text()
    assert "is geen getal" in errors and "formule" in errors
    screenshot(page, "planning-import-errors")


def test_the_plan_on_a_phone(browser_page, sign_in):
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "directie.zuid@scholengroep-demo.be")
    page.goto("/takenoverzicht/")
    page.wait_for_selector("#plan-table")
    # Undecided tasks stand out, and the choices sit under the task, labelled.
    row = page.locator("tr.tw-undecided").first
    assert row.is_visible()
    assert row.locator(".tw-cell-label").first.is_visible()
    row.scroll_into_view_if_needed()
    screenshot(page, "planning-phone")


def test_the_group_decisions(browser_page, sign_in):
    page = browser_page
    sign_in(page, "directeur@scholengroep-demo.be")
    page.goto("/takenoverzicht/groep/?toon=kandidaten")
    row = page.locator("#group-tasks tr", has_text="Eerstelijns ICT-helpdesk")
    assert "schaalvoordeel" in row.inner_text()
    screenshot(page, "planning-group")
    row.locator("button:has-text('Naar groepsniveau')").click()
    page.wait_for_selector(".alert-success")
    assert "groepsniveau" in page.locator(".alert-success").inner_text()
