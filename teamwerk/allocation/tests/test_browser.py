"""The assistant in a real browser: ask for a proposal, accept part of it, run a what-if."""

from __future__ import annotations

import re

import pytest

from conftest import screenshot

pytestmark = pytest.mark.browser


def test_propose_accept_part_and_what_if(browser_page, sign_in):
    page = browser_page
    sign_in(page, "directie.zuid@scholengroep-demo.be")

    page.get_by_role("link", name="Verdelingsassistent").click()
    assert page.locator("h1").inner_text().startswith("Verdelingsassistent")
    screenshot(page, "allocation-01-home")

    page.locator("main .card").get_by_role("link", name="Stel een verdeling voor").click()
    page.get_by_label("Hoog: verander alleen wat echt moet").check()
    screenshot(page, "allocation-02-choices")
    page.click("#start-proposal")

    # The run works in the background; the page shows the proposal once it is done.
    page.locator("#proposal-summary").wait_for(timeout=60000)
    summary = page.locator("#proposal-summary").inner_text()
    assert "26/26" in summary  # every task of Campus Zuid gets a trekker
    assert "Continuïteit: hoog" in page.locator("main").inner_text()
    screenshot(page, "allocation-03-proposal")

    # Accept one task: it is applied at once, the rest waits.
    row = page.locator("#proposal-table tr:has(button.btn-outline-primary)").first
    code = row.locator(".tw-code").inner_text()
    new_owner = row.locator("td").nth(1).locator("div").first.inner_text()
    row.locator("button").click()
    page.locator(".alert-success").wait_for()
    assert "aangepast" in page.locator(".alert-success").inner_text()
    accepted = page.locator(f"#proposal-table tr:has(.tw-code:text-is('{code}'))")
    assert "aanvaard" in accepted.inner_text()
    screenshot(page, "allocation-04-one-accepted")

    # The distribution page of the team shows the new trekker of that task.
    page.goto("/team/verdeling/")
    task_row = page.locator(f"#matrix tr:has(.tw-code:text-is('{code}'))")
    assert re.sub(r"^T\s*", "", new_owner).split()[0] in page.locator("#matrix thead").inner_text()
    assert "geen trekker" not in task_row.inner_text()

    # What if Wim, the only one who knows the technical work, leaves?
    page.goto("/verdelingsassistent/wat-als/")
    page.select_option("#id_person", label="Wim Claes")
    page.click("#start-whatif")
    page.locator("#whatif-impact").wait_for(timeout=60000)
    impact = page.locator("#whatif-impact").inner_text()
    assert "Wat er verandert als Wim Claes uitvalt" in impact
    assert "Technisch" in page.locator("#whatif-knowledge").inner_text()
    assert page.locator("#whatif-owner-tasks li").count() >= 1
    screenshot(page, "allocation-05-what-if")
