"""Excel out and in: a good-looking export, an exact round trip, and hostile files refused."""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from teamwerk.catalogue.models import Domain
from teamwerk.planning import excel, services
from teamwerk.planning.models import Horizon, PendingImport, PlannedTask, Priority, Sourcing
from teamwerk.planning.values import MAX_HOURS, MAX_NOTES

from .conftest import item_of
from .xlsx import HEADER_ROW, columns, edit, export_bytes, read, row_of, upload


def _sheet(content: bytes):
    return load_workbook(io.BytesIO(content)).worksheets[0]


# -- export -------------------------------------------------------------------------------------


def test_export_has_one_row_per_task_grouped_by_domain_with_a_hidden_code(noord_plan):
    sheet = _sheet(export_bytes(noord_plan))
    header = columns(sheet)
    assert {"Code", "Domein", "Taak", "Van toepassing", "Horizon", "Uren per jaar"} <= set(header)
    assert sheet.column_dimensions["A"].hidden
    codes = [sheet.cell(row=r, column=1).value for r in range(HEADER_ROW + 1, sheet.max_row + 1)]
    task_codes = [c for c in codes if c and not c.startswith("#")]
    assert len(task_codes) == noord_plan.items.count()
    # A heading row precedes each domain's tasks, in catalogue order.
    headings = [c for c in codes if c and c.startswith("#")]
    assert headings == ["#POL", "#SUP", "#PED", "#TEC", "#PRO", "#COO"]
    assert sheet.freeze_panes == f"D{HEADER_ROW + 1}"


def test_export_uses_numbers_dropdowns_and_totals(noord_plan):
    item = item_of(noord_plan, "TEC-04")
    sheet = _sheet(export_bytes(noord_plan))
    header = columns(sheet)
    row = row_of(sheet, "TEC-04")
    hours = sheet.cell(row=row, column=header["Uren per jaar"])
    assert hours.data_type == "n" and Decimal(str(hours.value)) == item.hours
    assert sheet.cell(row=row, column=header["Van toepassing"]).value == "Ja"
    assert sheet.cell(row=row, column=header["Horizon"]).value == "Essentieel nu"

    lists = {
        re.match(r"[A-Z]+", str(dv.sqref))[0]: dv.formula1
        for dv in sheet.data_validations.dataValidation
        if dv.type == "list"
    }
    letters = {title: sheet.cell(row=1, column=col).column_letter for title, col in header.items()}
    assert lists[letters["Van toepassing"]] == '"Ja,Nee"'
    assert "Essentieel nu" in lists[letters["Horizon"]]
    assert "Via de groep" in lists[letters["Wie voert uit"]]
    assert "Hoog" in lists[letters["Prioriteit"]]
    decimal_checks = [dv for dv in sheet.data_validations.dataValidation if dv.type == "decimal"]
    assert decimal_checks and str(decimal_checks[0].sqref).startswith(letters["Uren per jaar"])

    # Totals at the top: hours needed this year, later, available and the difference.
    assert str(sheet["C2"].value).startswith("=SUMIFS(")
    assert sheet["C4"].value == float(noord_plan.school.ict_hours_available)
    assert sheet["C5"].value == "=C4-C2"


@pytest.mark.parametrize(
    "dangerous", ['=HYPERLINK("x")', "+31 6 1234", "-geen", "@SUM(A1)", "'al geciteerd"]
)
def test_text_that_looks_like_a_formula_is_neutralised(world, noord_plan, dangerous):
    item = item_of(noord_plan, "POL-01")
    services.planned_task_update(
        actor=world.users["ict_noord"], item=item, expected_version=item.version, notes=dangerous
    )
    sheet = _sheet(export_bytes(noord_plan))
    cell = sheet.cell(row=row_of(sheet, "POL-01"), column=columns(sheet)["Notities"])
    assert cell.data_type == "s"
    assert cell.value == "'" + dangerous
    # ... and reading it back gives the note exactly as it was.
    rows, checked, errors = read(noord_plan, export_bytes(noord_plan))
    assert not errors and checked.changes == []


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r", "'"])
def test_every_formula_start_is_escaped(start):
    assert excel.neutralise(f"{start}cmd") == f"'{start}cmd"
    assert excel.unneutralise(excel.neutralise(f"{start}cmd")) == f"{start}cmd"
    assert excel.neutralise("gewone tekst") == "gewone tekst"


