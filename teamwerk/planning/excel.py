"""A task plan as an Excel workbook, and back.

Export: one row per task, grouped by domain (a heading row with the domain's hours, and the
task rows as an Excel outline group), dropdowns on the choice columns, hours as numbers,
totals at the top. Text that a spreadsheet could take for a formula is neutralised.

Import is defensive, because the file comes from outside: the size of the upload and of
its unpacked contents are checked before openpyxl opens it (an .xlsx is a zip of XML;
defusedxml, which openpyxl uses when installed, refuses XML bombs), rows are capped, columns
are found by their header, every cell is checked, and every problem is reported with its row
number, column and a message. Reading never writes; :func:`validate_rows` compares the rows
with the plan and says what would change.
"""

from __future__ import annotations

import io
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from teamwerk.catalogue.models import Domain, Task
from teamwerk.core.xlsx import TooManyRows, sheet_rows

from .models import Horizon, PlannedTask, Priority, TaskPlan
from .values import (
    CHOICE_FIELDS,
    EDITABLE_FIELDS,
    MAX_HOURS,
    InvalidValue,
    clean_value,
    display_value,
)

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_ZIP_ENTRIES = 500
MAX_ROWS = 2000
MAX_COLUMNS = 40
HEADER_SEARCH_ROWS = 15
MAX_TITLE = 255
# Rows past the last task that still get dropdowns, so added rows are checked in Excel too.
SPARE_ROWS = 200
# A cell that starts with one of these could be read as a formula (formula injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"
STRUCTURE_MARK = "#"  # in the hidden code column: domain headings and other layout rows

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    key: str
    label: Promise
    width: int
    editable: bool = False


COLUMNS = (
    Column("code", gettext_lazy("Code"), 11),
    Column("domain", gettext_lazy("Domein"), 18),
    Column("title", gettext_lazy("Taak"), 46),
    Column("applies", gettext_lazy("Van toepassing"), 15, True),
    Column("horizon", gettext_lazy("Horizon"), 24, True),
    Column("level", gettext_lazy("Niveau"), 10, True),
    Column("sourcing", gettext_lazy("Wie voert uit"), 15, True),
    Column("hours", gettext_lazy("Uren per jaar"), 12, True),
    Column("priority", gettext_lazy("Prioriteit"), 11, True),
    Column("notes", gettext_lazy("Notities"), 42, True),
    Column("usual", gettext_lazy("Gebruikelijke uren"), 13),
    Column("flags", gettext_lazy("Kenmerken"), 30),
)
COLUMN_BY_KEY = {column.key: column for column in COLUMNS}
REQUIRED_COLUMNS = ("code", *EDITABLE_FIELDS)
SHEET_TITLE = gettext_lazy("Takenoverzicht")
HELP_TITLE = gettext_lazy("Uitleg")


# -- neutralising text ---------------------------------------------------------------------------


def neutralise(text: str) -> str:
    """Text that would start like a formula gets a leading apostrophe; so does text that
    already starts with one, so :func:`unneutralise` can always undo it exactly."""
    if text and (text.startswith(FORMULA_STARTS) or text.startswith(ESCAPE)):
        return ESCAPE + text
    return text


def unneutralise(text: str) -> str:
    if len(text) > 1 and text.startswith(ESCAPE) and text[1:].startswith((*FORMULA_STARTS, ESCAPE)):
        return text[1:]
    return text


def _put_text(cell, text: str) -> None:
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    cell.value = neutralise(text)
    cell.data_type = "s"  # never a formula, whatever the text
    if cell.value != text:
        cell.quotePrefix = True


# -- export --------------------------------------------------------------------------------------

HEADER_FILL = PatternFill("solid", fgColor="0B5C7A")
INFO_FILL = PatternFill("solid", fgColor="5C6B73")
DOMAIN_FILL = PatternFill("solid", fgColor="DCEBF2")
EDIT_FILL = PatternFill("solid", fgColor="FFFBEA")
TOTAL_FILL = PatternFill("solid", fgColor="F1F3F5")
WHITE_BOLD = Font(bold=True, color="FFFFFF")
THIN = Side(style="thin", color="C8D1D6")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")


