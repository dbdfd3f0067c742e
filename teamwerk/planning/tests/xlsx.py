"""Helpers to export a plan, edit the workbook like a school would, and upload it again."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from teamwerk.planning import excel, selectors

HEADER_ROW = 7


def export_bytes(plan) -> bytes:
    return excel.export_plan(
        plan, selectors.plan_items(plan), hours_available=selectors.hours_available(plan)
    )


def upload(content: bytes, name: str = "takenoverzicht.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=excel.XLSX_CONTENT_TYPE)


def columns(sheet) -> dict[str, int]:
    """Header text -> column number of the exported sheet."""
    return {cell.value: cell.column for cell in sheet[HEADER_ROW] if isinstance(cell.value, str)}


def row_of(sheet, code: str) -> int:
    for row in range(HEADER_ROW + 1, sheet.max_row + 1):
        if sheet.cell(row=row, column=1).value == code:
            return row
    raise KeyError(code)


def edit(content: bytes, changes: dict[str, dict[str, object]], add_rows=()) -> bytes:
    """Set cells by task code and header text ({"POL-01": {"Uren per jaar": 12}}); append rows
    ({"Domein": ..., "Taak": ...}) under the last row, as someone typing in Excel would."""
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook.worksheets[0]
    header = columns(sheet)
    for code, values in changes.items():
        row = row_of(sheet, code)
        for title, value in values.items():
            sheet.cell(row=row, column=header[title], value=value)
    last = sheet.max_row
    for offset, values in enumerate(add_rows, start=1):
        for title, value in values.items():
            sheet.cell(row=last + offset, column=header[title], value=value)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def read(plan, content: bytes, **kwargs):
    """Read and compare with the plan: (rows, validation, every problem)."""
    return excel.check_file(plan, upload(content), **kwargs)