@given(st.text())
def test_neutralising_is_undone_exactly(text):
    assert excel.unneutralise(excel.neutralise(text)) == text


def test_an_english_export_reads_back_too(noord_plan):
    with translation.override("en"):
        content = export_bytes(noord_plan)
    assert "Hours per year" in columns(_sheet(content))
    rows, checked, errors = read(noord_plan, content)
    assert errors == [] and checked.changes == [] and checked.unchanged == noord_plan.items.count()


# -- the round trip -----------------------------------------------------------------------------

notes_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60
) | st.sampled_from(["=1+1", "+x", "-x", "@x", "\tx", "'x", "''x", "regel 1\nregel 2", " a "])
choice_values = {
    "applies": st.sampled_from([None, True, False]),
    "horizon": st.sampled_from(["", *Horizon.values]),
    "level": st.sampled_from(["", "school", "group"]),
    "sourcing": st.sampled_from(["", *Sourcing.values]),
    "priority": st.sampled_from([None, *Priority.values]),
    "hours": st.none()
    | st.integers(min_value=0, max_value=MAX_HOURS * 10).map(lambda tenths: Decimal(tenths) / 10),
    "notes": notes_text,
}
plan_changes = st.lists(
    st.tuples(st.integers(min_value=0, max_value=63), st.fixed_dictionaries(choice_values)),
    max_size=12,
)
custom_titles = st.lists(
    st.text(
        alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
        min_size=1,
        max_size=40,
    ).filter(str.strip),
    max_size=2,
)


class _Rollback(Exception):
    pass


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(changes=plan_changes, titles=custom_titles, language=st.sampled_from(["nl", "en"]))
def test_export_then_import_of_an_unchanged_file_changes_nothing(
    world, noord_plan, changes, titles, language
):
    actor = world.users["ict_noord"]
    try:
        with transaction.atomic():
            items = list(noord_plan.items.order_by("pk"))
            for index, values in changes:
                item = items[index % len(items)]
                item.refresh_from_db()
                services.planned_task_update(
                    actor=actor, item=item, expected_version=item.version, **values
                )
            for title in titles:
                services.plan_add_custom_task(
                    actor=actor,
                    plan=noord_plan,
                    domain=Domain.objects.get(code="SUP"),
                    title_nl=title,
                )
            before = services.plan_fingerprint(noord_plan)
            with translation.override(language):
                content = export_bytes(noord_plan)
            rows, checked, errors = read(noord_plan, content)
            assert errors == []
            assert checked.errors == []
            assert [c.fields for c in checked.changes] == []
            assert checked.unchanged == noord_plan.items.count()
            outcome = services.plan_import_apply(
                actor=actor,
                plan=noord_plan,
                rows=[r.to_json() for r in rows],
                expected_fingerprint=before,
            )
            assert (outcome.updated, outcome.added, outcome.created) == (0, 0, 0)
            assert services.plan_fingerprint(noord_plan) == before
            raise _Rollback
    except _Rollback:
        pass


# -- importing through the pages ----------------------------------------------------------------


