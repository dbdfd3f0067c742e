"""An .xlsx whose only cell is A1048576 is read at the cost of one row (finding 12).

openpyxl's read-only sheets fill every missing row up to the size a file declares; the
readers of the plan import and the people import read only the rows stored in the file."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from teamwerk.planning.models import TaskPlan
from teamwerk.tenancy.selectors import current_school_year

pytestmark = pytest.mark.django_db


def last_cell_only() -> bytes:
    workbook = Workbook()
    workbook.active["A1048576"] = "Voornaam"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def rows_produced(monkeypatch):
    """Counts every row openpyxl hands out of a read-only sheet, filled-in empty ones too."""
    counted = {"rows": 0}
    cells_by_row = ReadOnlyWorksheet._cells_by_row
    get_row = ReadOnlyWorksheet._get_row

    def counting_cells_by_row(self, *args, **kwargs):
        for row in cells_by_row(self, *args, **kwargs):
            counted["rows"] += 1
            yield row

    def counting_get_row(self, *args, **kwargs):
        counted["rows"] += 1
        return get_row(self, *args, **kwargs)

    monkeypatch.setattr(ReadOnlyWorksheet, "_cells_by_row", counting_cells_by_row)
    monkeypatch.setattr(ReadOnlyWorksheet, "_get_row", counting_get_row)
    return counted


def test_the_file_is_small_and_declares_a_million_rows():
    data = last_cell_only()
    assert len(data) < 10_000
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
    assert b'<dimension ref="A1048576:A1048576"' in sheet


def test_plan_import_reads_one_row_and_explains(world, client_for, rows_produced):
    plan = TaskPlan.objects.get(
        school=world.noord, school_year=current_school_year(world.organisation)
    )
    response = client_for("ict_noord").post(
        reverse("plan_import", kwargs={"pk": plan.pk}),
        {"file": SimpleUploadedFile("takenoverzicht.xlsx", last_cell_only())},
        follow=True,
    )
    page = response.content.decode()
    assert "We vinden de kopregel niet" in page
    assert rows_produced["rows"] <= 2


def test_people_import_reads_one_row_and_explains(world, client_for, rows_produced):
    response = client_for("ict_noord").post(
        reverse("team_import"),
        {"file": SimpleUploadedFile("mensen.xlsx", last_cell_only())},
        follow=True,
    )
    assert response.status_code in (200, 422)
    assert rows_produced["rows"] <= 2
    assert 'class="alert alert-danger"' in response.content.decode() or "invalid-feedback" in (
        response.content.decode()
    )