def _named_styles() -> list[NamedStyle]:
    """Styles are registered once and named per cell: much faster than styling each cell."""
    return [
        NamedStyle("tw_info", border=GRID, alignment=TOP),
        NamedStyle("tw_info_wrap", border=GRID, alignment=WRAP),
        NamedStyle("tw_edit", border=GRID, alignment=TOP, fill=EDIT_FILL),
        NamedStyle("tw_edit_wrap", border=GRID, alignment=WRAP, fill=EDIT_FILL),
        NamedStyle("tw_domain", border=GRID, fill=DOMAIN_FILL, font=Font(bold=True)),
    ]


def _choice_labels(field: str) -> list[str]:
    choices = Priority if field == "priority" else CHOICE_FIELDS[field]
    return [str(label) for label in choices.labels]


class _Texts:
    """Every label the export writes, translated once (not once per cell)."""

    def __init__(self) -> None:
        self.yes, self.no = _("Ja"), _("Nee")
        self.choices = {
            field: {value: str(label) for value, label in choices.choices}
            for field, choices in (*CHOICE_FIELDS.items(), ("priority", Priority))
        }
        self.flags = {
            "core": _("kerntaak"),
            "strategic": _("strategisch"),
            "technical": _("technisch"),
            "needs_pedagogical_qualification": _("pedagogische bekwaamheid"),
            "outsourceable": _("uitbesteedbaar"),
        }
        self.own = _("eigen taak")

    def flags_of(self, task: Task) -> str:
        names = [label for flag, label in self.flags.items() if getattr(task, flag)]
        if not task.is_standard:
            names.append(self.own)
        return ", ".join(names)

    def cell_value(self, field: str, item: PlannedTask):
        value = getattr(item, field)
        if value is None or value == "":
            return None
        if field == "applies":
            return self.yes if value else self.no
        if field in self.choices:
            return self.choices[field][value]
        if field == "hours":
            return int(value) if value == value.to_integral_value() else float(value)
        return value


def export_plan(plan: TaskPlan, items: list[PlannedTask], *, hours_available) -> bytes:
    """The plan as .xlsx bytes, in the active language. ``items`` with task and domain loaded."""
    workbook = Workbook()
    for style in _named_styles():
        workbook.add_named_style(style)
    sheet = workbook.active
    sheet.title = str(SHEET_TITLE)
    letters = {column.key: get_column_letter(i) for i, column in enumerate(COLUMNS, start=1)}
    where = plan.school.name if plan.school_id else plan.organisation.name

    sheet["B1"] = _("Takenoverzicht %(where)s · %(year)s") % {
        "where": where,
        "year": plan.school_year,
    }
    sheet["B1"].data_type = "s"
    sheet["B1"].font = Font(bold=True, size=14)
    header_row = 7
    first = header_row + 1

    # Layout rows first, so the totals know the range of task rows.
    rows: list[tuple[str, object]] = []
    for domain, domain_items in _by_domain(items):
        rows.append(("domain", (domain, domain_items)))
        rows.extend(("task", item) for item in domain_items)
    last_task_row = header_row + len(rows)
    edit_last = last_task_row + SPARE_ROWS

    def active_sum(row_from: int, row_to: int, horizon_excluded: tuple[str, ...]) -> str:
        hours = f"{letters['hours']}{row_from}:{letters['hours']}{row_to}"
        applies = f"{letters['applies']}{row_from}:{letters['applies']}{row_to}"
        horizon = f"{letters['horizon']}{row_from}:{letters['horizon']}{row_to}"
        conditions = "".join(f',{horizon},"<>{label}"' for label in horizon_excluded)
        return f'=SUMIFS({hours},{applies},"{_("Ja")}"{conditions})'

    later = str(Horizon.LATER.label)
    dropped = str(Horizon.DROPPED.label)
    totals = [
        (
            _("Uren nodig dit jaar (van toepassing, niet uitgesteld)"),
            active_sum(first, edit_last, (later, dropped)),
        ),
        (
            _("Uren voor later gespreid"),
            f"=SUMIFS({letters['hours']}{first}:{letters['hours']}{edit_last},"
            f'{letters["horizon"]}{first}:{letters["horizon"]}{edit_last},"{later}")',
        ),
        (_("ICT-uren beschikbaar"), float(hours_available or 0)),
        (_("Verschil (beschikbaar min nodig)"), "=C4-C2"),
    ]
    for offset, (label, value) in enumerate(totals, start=2):
        label_cell = sheet.cell(row=offset, column=2, value=label)
        label_cell.data_type = "s"
        label_cell.font = Font(bold=True)
        value_cell = sheet.cell(row=offset, column=3, value=value)
        value_cell.alignment = Alignment(horizontal="left")
        value_cell.font = Font(bold=True)
    hint = sheet.cell(
        row=6,
        column=2,
        value=_(
            "Vul de gele kolommen in en laad het bestand weer op in Teamwerk. "
            "De verborgen kolom A houdt elke taak vast: laat ze staan. Meer uitleg op het "
            "tweede blad."
        ),
    )
    hint.data_type = "s"
    hint.font = Font(italic=True, color="5C6B73")

    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=header_row, column=index, value=str(column.label))
        cell.data_type = "s"
        cell.font = WHITE_BOLD
        cell.fill = HEADER_FILL if column.editable or column.key == "title" else INFO_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        cell.border = GRID
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.column_dimensions["A"].hidden = True
    sheet.row_dimensions[header_row].height = 32

    texts = _Texts()
    row_number = header_row
    for kind, payload in rows:
        row_number += 1
        if kind == "domain":
            domain, domain_items = payload
            _write_domain_row(sheet, row_number, domain, len(domain_items), letters, active_sum)
        else:
            _write_task_row(sheet, row_number, payload, texts)

    _add_validations(sheet, letters, first, edit_last)
    sheet.freeze_panes = sheet.cell(row=first, column=4)
    sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(len(COLUMNS))}{last_task_row}"
    sheet.sheet_properties.outlinePr.summaryBelow = False
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{header_row}:{header_row}"
    _write_help_sheet(workbook.create_sheet(str(HELP_TITLE)))
    workbook.calculation.fullCalcOnLoad = True

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _by_domain(items: list[PlannedTask]):
    groups: dict[int, tuple[Domain, list[PlannedTask]]] = {}
    for item in items:
        domain = item.task.domain
        groups.setdefault(domain.pk, (domain, []))[1].append(item)
    return sorted(groups.values(), key=lambda pair: (pair[0].order, pair[0].code))


