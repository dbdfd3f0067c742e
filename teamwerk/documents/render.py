"""Turning a document's data into files: Word through docxtpl, PDF through WeasyPrint.

The Word templates are our own: built here with python-docx (one paragraph or cell per
placeholder, so Word never splits a tag) and filled by docxtpl with autoescaping on. The
labels are filled in from the active language, so one template serves Dutch and English.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import asdict, is_dataclass
from functools import lru_cache

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _

# Characters XML 1.0 does not allow: a name pasted with a control character must not break
# the Word file (docxtpl escapes markup, not these).
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _clean(value):
    if is_dataclass(value):
        value = asdict(value)
    if isinstance(value, dict):
        return {key: _clean(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(item) for item in value]
    if isinstance(value, str):
        return _XML_INVALID.sub("", value)
    return value


def labels() -> dict[str, str]:
    return {
        "job_title": _("Functiebeschrijving"),
        "plan_title": _("Werkverdelingsplan en teamcharter"),
        "group_plan_title": _("Werkverdelingsplan van de groep"),
        "institution": _("Onderwijsinstelling"),
        "school_year": _("Schooljaar"),
        "person": _("Medewerker"),
        "function": _("Functie"),
        "first_evaluator": _("Eerste evaluator"),
        "second_evaluator": _("Tweede evaluator"),
        "task": _("Taak"),
        "role": _("Rol"),
        "hours": _("Uren per jaar"),
        "mandate": _("Mandaat"),
        "period": _("Periode"),
        "total": _("Totaal"),
        "total_hours": _("Uren voor deze taken"),
        "available_hours": _("Beschikbare ICT-uren"),
        "over_hours": _("Meer uren dan beschikbaar."),
        "no_tasks": _("Nog geen taken toegewezen dit schooljaar."),
        "signatures": _("Ondertekening"),
        "signature": _("Handtekening"),
        "name": _("Naam"),
        "date": _("Datum"),
        "place": _("Plaats"),
        "owner": _("Trekker"),
        "backups": _("Back-up"),
        "who_does_what": _("Wie doet wat"),
        "hours_per_person": _("Uren per persoon"),
        "used": _("Toegewezen"),
        "budget": _("ICT-budget van de school (uren per jaar)"),
        "planned_hours": _("Geplande uren voor deze taken"),
        "assigned_hours": _("Toegewezen uren"),
        "over_budget": _("Er zijn meer uren toegewezen dan het budget."),
        "agreements": _("Afspraken van het team"),
        "kind": _("Soort"),
        "agreement": _("Afspraak"),
        "responsible": _("Verantwoordelijke"),
        "review_on": _("Opnieuw bekijken op"),
        "directie": _("Voor de directie"),
        "no_agreements": _("Nog geen afspraken vastgelegd."),
    }


# --------------------------------------------------------------------------- Word templates


def _cell(table, row, col, text, bold=False):
    cell = table.cell(row, col)
    cell.text = text
    if bold:
        for run in cell.paragraphs[0].runs:
            run.bold = True


def _header_table(doc, extra: list[tuple[str, str]]):
    rows = [
        ("{{ l.institution }}", "{{ d.header.school }}"),
        ("{{ d.header.number_label }}", "{{ d.header.number }}"),
        ("{{ d.header.board_label }}", "{{ d.header.board }}"),
        ("{{ l.school_year }}", "{{ d.header.school_year }}"),
        *extra,
    ]
    table = doc.add_table(rows=len(rows), cols=2)
    table.style = "Table Grid"
    for index, (label, value) in enumerate(rows):
        _cell(table, index, 0, label, bold=True)
        _cell(table, index, 1, value)


def _loop_table(doc, heads: list[str], cells: list[str], loop: str):
    """A table whose middle row repeats: a header row, the loop row, the cells, the end."""
    table = doc.add_table(rows=4, cols=len(heads))
    table.style = "Table Grid"
    for col, head in enumerate(heads):
        _cell(table, 0, col, head, bold=True)
    _cell(table, 1, 0, "{%tr " + loop + " %}")
    for col, text in enumerate(cells):
        _cell(table, 2, col, text)
    _cell(table, 3, 0, "{%tr endfor %}")
    return table


def _signature_table(doc, signers: list[str]):
    table = doc.add_table(rows=len(signers) + 1, cols=3)
    table.style = "Table Grid"
    for col, head in enumerate(("{{ l.name }}", "{{ l.date }}", "{{ l.signature }}")):
        _cell(table, 0, col, head, bold=True)
    for row, signer in enumerate(signers, start=1):
        _cell(table, row, 0, signer)


def _to_bytes(doc) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


@lru_cache(maxsize=1)
def job_template_bytes() -> bytes:
    from docx import Document

    doc = Document()
    doc.core_properties.title = "Teamwerk"
    doc.add_heading("{{ l.job_title }} · {{ d.person }}", 0)
    _header_table(
        doc,
        [
            ("{{ l.person }}", "{{ d.person }}"),
            ("{{ l.function }}", "{{ d.function }}"),
            ("{{ l.first_evaluator }}", "{{ d.first_evaluator }}"),
            ("{{ l.second_evaluator }}", "{{ d.second_evaluator }}"),
        ],
    )
    doc.add_paragraph("{{ d.intro }}")
    doc.add_heading("{{ d.tasks_heading }}", 1)
    doc.add_paragraph("{%p if not d.sections %}")
    doc.add_paragraph("{{ l.no_tasks }}")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p for s in d.sections %}")
    doc.add_heading("{{ s.ref }} {{ s.name }}", 2)
    doc.add_paragraph("{{ s.intro }}")
    doc.add_paragraph("{%p if s.condition %}")
    doc.add_paragraph("{{ s.condition }}").runs[0].italic = True
    doc.add_paragraph("{%p endif %}")
    _loop_table(
        doc,
        ["{{ l.task }}", "{{ l.role }}", "{{ l.hours }}", "{{ l.mandate }}", "{{ l.period }}"],
        [
            "{{ r.code }} {{ r.title }}",
            "{{ r.role }}",
            "{{ r.hours }}",
            "{{ r.mandate }}",
            "{{ r.period }}",
        ],
        "for r in s.rows",
    )
    doc.add_paragraph("{%p endfor %}")
    doc.add_heading("{{ l.total }}", 2)
    doc.add_paragraph("{{ l.total_hours }}: {{ d.total_hours }}")
    doc.add_paragraph("{{ l.available_hours }}: {{ d.available_hours }}")
    doc.add_paragraph("{%p if d.over_hours %}")
    doc.add_paragraph("{{ l.over_hours }}")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{{ d.closing }}")
    doc.add_heading("{{ l.signatures }}", 1)
    doc.add_paragraph("{{ l.place }}: {{ d.place }}")
    _signature_table(
        doc,
        [
            "{{ l.person }}: {{ d.person }}",
            "{{ l.first_evaluator }}: {{ d.first_evaluator }}",
            "{{ l.second_evaluator }}: {{ d.second_evaluator }}",
        ],
    )
    return _to_bytes(doc)


@lru_cache(maxsize=1)
def plan_template_bytes() -> bytes:
    from docx import Document

    doc = Document()
    doc.core_properties.title = "Teamwerk"
    doc.add_heading("{{ d.title }}", 0)
    _header_table(doc, [])
    doc.add_paragraph("{{ d.intro }}")
    doc.add_heading("{{ l.who_does_what }}", 1)
    _loop_table(
        doc,
        [
            "{{ l.task }}",
            "{{ l.owner }}",
            "{{ l.backups }}",
            "{{ l.hours }}",
            "{{ l.mandate }}",
        ],
        [
            "{{ r.code }} {{ r.title }}",
            "{{ r.owner }}",
            "{{ r.backups }}",
            "{{ r.hours }}",
            "{{ r.mandate }}",
        ],
        "for r in d.tasks",
    )
    doc.add_heading("{{ l.hours_per_person }}", 1)
    _loop_table(
        doc,
        ["{{ l.name }}", "{{ l.function }}", "{{ l.used }}", "{{ l.available_hours }}"],
        ["{{ p.name }}", "{{ p.function }}", "{{ p.used }}", "{{ p.available }}"],
        "for p in d.people",
    )
    doc.add_paragraph("{{ l.planned_hours }}: {{ d.planned_hours }}")
    doc.add_paragraph("{{ l.assigned_hours }}: {{ d.assigned_hours }}")
    doc.add_paragraph("{{ l.budget }}: {{ d.budget }}")
    doc.add_paragraph("{%p if d.over_budget %}")
    doc.add_paragraph("{{ l.over_budget }}")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p if not d.is_group %}")
    doc.add_heading("{{ l.agreements }}", 1)
    doc.add_paragraph("{%p if not d.agreements %}")
    doc.add_paragraph("{{ l.no_agreements }}")
    doc.add_paragraph("{%p endif %}")
    _loop_table(
        doc,
        ["{{ l.kind }}", "{{ l.agreement }}", "{{ l.responsible }}", "{{ l.review_on }}"],
        ["{{ a.kind }}", "{{ a.text }}", "{{ a.responsible }}", "{{ a.review_on }}"],
        "for a in d.agreements",
    )
    doc.add_paragraph("{%p endif %}")
    doc.add_page_break()
    doc.add_heading("{{ l.signatures }}", 1)
    doc.add_paragraph("{{ l.place }}: {{ d.place }}")
    signers = ["{{ l.directie }}"]
    table = doc.add_table(rows=3, cols=3)
    table.style = "Table Grid"
    for col, head in enumerate(("{{ l.name }}", "{{ l.date }}", "{{ l.signature }}")):
        _cell(table, 0, col, head, bold=True)
    _cell(table, 1, 0, signers[0])
    _cell(table, 2, 0, "{% if d.needs_consent %}{{ d.consent_line }}{% endif %}")
    return _to_bytes(doc)


@lru_cache(maxsize=1)
def vacancy_template_bytes() -> bytes:
    from docx import Document

    doc = Document()
    doc.core_properties.title = "Teamwerk"
    doc.add_heading("{{ d.title }}", 0)
    _header_table(doc, [])
    doc.add_paragraph("{%p for s in d.sections %}")
    doc.add_heading("{{ s.heading }}", 1)
    doc.add_paragraph("{%p for line in s.lines %}")
    doc.add_paragraph("{{ line }}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p endfor %}")
    return _to_bytes(doc)


def render_docx(template: bytes, data) -> bytes:
    from docxtpl import DocxTemplate

    from .house_style import sandbox

    document = DocxTemplate(io.BytesIO(template))
    document.render({"d": _clean(data), "l": labels()}, jinja_env=sandbox(), autoescape=True)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def template_for(organisation_id, kind: str) -> bytes:
    """The organisation's own Word template for this kind of document, or ours."""
    from .models import DocumentKind, HouseStyle

    own = (
        HouseStyle.objects.filter(organisation_id=organisation_id, kind=kind)
        .values_list("docx", flat=True)
        .first()
    )
    if own:
        return bytes(own)
    return job_template_bytes() if kind == DocumentKind.JOB_DESCRIPTION else plan_template_bytes()


