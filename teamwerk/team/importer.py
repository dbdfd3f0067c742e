"""Reading a list of people from .xlsx or .csv, defensively.

Phase one (this module) reads and checks every row and writes nothing; the view shows a
preview and every problem with its row and column. Phase two
(services.people_import_apply) writes all rows in one transaction, or none.

An upload is untrusted: size, rows, columns and the unpacked size of an .xlsx (a zip of XML)
are capped; XML with a DOCTYPE or entities is refused before openpyxl sees it (defusedxml
guards openpyxl too); formulas are refused, never evaluated.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from teamwerk.accounts.models import normalise_email
from teamwerk.core.xlsx import TooManyRows, sheet_rows
from teamwerk.tenancy.terms import active_terms

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_ROWS = 2000
# Rows stored in a sheet that are read at most, empty ones included.
MAX_ROWS_READ = 5 * MAX_ROWS
MAX_COLUMNS = 40
MAX_UNPACKED_BYTES = 40 * 1024 * 1024
MAX_ZIP_ENTRIES = 300
MAX_COMPRESSION_RATIO = 150
MAX_CELL_CHARS = 500
MAX_HOURS = Decimal("2000")

# Binary formats people pick by mistake, by their first bytes.
BINARY_SIGNATURES = {
    b"%PDF": "PDF",
    b"\x89PNG": "PNG",
    b"\xff\xd8\xff": "JPEG",
    b"GIF8": "GIF",
    b"\xd0\xcf\x11\xe0": "oud Office-formaat (.xls/.doc)",
    b"Rar!": "RAR",
    b"\x1f\x8b": "gzip",
    b"7z\xbc\xaf": "7-Zip",
}


# A DTD can declare entities (billion laughs, external files): no spreadsheet needs one.
UNSAFE_XML = tuple(
    word.encode(encoding)
    for word in ("<!DOCTYPE", "<!ENTITY")
    for encoding in ("ascii", "utf-16-le", "utf-16-be")
)


class ImportRefused(Exception):
    """The file as a whole cannot be read; nothing is written."""


class RowError(Exception):
    """A row that turned out wrong while writing (phase two); everything is rolled back."""

    def __init__(self, row: int, message: str):
        super().__init__(message)
        self.row = row
        self.message = message

    def __str__(self) -> str:
        return _("Rij %(row)s: %(message)s") % {"row": self.row, "message": self.message}


@dataclass(frozen=True)
class Column:
    field: str
    label: str  # as in the template's header
    aliases: tuple[str, ...]
    required: bool = False


COLUMNS = (
    Column("first_name", gettext_lazy("Voornaam"), ("voornaam", "first name", "firstname"), True),
    Column(
        "last_name",
        gettext_lazy("Achternaam"),
        ("achternaam", "familienaam", "last name", "lastname", "surname"),
        True,
    ),
    Column(
        "email",
        gettext_lazy("E-mail"),
        ("email", "e-mail", "e-mailadres", "emailadres", "mail", "email address"),
    ),
    Column("job_title", gettext_lazy("Functie"), ("functie", "job title", "job", "function")),
    Column(
        "profile", gettext_lazy("Rolprofiel"), ("rolprofiel", "profiel", "profile", "role profile")
    ),
    Column(
        "pedagogically_qualified",
        # The region's word (Flanders: pedagogisch bekwaam, the Netherlands: lesbevoegd);
        # either spelling is read in both regions.
        lazy(lambda: str(active_terms()["qualified_column"]), str)(),
        (
            "pedagogisch bekwaam",
            "pedagogische bekwaamheid",
            "bewijs van pedagogische bekwaamheid",
            "bekwaamheidsbewijs",
            "lesbevoegd",
            "lesbevoegdheid",
            "bevoegd",
            "bevoegdheid",
            "pedagogically qualified",
            "teaching qualification",
        ),
    ),
    Column("external", gettext_lazy("Extern"), ("extern", "external", "leverancier")),
    Column(
        "hours_available",
        gettext_lazy("ICT-uren"),
        ("ict-uren", "ict uren", "ict-uren per jaar", "uren", "ict hours", "hours"),
    ),
)
YES = {"ja", "j", "yes", "y", "1", "x", "waar", "true", "wel"}
NO = {"nee", "n", "no", "0", "", "onwaar", "false", "niet"}


def _key(text: str) -> str:
    """Header text compared loosely: no accents, case, extra spaces or punctuation."""
    text = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
    text = re.sub(r"[\s_]+", " ", text.lower()).strip(" :*")
    return text


ALIASES = {_key(alias): column for column in COLUMNS for alias in column.aliases}


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: how spreadsheets name columns."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass
class Problem:
    row: int | None
    column: str | None  # letter
    label: str
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        if self.column:
            return _("Rij %(row)s, kolom %(column)s (%(label)s): %(message)s") % {
                "row": self.row,
                "column": self.column,
                "label": self.label,
                "message": self.message,
            }
        return _("Rij %(row)s: %(message)s") % {"row": self.row, "message": self.message}


@dataclass
class PersonRow:
    row: int
    first_name: str
    last_name: str
    email: str = ""
    job_title: str = ""
    profile_code: str = ""
    pedagogically_qualified: bool = False
    external: bool = False
    hours_available: Decimal = Decimal("0")

    def to_json(self) -> dict:
        data = asdict(self)
        data["hours_available"] = str(self.hours_available)
        return data

    @classmethod
    def from_json(cls, data: dict) -> PersonRow:
        return cls(**{**data, "hours_available": Decimal(data["hours_available"])})


@dataclass
class ImportResult:
    rows: list[PersonRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)


# ---------------------------------------------------------------------------- reading


def read_table(name: str, data: bytes) -> list[tuple[int, list]]:
    """(spreadsheet row number, cell values) for every row of the first sheet, header first."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImportRefused(
            _("Het bestand is groter dan %(mb)s MB. Splits de lijst op of laat lege bladen weg.")
            % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)}
        )
    if not data.strip():
        raise ImportRefused(_("Het bestand is leeg."))
    lower = (name or "").lower()
    for signature, kind in BINARY_SIGNATURES.items():
        if data.startswith(signature):
            raise ImportRefused(
                _(
                    "Dit is geen spreadsheet maar een %(kind)s-bestand. Bewaar de lijst als "
                    ".xlsx of .csv."
                )
                % {"kind": kind}
            )
    if lower.endswith(".xlsx"):
        return _read_xlsx(data)
    if lower.endswith((".csv", ".txt")):
        if data.startswith(b"PK\x03\x04"):
            raise ImportRefused(
                _("Dit bestand is geen CSV maar een gecomprimeerd bestand. Kies een .csv of .xlsx.")
            )
        return _read_csv(data)
    if lower.endswith((".xls", ".xlsm", ".xlsb", ".ods", ".numbers")):
        raise ImportRefused(
            _("Dit spreadsheetformaat lezen we niet. Bewaar de lijst als .xlsx of als .csv.")
        )
    raise ImportRefused(_("Kies een .xlsx- of .csv-bestand."))