def _write_domain_row(sheet, row, domain: Domain, count: int, letters, active_sum) -> None:
    later = str(Horizon.LATER.label)
    dropped = str(Horizon.DROPPED.label)
    sheet.cell(row=row, column=1, value=f"{STRUCTURE_MARK}{domain.code}").data_type = "s"
    name = sheet.cell(row=row, column=2, value=neutralise(domain.name))
    name.data_type = "s"
    summary = sheet.cell(
        row=row, column=3, value=_("%(count)s taken · uren nodig dit jaar →") % {"count": count}
    )
    summary.data_type = "s"
    hours_column = COLUMNS.index(COLUMN_BY_KEY["hours"]) + 1
    sheet.cell(
        row=row,
        column=hours_column,
        value=active_sum(row + 1, row + count, (later, dropped)),
    )
    for index in range(1, len(COLUMNS) + 1):
        sheet.cell(row=row, column=index).style = "tw_domain"
    summary.alignment = Alignment(horizontal="right")


def _write_task_row(sheet, row, item: PlannedTask, texts: _Texts) -> None:
    task = item.task
    values = {
        "code": task.code,
        "domain": task.domain.name,
        "title": task.title,
        "usual": f"{task.hours_min}–{task.hours_max}" if task.hours_max else "",
        "flags": texts.flags_of(task),
    }
    for field_name in EDITABLE_FIELDS:
        values[field_name] = texts.cell_value(field_name, item)
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=row, column=index)
        value = values[column.key]
        wrap = "_wrap" if column.key in ("title", "notes") else ""
        cell.style = f"tw_edit{wrap}" if column.editable else f"tw_info{wrap}"
        # The value after the style: a neutralised text sets its own quote prefix.
        if isinstance(value, str):
            _put_text(cell, value)
        else:
            cell.value = value
    sheet.row_dimensions[row].outlineLevel = 1