def job_docx(job, template: bytes | None = None) -> bytes:
    return render_docx(template or job_template_bytes(), job)


def plan_docx(plan, template: bytes | None = None) -> bytes:
    data = _clean(plan)
    data["title"] = labels()["group_plan_title" if plan.is_group else "plan_title"]
    return render_docx(template or plan_template_bytes(), data)


# ------------------------------------------------------------------------------------ PDF


def _no_fetching(url: str, *args, **kwargs):
    """The print templates are self-contained: WeasyPrint fetches nothing (no SSRF)."""
    raise ValueError(f"external resource refused: {url}")


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML  # heavy import, only when a PDF is asked for

    return HTML(string=html, url_fetcher=_no_fetching).write_pdf(pdf_variant="pdf/ua-1")


def _context(**extra) -> dict:
    return {
        "l": labels(),
        "lang": (get_language() or "nl")[:2],
        "printed_on": timezone.localdate(),
        **extra,
    }


def job_html(jobs: list, title: str) -> str:
    return render_to_string("documents/job_print.html", _context(jobs=jobs, title=title))


def plan_html(plan) -> str:
    title = labels()["group_plan_title" if plan.is_group else "plan_title"]
    return render_to_string("documents/plan_print.html", _context(d=plan, title=title))


def job_pdf(job) -> bytes:
    return html_to_pdf(job_html([job], f"{labels()['job_title']} · {job.person}"))


def jobs_pdf(jobs: list, school_name: str) -> bytes:
    return html_to_pdf(job_html(jobs, f"{_('Functiebeschrijvingen')} · {school_name}"))


def plan_pdf(plan) -> bytes:
    return html_to_pdf(plan_html(plan))


def vacancy_docx(document) -> bytes:
    return render_docx(vacancy_template_bytes(), document)


def vacancy_pdf(document) -> bytes:
    return html_to_pdf(
        render_to_string("documents/vacancy_print.html", _context(d=document, title=document.title))
    )


def jobs_zip(jobs: list, template: bytes | None = None, on_progress=None) -> bytes:
    buffer = io.BytesIO()
    seen: set[str] = set()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for done, job in enumerate(jobs, start=1):
            name = file_name("functiebeschrijving", job.person, job.header.school_year)
            while name in seen:
                name = "x-" + name
            seen.add(name)
            archive.writestr(f"{name}.docx", job_docx(job, template))
            if on_progress is not None:
                on_progress(done)
    return buffer.getvalue()


def file_name(*parts: str) -> str:
    return "-".join(slugify(str(part)) for part in parts if part) or "document"