def test_upload_preview_confirm_applies_every_change_and_records_who(world, client_for, noord_plan):
    client = client_for("ict_noord")
    content = edit(
        export_bytes(noord_plan),
        {
            "POL-01": {"Uren per jaar": 14.5, "Horizon": "Spreiden over latere jaren"},
            "TEC-04": {"Notities": "Nieuw ticketsysteem vanaf januari."},
        },
        add_rows=[{"Domein": "Technisch", "Taak": "Smartboards kalibreren", "Uren per jaar": 6}],
    )
    url = reverse("plan_import", kwargs={"pk": noord_plan.pk})
    response = client.post(url, {"file": upload(content)})
    assert response.status_code == 302, response.content.decode()[:2000]
    preview = client.get(response["Location"])
    page = preview.content.decode()
    assert "Wat verandert er?" in page
    assert "14,5" in page and "Spreiden over latere jaren" in page
    assert "Smartboards kalibreren" in page
    assert item_of(noord_plan, "POL-01").hours != Decimal("14.5")  # nothing written yet

    pending = PendingImport.objects.get(plan=noord_plan)
    confirm = reverse("plan_import_confirm", kwargs={"pk": noord_plan.pk, "import_pk": pending.pk})
    done = client.post(confirm)
    assert done.status_code == 302
    pol = item_of(noord_plan, "POL-01")
    assert (pol.hours, pol.horizon) == (Decimal("14.5"), Horizon.LATER)
    assert item_of(noord_plan, "TEC-04").notes == "Nieuw ticketsysteem vanaf januari."
    new = noord_plan.items.get(task__title_nl="Smartboards kalibreren")
    assert new.task.organisation == world.organisation and new.hours == Decimal(6)
    record = PlannedTask.history.filter(id=pol.pk).first()
    assert record.history_user == world.users["ict_noord"]
    assert record.history_change_reason == services.REASON_IMPORT
    assert not PendingImport.objects.filter(plan=noord_plan).exists()


def test_a_plan_changed_after_the_preview_is_not_overwritten(world, client_for, noord_plan):
    client = client_for("ict_noord")
    content = edit(export_bytes(noord_plan), {"POL-01": {"Uren per jaar": 99}})
    client.post(reverse("plan_import", kwargs={"pk": noord_plan.pk}), {"file": upload(content)})
    pending = PendingImport.objects.get(plan=noord_plan)
    item = item_of(noord_plan, "POL-02")
    services.planned_task_update(
        actor=world.users["directie_noord"], item=item, expected_version=item.version, hours=1
    )
    response = client.post(
        reverse("plan_import_confirm", kwargs={"pk": noord_plan.pk, "import_pk": pending.pk}),
        follow=True,
    )
    assert "gewijzigd sinds je het bestand opliet" in response.content.decode()
    assert item_of(noord_plan, "POL-01").hours != 99


def test_an_unchanged_file_says_so_and_writes_nothing(client_for, noord_plan):
    before = services.plan_fingerprint(noord_plan)
    response = client_for("directie_noord").post(
        reverse("plan_import", kwargs={"pk": noord_plan.pk}),
        {"file": upload(export_bytes(noord_plan))},
        follow=True,
    )
    assert "er verandert niets" in response.content.decode()
    assert services.plan_fingerprint(noord_plan) == before
    assert not PendingImport.objects.exists()


# -- hostile and broken files -------------------------------------------------------------------


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def _replace_entry(content: bytes, name: str, data: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(content))
    return _zip(
        {
            info.filename: (data if info.filename == name else source.read(info))
            for info in source.infolist()
        }
    )


