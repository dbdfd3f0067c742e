"""Importing people: preview first, all or nothing, every bad row named; hostile files refused
with a clear Dutch message and nothing written."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from teamwerk.team.importer import ImportRefused, parse_people, profile_spellings, read_table
from teamwerk.team.models import Availability, Person

pytestmark = pytest.mark.django_db

HEADER = "Voornaam;Achternaam;E-mail;Functie;Rolprofiel;Pedagogisch bekwaam;Extern;ICT-uren"


def csv_bytes(*rows: str, header: str = HEADER, encoding: str = "utf-8") -> bytes:
    return ("\r\n".join([header, *rows]) + "\r\n").encode(encoding)


def xlsx_bytes(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, name: str, data: bytes):
    return client.post(reverse("team_import"), {"file": SimpleUploadedFile(name, data)})


@pytest.fixture
def ict(client_for):
    return client_for("ict_noord")


@pytest.fixture
def people_before():
    return Person.objects.count(), Availability.objects.count()


def assert_nothing_written(people_before):
    assert (Person.objects.count(), Availability.objects.count()) == people_before


# ------------------------------------------------------------------------- the happy path


def test_preview_then_confirm_creates_and_updates_in_one_go(world, year, ict, people):
    data = csv_bytes(
        "Jan;Importeer;jan.importeer@scholengroep-demo.be;leraar Engels;I-coach;ja;nee;12,5",
        "Sofie;Maes;SOFIE.MAES@scholengroep-demo.be ;leraar wiskunde;;ja;nee;44",
        "Piet;Partner;;netwerkpartner;;nee;ja;",
    )
    preview = upload(ict, "mensen.csv", b"\xef\xbb\xbf" + data)
    body = preview.content.decode()
    assert preview.status_code == 200
    assert "2 nieuwe personen en 1 die al in de teamlijst staan" in body
    assert not Person.objects.filter(last_name="Importeer").exists()  # nothing yet

    confirmed = ict.post(reverse("team_import_confirm"), {"token": preview.context["token"]})
    assert confirmed.status_code == 302
    jan = Person.objects.get(last_name="Importeer")
    assert (jan.profile.code, jan.pedagogically_qualified, jan.external) == ("ICOACH", True, False)
    assert Availability.objects.get(person=jan, school=world.noord).hours_available == Decimal(
        "12.5"
    )
    partner = Person.objects.get(last_name="Partner")
    assert partner.external and partner.email == ""
    sofie = people["Sofie"]
    assert Availability.objects.get(person=sofie, school=world.noord).hours_available == 44
    assert Person.objects.filter(email="sofie.maes@scholengroep-demo.be").count() == 1


def test_comma_separated_windows_1252_and_an_xlsx_are_read(ict):
    data = ("Voornaam,Achternaam,E-mail,ICT-uren\r\nSébastien,Dupré,seb@example.be,8\r\n").encode(
        "cp1252"
    )
    body = upload(ict, "mensen.csv", data).content.decode()
    assert "Sébastien Dupré" in body
    workbook = xlsx_bytes([["Voornaam", "Achternaam", "ICT-uren"], ["Anna", "Excel", 20]])
    body = upload(ict, "mensen.xlsx", workbook).content.decode()
    assert "Anna Excel" in body and "Alles inlezen" in body


def test_a_stale_preview_cannot_be_confirmed(ict, people_before):
    response = ict.post(reverse("team_import_confirm"), {"token": "verzonnen"}, follow=True)
    assert "Deze voorvertoning is verlopen" in response.content.decode()
    assert_nothing_written(people_before)


def test_the_template_is_an_xlsx_with_the_right_header(ict):
    response = ict.get(reverse("team_import_template"))
    table = read_table("sjabloon.xlsx", response.content)
    assert [str(v) for v in table[0][1]] == HEADER.split(";")


# ------------------------------------------------------------------------ bad rows


def test_every_bad_row_is_reported_with_row_and_column_and_nothing_is_written(ict, people_before):
    data = csv_bytes(
        "An;Goed;an.goed@example.be;;;ja;nee;10",
        ";Zonder voornaam;;;;;;",
        "Tekst;In getal;;;;;;veertig",
        "Fout;Mail;geen-mailadres;;;;;",
        "Raar;Ja-nee;;;;misschien;;",
        "Onbekend;Profiel;;;Tovenaar;;;",
        "Negatief;Uren;;;;;;-5",
    )
    response = upload(ict, "mensen.csv", data)
    body = response.content.decode()
    assert "Er is niets ingelezen." in body
    problems = [str(p) for p in response.context["result"].problems]
    assert problems == [
        "Rij 3, kolom A (Voornaam): mag niet leeg zijn.",
        "Rij 4, kolom H (ICT-uren): ‘veertig’ is geen getal. Vul een aantal uren per jaar in, "
        "bv. 40 of 12,5.",
        "Rij 5, kolom C (E-mail): ‘geen-mailadres’ is geen geldig e-mailadres.",
        "Rij 6, kolom F (Pedagogisch bekwaam): ‘misschien’ is geen ja of nee.",
        "Rij 7, kolom E (Rolprofiel): onbekend rolprofiel ‘Tovenaar’. Gebruik een naam of code "
        "uit het sjabloon.",
        "Rij 8, kolom H (ICT-uren): dit ziet eruit als een formule (begint met -). Formules lezen "
        "we niet in: typ de waarde zelf.",
    ]
    assert_nothing_written(people_before)


@pytest.mark.parametrize(
    "second",
    [
        "an.dubbel@example.be",
        "  AN.Dubbel@Example.BE  ",
        "ａｎ.dubbel@example.be",  # full-width letters
    ],
)
def test_duplicate_email_addresses_in_the_file_are_caught(ict, people_before, second):
    data = csv_bytes("An;Een;an.dubbel@example.be;;;;;", f"An;Twee;{second};;;;;")
    problems = [str(p) for p in upload(ict, "mensen.csv", data).context["result"].problems]
    assert problems == ["Rij 3, kolom C (E-mail): an.dubbel@example.be staat ook al in rij 2."]
    assert_nothing_written(people_before)


def test_wrong_columns_are_named(ict, people_before):
    data = csv_bytes("Jan;jan@example.be;Wiskunde", header="Naam;Mail;Vak")
    problems = [str(p) for p in upload(ict, "mensen.csv", data).context["result"].problems]
    assert problems[0].startswith("Rij 1, kolom A (Naam): onbekende kolom.")
    assert "Rij 1, kolom C (Vak): onbekende kolom." in problems[1]
    assert "mist de verplichte kolom(men) Voornaam, Achternaam" in problems[-1]
    assert_nothing_written(people_before)


def test_formulas_are_refused_not_evaluated(ict, people_before):
    workbook = xlsx_bytes(
        [
            ["Voornaam", "Achternaam", "E-mail", "ICT-uren"],
            ["Eva", "Formule", '=HYPERLINK("http://evil.example","klik")', "=10*4"],
        ]
    )
    problems = [str(p) for p in upload(ict, "mensen.xlsx", workbook).context["result"].problems]
    refusal = "bevat een formule. Formules lezen we niet in: typ de waarde zelf."
    assert problems == [
        f"Rij 2, kolom C (E-mail): {refusal}",
        f"Rij 2, kolom D (ICT-uren): {refusal}",
    ]
    csv_formula = csv_bytes("Eva;Formule;;=cmd|' /C calc'!A0;;;;", "Bob;Plus;;+32 leraar;;;;")
    problems = [str(p) for p in upload(ict, "mensen.csv", csv_formula).context["result"].problems]
    assert [p.split(":")[0] for p in problems] == [
        "Rij 2, kolom D (Functie)",
        "Rij 3, kolom D (Functie)",
    ]
    assert_nothing_written(people_before)


# ------------------------------------------------------------------------ hostile files


def refused(ict, name: str, data: bytes) -> str:
    response = upload(ict, name, data)
    assert response.status_code == 200
    assert "Er is niets ingelezen." in response.content.decode()
    return response.context["refused"]


def test_not_a_spreadsheet(ict, people_before):
    assert "geen spreadsheet maar een PDF-bestand" in refused(
        ict, "mensen.xlsx", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"
    )
    assert "geen spreadsheet maar een PNG-bestand" in refused(
        ict, "mensen.csv", b"\x89PNG\r\n\x1a\n" + bytes(200)
    )
    assert "geen geldig Excel-bestand" in refused(ict, "mensen.xlsx", b"Voornaam;Achternaam\n")
    assert "geen leesbare tekst" in refused(ict, "mensen.csv", bytes(range(256)) * 4)
    assert "Kies een .xlsx- of .csv-bestand." in refused(ict, "mensen.docx", b"hallo")
    assert "Bewaar de lijst als .xlsx of als .csv" in refused(ict, "mensen.xls", b"oud")
    not_xlsx_zip = io.BytesIO()
    with zipfile.ZipFile(not_xlsx_zip, "w") as archive:
        archive.writestr("readme.txt", "geen spreadsheet")
    assert "geen geldig Excel-bestand" in refused(ict, "mensen.xlsx", not_xlsx_zip.getvalue())
    assert "beschadigd" in refused(ict, "mensen.xlsx", b"PK\x03\x04" + bytes(100))
    assert_nothing_written(people_before)


def _xlsx_with(part: str, content: bytes) -> bytes:
    """A real .xlsx with one part replaced."""
    original = zipfile.ZipFile(io.BytesIO(xlsx_bytes([["Voornaam", "Achternaam"], ["A", "B"]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in original.infolist():
            data = content if item.filename == part else original.read(item.filename)
            archive.writestr(item.filename, data)
    return out.getvalue()


def test_zip_bomb(ict, people_before):
    bomb = _xlsx_with("xl/worksheets/sheet1.xml", b"<" + b" " * 20_000_000 + b"/>")
    assert len(bomb) < 200_000
    assert "verdacht grote hoeveelheid gegevens" in refused(ict, "bom.xlsx", bomb)
    assert_nothing_written(people_before)


def test_xml_bomb(ict, people_before):
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1">'
        b"<si><t>&lol3;</t></si></sst>"
    )
    bomb = _xlsx_with("xl/worksheets/sheet1.xml", laughs)
    assert "onveilige XML" in refused(ict, "bom.xlsx", bomb)
    external = _xlsx_with(
        "[Content_Types].xml",
        b'<?xml version="1.0"?><!doctype x [<!entity e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
    )
    assert "onveilige XML" in refused(ict, "bom.xlsx", external)
    in_utf16 = _xlsx_with(
        "xl/worksheets/sheet1.xml",
        laughs.decode()
        .replace('version="1.0"', 'version="1.0" encoding="UTF-16"')
        .encode("utf-16"),
    )
    assert "onveilige XML" in refused(ict, "bom.xlsx", in_utf16)
    assert_nothing_written(people_before)


def test_a_hundred_thousand_rows(ict, people_before):
    rows = [f"Naam{i};Achternaam{i};;;;;;" for i in range(100_000)]
    message = refused(ict, "groot.csv", csv_bytes(*rows))
    assert "meer dan 2000 rijen" in message
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(["Voornaam", "Achternaam"])
    for index in range(3000):
        sheet.append([f"Naam{index}", "Lang"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert "meer dan 2000 rijen" in refused(ict, "groot.xlsx", buffer.getvalue())
    assert_nothing_written(people_before)


def test_bad_encodings(ict, people_before):
    utf16 = "Voornaam;Achternaam\r\nJan;Peeters\r\n".encode("utf-16")
    assert "UTF-16" in refused(ict, "mensen.csv", utf16)
    # 0x81 and 0x8D exist neither in UTF-8 nor in Windows-1252.
    broken = b"Voornaam;Achternaam\r\nJ\x81n;P\x8deters\r\n"
    assert "onbekende codering" in refused(ict, "mensen.csv", broken)
    assert_nothing_written(people_before)


def test_too_big_a_file_is_refused_before_reading(ict, people_before):
    response = upload(ict, "mensen.csv", b"a" * (5 * 1024 * 1024 + 1))
    assert "groter dan 5 MB" in response.content.decode()
    assert_nothing_written(people_before)


def test_read_only_roles_cannot_import(client_for, people_before):
    client = client_for("teamlid_noord")
    response = upload(client, "mensen.csv", csv_bytes("Jan;Janssens;;;;;;"))
    assert response.status_code == 403
    assert_nothing_written(people_before)


def test_parse_people_accepts_loose_headers_and_flemish_numbers():
    table = [
        (1, ["  VOORNAAM ", "familienaam", "E-MAILADRES", "ICT uren", "Extern"]),
        (2, ["Jan", "Peeters", "Jan.Peeters@School.be", "1.600,5", "x"]),
    ]
    result = parse_people(table, profiles=profile_spellings([]))
    assert result.ok
    row = result.rows[0]
    assert (row.email, row.hours_available, row.external) == (
        "jan.peeters@school.be",
        Decimal("1600.5"),
        True,
    )


def test_a_dutch_board_gets_its_own_column_name_and_either_spelling_is_read(client_for):
    """Stichting Demo's template says Lesbevoegd; a file with the Flemish column name is read
    too, so a file made elsewhere still imports."""
    response = client_for("beheerder_stichting").get(reverse("team_import_template"))
    header = [str(v) for v in read_table("sjabloon.xlsx", response.content)[0][1]]
    assert "Lesbevoegd" in header and "Pedagogisch bekwaam" not in header
    for column in ("Lesbevoegd", "lesbevoegdheid", "Pedagogisch bekwaam"):
        table = [(1, ["Voornaam", "Achternaam", column]), (2, ["Els", "de Wit", "ja"])]
        result = parse_people(table, profiles=profile_spellings([]))
        assert result.ok and result.rows[0].pedagogically_qualified, column


def test_read_table_refuses_empty_files():
    with pytest.raises(ImportRefused):
        read_table("leeg.csv", b"   ")