def _add_validations(sheet, letters, first: int, last: int) -> None:
    def listed(field_name: str, labels: list[str]) -> DataValidation:
        for label in labels:
            # An inline list is comma separated; a label with a comma would split in two.
            assert "," not in label and '"' not in label, label
        validation = DataValidation(
            type="list",
            formula1='"' + ",".join(labels) + '"',
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=_("Kies uit de lijst"),
            error=_("Kies een waarde uit de lijst, of laat de cel leeg."),
        )
        validation.add(f"{letters[field_name]}{first}:{letters[field_name]}{last}")
        return validation

    validations = [
        listed("applies", [_("Ja"), _("Nee")]),
        listed("horizon", _choice_labels("horizon")),
        listed("level", _choice_labels("level")),
        listed("sourcing", _choice_labels("sourcing")),
        listed("priority", _choice_labels("priority")),
    ]
    hours = DataValidation(
        type="decimal",
        operator="between",
        formula1="0",
        formula2=str(MAX_HOURS),
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_("Uren"),
        error=_("Vul een aantal uren in (een getal, 0 of meer)."),
    )
    hours.add(f"{letters['hours']}{first}:{letters['hours']}{last}")
    validations.append(hours)
    for validation in validations:
        sheet.add_data_validation(validation)


def _write_help_sheet(sheet) -> None:
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 90
    lines = [
        (_("Zo werkt dit bestand"), ""),
        ("", _("Elke rij is een taak. Vul de gele kolommen in; de andere zijn ter info.")),
        (
            "",
            _(
                "Laad het bestand daarna op in Teamwerk: je ziet eerst wat er verandert en "
                "pas na je bevestiging wordt iets bewaard."
            ),
        ),
        ("", _("Kolom A is verborgen en bevat de taakcode. Wijzig of wis ze niet.")),
        (
            "",
            _(
                "Een nieuwe taak? Voeg onderaan een rij toe met een domein en een titel en laat "
                "de code leeg."
            ),
        ),
        ("", _("Formules kan Teamwerk niet inlezen: typ getallen en keuzes zelf.")),
        ("", ""),
        (
            str(COLUMN_BY_KEY["applies"].label),
            f"{_('Ja')} / {_('Nee')} — {_('leeg = nog niet beslist')}",
        ),
        (str(COLUMN_BY_KEY["horizon"].label), " / ".join(_choice_labels("horizon"))),
        (str(COLUMN_BY_KEY["level"].label), " / ".join(_choice_labels("level"))),
        (str(COLUMN_BY_KEY["sourcing"].label), " / ".join(_choice_labels("sourcing"))),
        (str(COLUMN_BY_KEY["hours"].label), _("een getal, bijvoorbeeld 12 of 7,5")),
        (str(COLUMN_BY_KEY["priority"].label), " / ".join(_choice_labels("priority"))),
        (str(COLUMN_BY_KEY["notes"].label), _("vrije tekst")),
    ]
    for row, (label, text) in enumerate(lines, start=1):
        first = sheet.cell(row=row, column=1, value=label)
        first.data_type = "s"
        first.font = Font(bold=True, size=13 if row == 1 else 11)
        second = sheet.cell(row=row, column=2, value=text)
        second.data_type = "s"
        second.alignment = Alignment(wrap_text=True, vertical="top")


# -- reading a file ------------------------------------------------------------------------------


