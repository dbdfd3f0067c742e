"""The route of a school as a PDF: a print template rendered by WeasyPrint (HTML + @page)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from .display import RouteDisplay
from .selectors import Perspective, RouteState, timeline

# The print shows the advice of every role: it is handed round in a meeting.
PRINT_PERSPECTIVE = Perspective(can_edit=False, roles=("directie", "ict", "teamlid"))


def route_print_html(request, school, journey, state: RouteState) -> str:
    """The HTML that WeasyPrint turns into the PDF (kept separate so tests can read it)."""
    display = RouteDisplay(state, PRINT_PERSPECTIVE)
    entries = display.timeline(timeline(journey))
    context = {
        "school": school,
        "organisation": school.organisation,
        "display": display,
        "state": state,
        "decisions": display.decisions,
        "changes": [e for e in entries if e.entry.superseded or e.entry.changed],
        "timeline": entries,
        "printed_on": timezone.localdate(),
    }
    return render_to_string("stappenplan/print.html", context, request=request)


def _no_fetching(url: str, *args, **kwargs):
    """The print template is self-contained: WeasyPrint may not fetch anything (no SSRF)."""
    raise ValueError(f"external resource refused: {url}")


def html_to_document(html: str):
    from weasyprint import HTML  # heavy import, only when a PDF is asked for

    return HTML(string=html, url_fetcher=_no_fetching).render()


def html_to_pdf(html: str) -> bytes:
    return html_to_document(html).write_pdf()
