"""Reading uploaded .xlsx sheets at the cost of the rows that hold data.

openpyxl's read-only sheets trust the size a file declares and fill every missing row up to
it: a 5 KB file whose only cell is A1048576 makes ``iter_rows`` produce a million empty rows.
``sheet_rows`` reads the rows that are really in the file, with their own row numbers, and
stops after ``max_rows_read`` of them (empty formatted rows count too)."""

from __future__ import annotations

from collections.abc import Iterator

from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import WorkSheetParser


class TooManyRows(Exception):
    """The sheet holds more rows than the caller reads."""


def sheet_rows(
    sheet, *, max_col: int, max_rows_read: int, values_only: bool = False
) -> Iterator[tuple[int, tuple]]:
    """(row number, cells or values of columns 1..max_col) for every row stored in the sheet."""
    if not isinstance(sheet, ReadOnlyWorksheet):
        # A sheet in memory already holds only its cells; the declared size is not trusted.
        for count, cells in enumerate(
            sheet.iter_rows(max_col=max_col, values_only=values_only), start=1
        ):
            if count > max_rows_read:
                raise TooManyRows
            number = next((c.row for c in cells if hasattr(c, "row")), count)
            yield number, cells
        return
    workbook = sheet.parent
    with sheet._get_source() as source:
        parser = WorkSheetParser(
            source,
            sheet._shared_strings,
            data_only=workbook.data_only,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        for count, (number, row) in enumerate(parser.parse(), start=1):
            if count > max_rows_read:
                raise TooManyRows
            yield number, tuple(sheet._get_row(row, 1, max_col, values_only))
