"""In the browser: a teamlid fills in expertise, the ICT coordinator assigns a trekker and a
back-up in the matrix, and the dashboard follows.

Screenshots (test-artifacts/): team-1-teamlid-kennis, team-2-dashboard-voor,
team-3-matrix-editor, team-4-dashboard-na, team-5-mijn-taken-telefoon,
team-6-matrix-telefoon.
"""

from __future__ import annotations

import pytest

from conftest import screenshot

pytestmark = pytest.mark.browser


def _setup():
    """One task of Campus Noord without anyone, and Tom's answer for its domain unknown."""
    from teamwerk.planning.models import PlannedTask
    from teamwerk.team.models import Assignment, Competence, Person
    from teamwerk.team.selectors import DISTRIBUTABLE
    from teamwerk.tenancy.models import School
    from teamwerk.tenancy.selectors import current_school_year

    noord = School.objects.get(name="Campus Noord")
    task = (
        PlannedTask.objects.filter(
            school=noord,
            plan__school_year=current_school_year(noord.organisation),
            task__domain__code="COO",
        )
        .filter(DISTRIBUTABLE)
        .select_related("task__domain")
        .order_by("task__code")
        .first()
    )
    Assignment.objects.filter(planned_task=task).delete()
    tom = Person.objects.get(first_name="Tom", last_name="Peeters")
    sofie = Person.objects.get(first_name="Sofie", last_name="Maes")
    Competence.objects.filter(person=tom, task=task.task).delete()
    return task, tom, sofie


def _tile(page, index: int) -> str:
    return page.locator("#dashboard-tiles .tw-stat").nth(index).inner_text().strip()


def test_teamlid_fills_in_then_ict_assigns_and_the_dashboard_changes(browser_page, sign_in):
    page = browser_page
    task, tom, sofie = _setup()
    domain = task.task.domain

    # 1. Tom, teamlid, says he knows cooperation well and likes it.
    sign_in(page, "teamlid.noord@scholengroep-demo.be")
    page.goto("/team/mijn-kennis/")
    assert "Wat kan ik, en wat doe ik graag?" in page.inner_text("h1")
    page.click(f"label[for=id_d{domain.pk}_expertise_3]")
    page.click(f"label[for=id_d{domain.pk}_motivation_3]")
    page.fill(f"#id_d{domain.pk}_wish", "Ik wil de werkgroep ICT leiden.")
    page.click("#save-competences")
    page.wait_for_selector("text=Bewaard. Bedankt!")
    screenshot(page, "team-1-teamlid-kennis")
    # Tom cannot change the distribution: no clickable cells.
    page.goto("/team/verdeling/")
    assert page.locator("#matrix[data-cell-url]").count() == 0
    assert page.locator("#matrix td[tabindex]").count() == 0

    # 2. Ilse, ICT coordinator, sees one task without trekker.
    sign_in(page, "ict.noord@scholengroep-demo.be")
    page.goto("/team/")
    assert _tile(page, 0) == "1"
    screenshot(page, "team-2-dashboard-voor")

    # 3. In the matrix she makes Tom trekker and Sofie back-up.
    page.goto("/team/verdeling/?problemen=1")
    page.click(_cell(page, task, tom))
    editor = page.locator("#cell-editor-card")
    editor.wait_for()
    assert "Tom Peeters" in editor.inner_text()
    assert "Kennis 3/3 · motivatie 3/3" in editor.inner_text()
    editor.locator("button[value=owner]").click()
    page.wait_for_selector("#cell-editor-card >> text=Bewaard.")
    assert "o" in page.locator(_cell(page, task, tom)).get_attribute("class").split()
    # Sofie's cell is reached from Tom's with the arrow keys and opened with Enter.
    page.locator("[data-close-editor]").click()
    assert page.evaluate("document.activeElement.parentElement.id") == f"t-{task.pk}"
    step = _column(page, sofie) - _column(page, tom)
    for _ in range(abs(step)):
        page.keyboard.press("ArrowRight" if step > 0 else "ArrowLeft")
    assert page.evaluate("document.activeElement.cellIndex") == _column(page, sofie) + 1
    page.keyboard.press("Enter")
    page.wait_for_selector("#cell-editor-card >> text=Sofie Maes")
    page.locator("#cell-editor-card button[value=backup]").click()
    page.wait_for_selector("#cell-editor-card >> text=Bewaard.")
    assert "b" in page.locator(_cell(page, task, sofie)).get_attribute("class").split()
    # The matrix is one stop for the Tab key: exactly one cell is in the tab order.
    assert page.locator("#matrix td[tabindex='0']").count() == 1
    assert "geen trekker" not in page.locator(f"#t-{task.pk}").inner_text()
    screenshot(page, "team-3-matrix-editor")

    # 4. The dashboard follows.
    page.goto("/team/")
    assert _tile(page, 0) == "0"
    coverage = page.locator("#chart-coverage").inner_html()
    assert "(100%)" in coverage
    screenshot(page, "team-4-dashboard-na")


def _column(page, person) -> int:
    """The person's column in the matrix (0 = first person), as matrix.js reads it."""
    return page.evaluate(
        "pk => document.getElementById('matrix-columns').value.split(',').indexOf(String(pk))",
        person.pk,
    )


def _cell(page, task, person) -> str:
    """The selector of a task's cell for a person: the row is the task, the column the person."""
    return f"#t-{task.pk} > td:nth-child({_column(page, person) + 2})"


def test_my_tasks_and_the_matrix_at_phone_width(browser_page, sign_in):
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "teamlid.noord@scholengroep-demo.be")
    page.goto("/team/mijn-taken/")
    assert page.inner_text("h1") == "Mijn taken"
    assert "Taken die ik trek" in page.content()
    # Nothing sticks out sideways: the person page is the phone view.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "team-5-mijn-taken-telefoon")
    sign_in(page, "ict.noord@scholengroep-demo.be")
    page.goto("/team/verdeling/")
    # The matrix scrolls inside its own box; the page itself does not.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    wrap = page.locator(".tw-matrix-wrap")
    assert wrap.evaluate("el => el.scrollWidth > el.clientWidth")
    page.locator("#matrix tbody td").first.click()
    page.locator("#cell-editor-card").wait_for()
    screenshot(page, "team-6-matrix-telefoon")