def _read_xlsx(data: bytes) -> list[tuple[int, list]]:
    if not data.startswith(b"PK\x03\x04"):
        raise ImportRefused(
            _("Dit is geen geldig Excel-bestand (.xlsx). Open het in Excel en bewaar het opnieuw.")
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ImportRefused(_("Dit Excel-bestand is beschadigd en kan niet gelezen worden."))
    _check_archive(archive, entries)
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # noqa: BLE001 - any failure of a hostile file means "cannot read"
        raise ImportRefused(
            _("Dit Excel-bestand kan niet gelezen worden. Bewaar het opnieuw als .xlsx.")
        )
    try:
        if not workbook.worksheets:
            raise ImportRefused(_("Het Excel-bestand heeft geen werkblad."))
        sheet = workbook.worksheets[0]
        rows = []
        # Only the rows stored in the file, never the size it declares (a lone cell in
        # A1048576 must not cost a million empty rows); empty stored rows count too.
        for number, values in sheet_rows(
            sheet, max_col=MAX_COLUMNS + 1, max_rows_read=MAX_ROWS_READ, values_only=True
        ):
            if len(values) > MAX_COLUMNS and any(v not in (None, "") for v in values[MAX_COLUMNS:]):
                raise ImportRefused(
                    _("Het bestand heeft meer dan %(max)s kolommen. Gebruik het sjabloon.")
                    % {"max": MAX_COLUMNS}
                )
            values = list(values[:MAX_COLUMNS])
            while values and values[-1] in (None, ""):
                values.pop()
            if not values:
                continue
            rows.append((number, values))
            if len(rows) > MAX_ROWS + 1:
                raise _too_many_rows()
        return rows
    except ImportRefused:
        raise
    except TooManyRows:
        raise _too_many_rows() from None
    except Exception:  # noqa: BLE001
        raise ImportRefused(
            _("Dit Excel-bestand kan niet gelezen worden. Bewaar het opnieuw als .xlsx.")
        )
    finally:
        workbook.close()


def _check_archive(archive: zipfile.ZipFile, entries) -> None:
    """Refuse zip bombs and XML with entities before any XML parser runs."""
    if len(entries) > MAX_ZIP_ENTRIES:
        raise ImportRefused(
            _("Dit Excel-bestand bevat verdacht veel onderdelen en wordt niet gelezen.")
        )
    total = 0
    for entry in entries:
        total += entry.file_size
        ratio = entry.file_size / max(entry.compress_size, 1)
        if total > MAX_UNPACKED_BYTES or (
            entry.file_size > 1_000_000 and ratio > MAX_COMPRESSION_RATIO
        ):
            raise ImportRefused(
                _(
                    "Dit bestand pakt uit tot een verdacht grote hoeveelheid gegevens en wordt "
                    "niet gelezen."
                )
            )
    names = {entry.filename for entry in entries}
    if "[Content_Types].xml" not in names:
        raise ImportRefused(_("Dit is geen geldig Excel-bestand (.xlsx)."))
    for entry in entries:
        if not entry.filename.endswith((".xml", ".rels", ".vml")):
            continue
        try:
            with archive.open(entry) as handle:
                tail = b""
                read = 0
                while chunk := handle.read(65536):
                    read += len(chunk)
                    if read > MAX_UNPACKED_BYTES:
                        raise ImportRefused(
                            _(
                                "Dit bestand pakt uit tot een verdacht grote hoeveelheid "
                                "gegevens en wordt niet gelezen."
                            )
                        )
                    window = (tail + chunk).upper()
                    if any(marker in window for marker in UNSAFE_XML):
                        raise ImportRefused(
                            _(
                                "Dit Excel-bestand bevat onveilige XML-constructies (DOCTYPE of "
                                "ENTITY) en wordt niet gelezen."
                            )
                        )
                    tail = chunk[-32:]
        except ImportRefused:
            raise
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError):
            raise ImportRefused(_("Dit Excel-bestand is beschadigd en kan niet gelezen worden."))