def _hundred_thousand_rows() -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Takenoverzicht")
    sheet.append(
        [
            "Code",
            "Taak",
            "Van toepassing",
            "Horizon",
            "Niveau",
            "Wie voert uit",
            "Uren per jaar",
            "Prioriteit",
            "Notities",
        ]
    )
    for number in range(100_000):
        sheet.append([f"X-{number}", "taak", "Ja", None, None, None, 1, None, None])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>&lol6;</t></is></c></row></sheetData></worksheet>"""


def _hostile(plan) -> dict[str, tuple[bytes, str]]:
    """name -> (file content, a phrase the message must contain)."""
    exported = export_bytes(plan)
    without_horizon = load_workbook(io.BytesIO(exported))
    sheet = without_horizon.worksheets[0]
    sheet.cell(row=HEADER_ROW, column=columns(sheet)["Horizon"]).value = None
    out = io.BytesIO()
    without_horizon.save(out)
    return {
        "csv": (b"Code;Taak\nPOL-01;Visie\n", "geen Excel-bestand"),
        "old xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "ouder Excel-bestand"),
        "zip bomb": (
            _zip(
                {
                    "[Content_Types].xml": b"<x/>",
                    "xl/workbook.xml": b"<x/>",
                    "xl/worksheets/sheet1.xml": b"\0" * (60 * 1024 * 1024),
                }
            ),
            "uitgepakt meer dan 50 MB",
        ),
        "xml bomb": (
            _replace_entry(exported, "xl/worksheets/sheet1.xml", BILLION_LAUGHS),
            "niet lezen",
        ),
        "formula": (
            edit(exported, {"POL-01": {"Uren per jaar": "=SUM(1,2)"}}),
            "staat een formule",
        ),
        "100,000 rows": (_hundred_thousand_rows(), "meer dan 2.000 taakrijen"),
        "wrong columns": (out.getvalue(), "Deze kolommen ontbreken: Horizon"),
        "text in number": (
            edit(exported, {"POL-02": {"Uren per jaar": "veel"}}),
            "is geen getal",
        ),
        "unknown choice": (
            edit(exported, {"POL-02": {"Horizon": "ooit"}}),
            "is geen geldige keuze",
        ),
        "unknown code": (
            edit(exported, {"POL-03": {"Code": "POL-77"}}),
            "POL-77 kennen we niet",
        ),
        "too big": (b"PK" + b"\0" * (5 * 1024 * 1024 + 10), "te groot"),
    }


@pytest.mark.parametrize(
    "case",
    [
        "csv",
        "old xls",
        "zip bomb",
        "xml bomb",
        "formula",
        "100,000 rows",
        "wrong columns",
        "text in number",
        "unknown choice",
        "unknown code",
        "too big",
    ],
)
def test_a_hostile_or_broken_file_gets_a_clear_message_and_changes_nothing(
    client_for, noord_plan, case
):
    content, phrase = _hostile(noord_plan)[case]
    before = services.plan_fingerprint(noord_plan)
    response = client_for("ict_noord").post(
        reverse("plan_import", kwargs={"pk": noord_plan.pk}), {"file": upload(content)}
    )
    assert response.status_code == 422
    assert phrase in response.content.decode()
    assert "Er is niets ingelezen" in response.content.decode() or case == "too big"
    assert services.plan_fingerprint(noord_plan) == before
    assert not PendingImport.objects.exists()


def test_every_bad_row_is_reported_not_just_the_first(noord_plan):
    content = edit(
        export_bytes(noord_plan),
        {
            "POL-01": {"Uren per jaar": "veel", "Prioriteit": "dringend"},
            "TEC-04": {"Van toepassing": "misschien"},
        },
        add_rows=[{"Taak": "Zonder domein"}],
    )
    rows, checked, problems = read(noord_plan, content)
    where = {(p.row, p.column) for p in problems}
    tec_row = row_of(_sheet(content), "TEC-04")
    assert (9, "Uren per jaar") in where and (9, "Prioriteit") in where
    assert (tec_row, "Van toepassing") in where
    assert any(p.column == "Domein" for p in problems)


def test_the_row_limit_can_be_raised_for_the_benchmark(noord_plan):
    content = export_bytes(noord_plan)
    rows, checked, errors = read(noord_plan, content, max_rows=10)
    assert "meer dan 10 taakrijen" in errors[0].message
    rows, checked, errors = read(noord_plan, content, max_rows=1000)
    assert errors == [] and len(rows) == noord_plan.items.count()


def test_notes_longer_than_the_limit_are_refused(noord_plan):
    content = edit(export_bytes(noord_plan), {"POL-01": {"Notities": "x" * (MAX_NOTES + 1)}})
    rows, checked, errors = read(noord_plan, content)
    assert any(e.column == "Notities" and "hoogstens" in e.message for e in errors)
