"""An organisation's own Word template: checked before it is kept, like an uploaded
spreadsheet. A .docx is a zip of XML: it is capped, its XML parsed with defusedxml, macros and
external links refused, the placeholders checked, and a trial render runs in Jinja's sandbox.
"""

from __future__ import annotations

import io
import re
import zipfile

from django.utils.translation import gettext as _

from .models import DocumentKind

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_UNPACKED_BYTES = 20 * 1024 * 1024
MAX_ZIP_ENTRIES = 200

# What a template must use, by kind: without these the document would lose its content.
REQUIRED = {
    DocumentKind.JOB_DESCRIPTION: (
        "d.person",
        "d.function",
        "d.first_evaluator",
        "d.second_evaluator",
        "d.header.number",
        "d.header.board",
        "d.sections",
        "r.title",
        "r.hours",
        "r.mandate",
    ),
    DocumentKind.WORK_PLAN: (
        "d.header.school",
        "d.tasks",
        "r.owner",
        "r.backups",
        "r.hours",
        "r.mandate",
        "d.people",
    ),
}
_TAG = re.compile(r"<[^>]+>")


def _placeholder_text(xml: bytes) -> str:
    """The document's text with the XML tags removed (placeholders may span runs)."""
    return _TAG.sub("", xml.decode("utf-8", errors="replace"))


def check_template(data: bytes, kind: str) -> list[str]:
    """Every reason to refuse this file; empty when it can be used."""
    from defusedxml import ElementTree
    from defusedxml.common import DefusedXmlException

    if len(data) > MAX_FILE_BYTES:
        return [_("Dit bestand is groter dan 2 MB; een sjabloon is veel kleiner.")]
    not_docx = _("Dit is geen Word-bestand (.docx). Bewaar het sjabloon in Word als .docx.")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        return [not_docx]
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ZIP_ENTRIES:
            return [_("Dit bestand bevat ongewoon veel onderdelen en wordt niet gebruikt.")]
        if sum(entry.file_size for entry in entries) > MAX_UNPACKED_BYTES:
            return [_("Dit bestand zou uitgepakt te groot worden en wordt niet gebruikt.")]
        names = {entry.filename for entry in entries}
        if "word/document.xml" not in names or "[Content_Types].xml" not in names:
            return [not_docx]
        if any(name.lower().endswith(".bin") or "vba" in name.lower() for name in names):
            return [
                _("Dit bestand bevat macro's of ingesloten programma's en wordt niet gebruikt.")
            ]
        document = b""
        for entry in entries:
            if not entry.filename.endswith((".xml", ".rels")):
                continue
            try:
                content = archive.read(entry)
                ElementTree.fromstring(content)
            except (DefusedXmlException, ElementTree.ParseError, zipfile.BadZipFile, OSError):
                return [_("Een onderdeel van dit bestand is geen geldige of veilige XML.")]
            if entry.filename.endswith(".rels") and b'TargetMode="External"' in content:
                return [
                    _(
                        "Dit bestand verwijst naar iets buiten het document (een link naar een "
                        "extern sjabloon of beeld) en wordt niet gebruikt."
                    )
                ]
            if entry.filename == "word/document.xml":
                document = content
    text = _placeholder_text(document)
    missing = [name for name in REQUIRED[kind] if name not in text]
    if missing:
        return [
            _("Deze plaatshouders ontbreken in het sjabloon: %(names)s.")
            % {"names": ", ".join("{{ " + name + " }}" for name in missing)}
        ]
    return []


def sandbox():
    """Templates of an organisation run in Jinja's sandbox: no attribute tricks reach Python."""
    from jinja2.sandbox import SandboxedEnvironment

    return SandboxedEnvironment(autoescape=True)