@dataclass
class RowError:
    """One problem: where it is (row number and column as the user sees them) and what."""

    message: str
    row: int | None = None
    column: str = ""

    def __str__(self) -> str:
        if self.row and self.column:
            return _("Rij %(row)s, kolom %(column)s: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        if self.row:
            return _("Rij %(row)s: %(message)s") % {"row": self.row, "message": self.message}
        return self.message


@dataclass
class ImportRow:
    """A task row read from a file: its values are clean, not yet compared with the plan."""

    row: int
    code: str
    title: str = ""
    domain: str = ""
    values: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        values = dict(self.values)
        if values.get("hours") is not None:
            values["hours"] = str(values["hours"])
        return {
            "row": self.row,
            "code": self.code,
            "title": self.title,
            "domain": self.domain,
            "values": values,
        }

    @classmethod
    def from_json(cls, data: dict) -> ImportRow:
        values = dict(data.get("values") or {})
        if values.get("hours") is not None:
            values["hours"] = Decimal(values["hours"])
        return cls(
            row=int(data["row"]),
            code=str(data.get("code") or ""),
            title=str(data.get("title") or ""),
            domain=str(data.get("domain") or ""),
            values={k: v for k, v in values.items() if k in EDITABLE_FIELDS},
        )


@dataclass
class ReadResult:
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def _header_aliases() -> dict[str, str]:
    aliases: dict[str, str] = {}
    for language in ("nl", "en"):
        with translation.override(language):
            for column in COLUMNS:
                aliases[_normal(str(column.label))] = column.key
    for column in COLUMNS:
        aliases.setdefault(column.key, column.key)
    return aliases


def _normal(text) -> str:
    return " ".join(str(text).replace("*", "").split()).casefold()


def _fail(message: str) -> ReadResult:
    return ReadResult(errors=[RowError(message)])


def read_plan_file(upload, *, max_rows: int = MAX_ROWS) -> ReadResult:
    """Read an uploaded .xlsx (a Django UploadedFile or any file-like object with ``size``).

    Returns the task rows with clean values, or every problem found. Never writes.
    """
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_FILE_BYTES:
        return _fail(
            _("Het bestand is te groot (%(size)s MB). Het mag hoogstens %(max)s MB zijn.")
            % {"size": round(size / 1024 / 1024, 1), "max": MAX_FILE_BYTES // 1024 // 1024}
        )
    data = upload.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        return _fail(
            _("Het bestand is te groot. Het mag hoogstens %(max)s MB zijn.")
            % {"max": MAX_FILE_BYTES // 1024 // 1024}
        )
    problem = _check_archive(data)
    if problem:
        return _fail(problem)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # noqa: BLE001 - a hostile or broken file can fail in many ways
        return _fail(_unreadable())
    try:
        return _read_sheet(_pick_sheet(workbook), max_rows=max_rows)
    except Exception:  # noqa: BLE001 - e.g. an XML bomb inside the sheet, found while reading
        return _fail(_unreadable())
    finally:
        workbook.close()


def _unreadable() -> str:
    return _(
        "We konden dit bestand niet lezen. Bewaar het in Excel opnieuw als "
        "Excel-werkmap (.xlsx) en probeer nog eens."
    )


def _check_archive(data: bytes) -> str | None:
    """Reject what is not an .xlsx, or what would unpack to too much, before parsing any XML."""
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return _(
            "Dit is een ouder Excel-bestand (.xls). Bewaar het in Excel als "
            "Excel-werkmap (.xlsx) en laad het opnieuw op."
        )
    not_xlsx = _(
        "Dit is geen Excel-bestand (.xlsx). Exporteer het takenoverzicht uit Teamwerk, "
        "vul het in en laad dat bestand op."
    )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        return not_xlsx
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ZIP_ENTRIES:
            return _("Dit bestand bevat ongewoon veel onderdelen en wordt niet ingelezen.")
        # The sizes in the zip directory are what zipfile will unpack at most: it stops there
        # and fails the checksum when an entry holds more than it declares.
        unpacked = sum(entry.file_size for entry in entries)
        if unpacked > MAX_UNPACKED_BYTES:
            return _(
                "Dit bestand zou uitgepakt meer dan %(max)s MB worden en wordt niet ingelezen. "
                "Een takenoverzicht is veel kleiner: exporteer het opnieuw uit Teamwerk."
            ) % {"max": MAX_UNPACKED_BYTES // 1024 // 1024}
        names = {entry.filename for entry in entries}
        if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
            return not_xlsx
    return None


def _pick_sheet(workbook):
    titles = set()
    for language in ("nl", "en"):
        with translation.override(language):
            titles.add(_normal(str(SHEET_TITLE)))
    for sheet in workbook.worksheets:
        if _normal(sheet.title) in titles:
            return sheet
    return workbook.worksheets[0]


def _is_formula(cell) -> bool:
    return getattr(cell, "data_type", None) == "f"


def _read_sheet(sheet, *, max_rows: int) -> ReadResult:
    try:
        return _read_rows(sheet, max_rows=max_rows)
    except TooManyRows:
        return _fail(
            _(
                "Het bestand heeft te veel rijen. Verwijder de lege rijen onderaan en "
                "probeer opnieuw."
            )
        )


def _read_rows(sheet, *, max_rows: int) -> ReadResult:
    result = ReadResult()
    aliases = _header_aliases()
    # Only the rows stored in the file, never the size it declares (a lone cell in A1048576
    # must not cost a million empty rows), and a hard stop on the stored rows read.
    rows = sheet_rows(
        sheet, max_col=MAX_COLUMNS, max_rows_read=HEADER_SEARCH_ROWS + max(max_rows * 5, 10_000)
    )

    header_row = None
    positions: dict[str, int] = {}
    for number, cells in rows:
        if number > HEADER_SEARCH_ROWS:
            break
        texts = [_normal(c.value) if isinstance(c.value, str) else "" for c in cells]
        keys = [aliases.get(text) for text in texts]
        if "code" in keys and sum(1 for key in keys if key) >= 3:
            header_row = number
            duplicates = [k for k, count in Counter(k for k in keys if k).items() if count > 1]
            if duplicates:
                names = ", ".join(str(COLUMN_BY_KEY[k].label) for k in duplicates)
                return _fail(
                    _("Deze kolommen staan er meer dan één keer in: %(names)s.") % {"names": names}
                )
            positions = {key: index for index, key in enumerate(keys) if key}
            break
    if header_row is None:
        names = ", ".join(str(COLUMN_BY_KEY[key].label) for key in REQUIRED_COLUMNS)
        return _fail(
            _(
                "We vinden de kopregel niet. Het bestand moet de kolommen %(names)s hebben, "
                "zoals in een export uit Teamwerk."
            )
            % {"names": names}
        )
    missing = [key for key in REQUIRED_COLUMNS if key not in positions]
    if missing:
        names = ", ".join(str(COLUMN_BY_KEY[key].label) for key in missing)
        return _fail(
            _(
                "Deze kolommen ontbreken: %(names)s. Zet ze terug (de kolom Code is verborgen "
                "kolom A) of exporteer het takenoverzicht opnieuw."
            )
            % {"names": names}
        )

    data_rows = 0
    for number, cells in rows:
        row = _read_row(number, cells, positions, result.errors)
        if row is None:
            continue
        data_rows += 1
        if data_rows > max_rows:
            return _fail(
                _(
                    "Het bestand heeft meer dan %(max)s taakrijen. Zoveel taken heeft een "
                    "takenoverzicht niet: kijk na of je het juiste bestand koos."
                )
                % {"max": f"{max_rows:,}".replace(",", ".")}
            )
        result.rows.append(row)
    return result


def _read_row(number: int, cells, positions: dict[str, int], errors: list[RowError]):
    def cell(key):
        index = positions.get(key)
        if index is None or index >= len(cells):
            return None
        return cells[index]

    def label(key) -> str:
        return str(COLUMN_BY_KEY[key].label)

    def text(key) -> str:
        found = cell(key)
        value = getattr(found, "value", None)
        if value is None or _is_formula(found):
            return ""
        return unneutralise(str(value)).strip() if isinstance(value, str) else str(value)

    code = text("code")
    if code.startswith(STRUCTURE_MARK):
        return None  # a domain heading or another layout row of the export
    wanted = [cell(key) for key in ("code", "title", "domain", *EDITABLE_FIELDS)]
    if all(getattr(c, "value", None) in (None, "") for c in wanted):
        return None  # an empty row

    row = ImportRow(row=number, code=code, title=text("title"), domain=text("domain"))
    for key in ("code", "title", "domain"):
        if _is_formula(cell(key)):
            errors.append(RowError(_formula_message(), number, label(key)))
    for key in EDITABLE_FIELDS:
        found = cell(key)
        if _is_formula(found):
            errors.append(RowError(_formula_message(), number, label(key)))
            continue
        value = getattr(found, "value", None)
        if isinstance(value, str):
            value = unneutralise(value)
        try:
            row.values[key] = clean_value(key, value)
        except InvalidValue as error:
            errors.append(RowError(str(error), number, label(key)))
    return row


def _formula_message() -> str:
    return _("hier staat een formule. Typ de waarde zelf in; formules lezen we niet in.")


# -- comparing with the plan ---------------------------------------------------------------------


@dataclass
class Change:
    """What one row does to the plan: update a task, add a catalogue task, or a new task."""

    kind: str  # "update" | "add" | "new"
    row: int
    code: str
    title: str
    item: PlannedTask | None = None
    task: Task | None = None
    domain: Domain | None = None
    values: dict = field(default_factory=dict)
    fields: dict = field(default_factory=dict)  # name -> (old, new)

    def described(self) -> list[tuple[str, str, str]]:
        """(field label, old, new) for display."""
        from .values import field_label

        return [
            (field_label(name), display_value(name, old), display_value(name, new))
            for name, (old, new) in self.fields.items()
        ]


@dataclass
class Validation:
    changes: list[Change] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    unchanged: int = 0
    not_in_file: int = 0


def _domain_lookup() -> dict[str, Domain]:
    lookup = {}
    for domain in Domain.objects.all():
        for key in (domain.code, domain.name_nl, domain.name_en):
            if key:
                lookup[_normal(key)] = domain
    return lookup


def validate_rows(plan: TaskPlan, rows: list[ImportRow]) -> Validation:
    """Compare read rows with the plan: what would change, and what cannot be imported."""
    result = Validation()
    items = {
        item.task.code.casefold(): item
        for item in plan.items.select_related("task", "task__domain")
    }
    catalogue = {
        task.code.casefold(): task
        for task in Task.objects.visible_to_organisation(plan.organisation).select_related("domain")
    }
    domains = _domain_lookup()
    seen: dict[str, int] = {}
    for row in rows:
        code = row.code.casefold()
        if code:
            if code in seen:
                result.errors.append(
                    RowError(
                        _("taak %(code)s staat ook al in rij %(other)s.")
                        % {"code": row.code, "other": seen[code]},
                        row.row,
                        str(COLUMN_BY_KEY["code"].label),
                    )
                )
                continue
            seen[code] = row.row
        if code in items:
            item = items[code]
            fields = {
                name: (getattr(item, name), value)
                for name, value in row.values.items()
                if getattr(item, name) != value
            }
            if fields:
                result.changes.append(
                    Change(
                        "update",
                        row.row,
                        item.task.code,
                        item.task.title,
                        item=item,
                        values=row.values,
                        fields=fields,
                    )
                )
            else:
                result.unchanged += 1
        elif code in catalogue:
            task = catalogue[code]
            result.changes.append(
                Change(
                    "add",
                    row.row,
                    task.code,
                    task.title,
                    task=task,
                    values=row.values,
                    fields=_filled(row.values),
                )
            )
        elif code:
            result.errors.append(
                RowError(
                    _(
                        "taakcode %(code)s kennen we niet. Wis de code niet en verzin er geen: "
                        "laat ze leeg voor een nieuwe taak."
                    )
                    % {"code": row.code},
                    row.row,
                    str(COLUMN_BY_KEY["code"].label),
                )
            )
        else:
            _new_task(row, domains, result)
    result.not_in_file = len(set(items) - set(seen))
    return result


def _filled(values: dict) -> dict:
    return {name: (None, value) for name, value in values.items() if value not in (None, "")}


def _new_task(row: ImportRow, domains: dict[str, Domain], result: Validation) -> None:
    problems = []
    if not row.title:
        problems.append(
            RowError(
                _("een nieuwe taak heeft een titel nodig (of vul de taakcode terug in)."),
                row.row,
                str(COLUMN_BY_KEY["title"].label),
            )
        )
    elif len(row.title) > MAX_TITLE:
        problems.append(
            RowError(
                _("de titel is te lang (hoogstens %(max)s tekens).") % {"max": MAX_TITLE},
                row.row,
                str(COLUMN_BY_KEY["title"].label),
            )
        )
    domain = domains.get(_normal(row.domain)) if row.domain else None
    if domain is None:
        names = ", ".join(d.name for d in {d.pk: d for d in domains.values()}.values())
        problems.append(
            RowError(
                _("kies het domein van deze nieuwe taak: %(names)s.") % {"names": names},
                row.row,
                str(COLUMN_BY_KEY["domain"].label),
            )
        )
    if problems:
        result.errors.extend(problems)
        return
    values = {"applies": True, **{k: v for k, v in row.values.items() if v not in (None, "")}}
    result.changes.append(
        Change("new", row.row, "", row.title, domain=domain, values=values, fields=_filled(values))
    )


def check_file(plan: TaskPlan, upload, *, max_rows: int = MAX_ROWS):
    """Read a file and compare it with the plan. Returns (rows, validation, every problem):
    problems in cells and problems against the plan (unknown codes, ...) are reported together,
    so one round of corrections in Excel is enough."""
    read = read_plan_file(upload, max_rows=max_rows)
    checked = validate_rows(plan, read.rows) if read.rows else Validation()
    errors = sorted([*read.errors, *checked.errors], key=lambda e: (e.row or 0, e.column))
    return read.rows, checked, errors