def _too_many_rows() -> ImportRefused:
    return ImportRefused(
        _(
            "Het bestand heeft meer dan %(max)s rijen met gegevens. Dat is meer dan een "
            "schoolteam; splits de lijst op per school."
        )
        % {"max": MAX_ROWS}
    )


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 (Excel's "CSV" on Windows)."""
    if b"\x00" in data:
        raise ImportRefused(
            _(
                "Dit bestand is geen leesbare tekst (misschien UTF-16 of een binair bestand). "
                "Bewaar het in Excel als ‘CSV UTF-8’."
            )
        )
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise ImportRefused(
            _(
                "De tekens in dit bestand konden we niet lezen (onbekende codering). Bewaar het "
                "in Excel als ‘CSV UTF-8’."
            )
        )
    control = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\r\n")
    if control > max(3, len(text) // 100):
        raise ImportRefused(_("Dit bestand is geen leesbare tekst. Kies een .csv of .xlsx."))
    return text


def _read_csv(data: bytes) -> list[tuple[int, list]]:
    text = decode_text(data)
    first_line = text.split("\n", 1)[0]
    counts = {d: first_line.count(d) for d in (";", ",", "\t")}
    delimiter = max(counts, key=lambda d: (counts[d], d == ";"))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    try:
        for values in reader:
            number = reader.line_num
            if not any(v.strip() for v in values):
                continue
            if len(values) > MAX_COLUMNS:
                raise ImportRefused(
                    _("Rij %(row)s heeft meer dan %(max)s kolommen. Gebruik het sjabloon.")
                    % {"row": number, "max": MAX_COLUMNS}
                )
            rows.append((number, values))
            if len(rows) > MAX_ROWS + 1:
                raise _too_many_rows()
    except csv.Error as error:
        raise ImportRefused(
            _("Het CSV-bestand is niet goed opgebouwd rond rij %(row)s (%(error)s).")
            % {"row": reader.line_num, "error": error}
        )
    return rows


# ---------------------------------------------------------------------------- checking


def parse_people(table: list[tuple[int, list]], *, profiles: dict[str, str]) -> ImportResult:
    """Check every row; ``profiles`` maps accepted spellings (code, Dutch and English name,
    loosely compared) to a profile code."""
    result = ImportResult()
    if not table:
        result.problems.append(Problem(None, None, "", _("Het bestand heeft geen rijen.")))
        return result
    header_row, header = table[0]
    columns: dict[int, Column] = {}
    seen: dict[str, str] = {}
    for index, title in enumerate(header):
        if title in (None, ""):
            continue
        column = ALIASES.get(_key(title))
        letter = column_letter(index)
        if column is None:
            result.problems.append(
                Problem(
                    header_row,
                    letter,
                    str(title)[:40],
                    _("onbekende kolom. Toegelaten kolommen: %(names)s.")
                    % {"names": ", ".join(str(c.label) for c in COLUMNS)},
                )
            )
            continue
        if column.field in seen:
            result.problems.append(
                Problem(
                    header_row,
                    letter,
                    str(column.label),
                    _("deze kolom staat er twee keer in (ook kolom %(other)s).")
                    % {"other": seen[column.field]},
                )
            )
            continue
        seen[column.field] = letter
        columns[index] = column
    missing = [str(c.label) for c in COLUMNS if c.required and c.field not in seen]
    if missing:
        result.problems.append(
            Problem(
                header_row,
                None,
                "",
                _(
                    "De kopregel mist de verplichte kolom(men) %(missing)s. Zet de kolomnamen in "
                    "de eerste rij, zoals in het sjabloon."
                )
                % {"missing": ", ".join(missing)},
            )
        )
    if result.problems:
        return result
    if len(table) == 1:
        result.problems.append(
            Problem(None, None, "", _("Het bestand heeft geen rijen onder de kopregel."))
        )
        return result
    emails: dict[str, int] = {}
    for number, values in table[1:]:
        row_values: dict[str, object] = {}
        row_problems: list[Problem] = []
        for index, column in columns.items():
            raw = values[index] if index < len(values) else None
            problem = None
            try:
                row_values[column.field] = _convert(column, raw, profiles)
            except ValidationError as error:
                problem = " ".join(error.messages)
            if problem:
                row_problems.append(
                    Problem(number, column_letter(index), str(column.label), problem)
                )
        for column in COLUMNS:
            already = any(p.label == str(column.label) for p in row_problems)
            if column.required and not row_values.get(column.field) and not already:
                row_problems.append(
                    Problem(number, seen[column.field], str(column.label), _("mag niet leeg zijn."))
                )
        email = row_values.get("email") or ""
        if email and not row_problems:
            if email in emails:
                row_problems.append(
                    Problem(
                        number,
                        seen["email"],
                        _("E-mail"),
                        _("%(email)s staat ook al in rij %(other)s.")
                        % {"email": email, "other": emails[email]},
                    )
                )
            else:
                emails[email] = number
        if row_problems:
            result.problems.extend(row_problems)
            continue
        result.rows.append(
            PersonRow(
                row=number,
                first_name=row_values["first_name"],
                last_name=row_values["last_name"],
                email=email,
                job_title=row_values.get("job_title") or "",
                profile_code=row_values.get("profile") or "",
                pedagogically_qualified=bool(row_values.get("pedagogically_qualified")),
                external=bool(row_values.get("external")),
                hours_available=row_values.get("hours_available") or Decimal("0"),
            )
        )
    return result


# --------------------------------------------------------------------------- matching


class Match:
    """What confirming a checked row does with the team list."""

    NEW = "new"  # nobody of the organisation has this address: a new person
    UPDATE = "update"  # someone who already works in this school: their details are updated
    ATTACH = "attach"  # someone of another school, whose ratings the user already reads


def other_school_message(email: str) -> str:
    return _(
        "%(email)s hoort bij iemand die in een andere school van de organisatie werkt. "
        "Alleen wie de gegevens van die persoon al mag zien (de directie van beide scholen, "
        "of iemand met een rol voor de hele organisatie) kan hem of haar aan deze school "
        "toevoegen."
    ) % {"email": email}


def match_rows(*, actor, school, rows: list[PersonRow]) -> tuple[dict[int, str], list[Problem]]:
    """Per row number what confirming would do (``Match``), and the rows that are refused.

    Only people of this organisation are matched, by address: a person or account of another
    organisation is never looked at, so the row reads exactly like an unknown address (a new
    person). Someone of this organisation who does not work in this school is attached only
    when the user may already read their ratings (``may_assess``); otherwise the row is
    refused, because a place in this school would let this school's directie and ICT
    coordinator read them."""
    from django.db.models import Exists, OuterRef

    from .models import Availability, Person
    from .selectors import may_assess

    emails = [r.email for r in rows if r.email]
    here = Availability.objects.filter(person=OuterRef("pk"), school=school)
    known = {
        p.email: p
        for p in Person.objects.filter(
            organisation_id=school.organisation_id, email__in=emails
        ).annotate(works_here=Exists(here))
    }
    matches: dict[int, str] = {}
    problems: list[Problem] = []
    for row in rows:
        person = known.get(row.email) if row.email else None
        if person is None:
            matches[row.row] = Match.NEW
        elif person.works_here:
            matches[row.row] = Match.UPDATE
        elif actor is None or may_assess(actor, person):
            matches[row.row] = Match.ATTACH
        else:
            problems.append(Problem(row.row, None, "", other_school_message(row.email)))
    return matches, problems


FORMULA_START = ("=", "+", "@")


def _text(raw, *, max_length: int) -> str:
    if raw is None:
        return ""
    if isinstance(raw, bool):
        raise ValidationError(_("hier hoort tekst, geen ja/nee."))
    text = str(raw) if not isinstance(raw, float) or not raw.is_integer() else str(int(raw))
    if text.startswith(FORMULA_START) or (
        text.startswith("-") and len(text) > 1 and not text[1].isspace()
    ):
        raise ValidationError(
            _(
                "dit ziet eruit als een formule (begint met %(start)s). Formules lezen we niet "
                "in: typ de waarde zelf."
            )
            % {"start": text[0]}
        )
    text = unicodedata.normalize("NFC", text).strip()
    if any(ord(ch) < 32 for ch in text):
        raise ValidationError(_("bevat tabs, regeleinden of andere onzichtbare tekens."))
    if len(text) > max_length:
        raise ValidationError(_("is te lang (maximaal %(max)s tekens).") % {"max": max_length})
    return text


def _convert(column: Column, raw, profiles: dict[str, str]):
    if isinstance(raw, str) and raw.startswith("="):
        raise ValidationError(
            _("bevat een formule. Formules lezen we niet in: typ de waarde zelf.")
        )
    if isinstance(raw, str) and len(raw) > MAX_CELL_CHARS:
        raise ValidationError(_("is te lang (maximaal %(max)s tekens).") % {"max": MAX_CELL_CHARS})
    if column.field in ("first_name", "last_name"):
        return _text(raw, max_length=100)
    if column.field == "job_title":
        return _text(raw, max_length=150)
    if column.field == "email":
        text = normalise_email(_text(raw, max_length=254))
        if text:
            try:
                validate_email(text)
            except ValidationError:
                raise ValidationError(
                    _("‘%(value)s’ is geen geldig e-mailadres.") % {"value": text}
                )
        return text
    if column.field == "profile":
        text = _text(raw, max_length=200)
        if not text:
            return ""
        code = profiles.get(_key(text))
        if code is None:
            raise ValidationError(
                _("onbekend rolprofiel ‘%(value)s’. Gebruik een naam of code uit het sjabloon.")
                % {"value": text}
            )
        return code
    if column.field in ("pedagogically_qualified", "external"):
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, int | float) and raw in (0, 1):
            return bool(raw)
        text = _key(_text(raw, max_length=20))
        if text in YES:
            return True
        if text in NO:
            return False
        raise ValidationError(_("‘%(value)s’ is geen ja of nee.") % {"value": str(raw)[:20]})
    if column.field == "hours_available":
        return _hours(raw)
    raise AssertionError(column.field)


def _hours(raw) -> Decimal:
    if raw is None or raw == "":
        return Decimal("0")
    if isinstance(raw, bool):
        raise ValidationError(_("hier hoort een aantal uren, geen ja/nee."))
    if isinstance(raw, int | float | Decimal):
        value = Decimal(str(raw))
    else:
        text = _text(raw, max_length=20).replace(" ", "")
        if re.fullmatch(r"\d{1,3}(\.\d{3})+(,\d+)?", text):
            text = text.replace(".", "")  # 1.600,5 written the Flemish/Dutch way
        text = text.replace(",", ".")
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise ValidationError(
                _("‘%(value)s’ is geen getal. Vul een aantal uren per jaar in, bv. 40 of 12,5.")
                % {"value": str(raw)[:20]}
            )
    if not value.is_finite():
        raise ValidationError(_("is geen geldig getal."))
    if value < 0:
        raise ValidationError(_("kan niet negatief zijn."))
    if value > MAX_HOURS:
        raise ValidationError(
            _("meer dan %(max)s uur per jaar kan niet kloppen.") % {"max": MAX_HOURS}
        )
    return value.quantize(Decimal("0.1"))


def profile_spellings(profiles) -> dict[str, str]:
    """Every accepted way to name a role profile in the file, loosely compared."""
    spellings = {}
    for profile in profiles:
        for text in (profile.code, profile.name_nl, profile.name_en):
            if text:
                spellings[_key(text)] = profile.code
    return spellings


def template_rows() -> list[list[str]]:
    """The header and one example row for the downloadable template."""
    header = [str(c.label) for c in COLUMNS]
    example = [
        "An",
        "Janssens",
        "an.janssens@school.be",
        _("leraar wiskunde"),
        "ICOACH",
        _("ja"),
        _("nee"),
        "40",
    ]
    return [header, example]
