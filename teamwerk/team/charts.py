"""Small, accessible SVG charts drawn on the server.

The same markup goes into the page, a PDF later, and the tests (which read its text). Every
chart has role="img", a <title> and a <desc>, text labels next to every bar (colour is never
the only carrier of meaning), and colours with enough contrast on white.

These helpers know nothing of the team; they could move to teamwerk/core when another module
needs charts.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 400
ROW = 46
BAR_HEIGHT = 16
TRACK = "#e9ecef"
TEXT = "#212529"
MUTED = "#495057"
TONES = {
    "primary": "#0b5c7a",
    "success": "#1e6b34",
    "danger": "#b02a37",
    "warning": "#9a4d00",
    "neutral": "#5c636a",
}


@dataclass(frozen=True)
class ShareBar:
    """``part`` of ``whole`` (e.g. 12 of 20 tasks have a trekker)."""

    label: str
    part: int
    whole: int
    href: str = ""
    tone: str = "primary"


@dataclass(frozen=True)
class ValueBar:
    label: str
    value: Decimal | float | int
    href: str = ""
    tone: str = "primary"
    note: str = ""  # text after the value, e.g. "uur"


@dataclass(frozen=True)
class LoadBar:
    """Hours used against hours available for one person."""

    label: str
    used: Decimal | float | int
    available: Decimal | float | int
    href: str = ""


def _num(value) -> str:
    value = Decimal(str(value))
    if value == value.to_integral_value():
        return str(int(value))
    return f"{value.quantize(Decimal('0.1'))}".replace(".", ",")


def _frame(chart_id: str, title: str, desc: str, height: int, body: list[str]) -> SafeString:
    # A picture with links in it is a group of links, not one image (an image's parts cannot
    # be reached by keyboard or screen reader).
    role = "group" if any("<a " in part for part in body) else "img"
    return mark_safe(  # noqa: S308 - every text below went through escape()
        f'<svg xmlns="http://www.w3.org/2000/svg" class="tw-chart" role="{role}" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" id="{chart_id}">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>'
        f'<g font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif" font-size="13">'
        + "".join(body)
        + "</g></svg>"
    )


def _track(y: int) -> str:
    return f'<rect x="0" y="{y + 20}" width="{WIDTH}" height="{BAR_HEIGHT}" rx="3" fill="{TRACK}"/>'


def _link(href: str, inner: str) -> str:
    """A bar that opens its list; the link is named by the label and value it shows."""
    if not href:
        return inner
    return f'<a href="{escape(href)}">{inner}</a>'


def share_chart(
    chart_id: str, title: str, desc: str, bars: list[ShareBar], *, of: str
) -> SafeString:
    """Horizontal bars, each a share of a whole, with "12 of 20 (60%)" written next to it.
    ``of`` is the word between the numbers ("van")."""
    body = []
    for index, bar in enumerate(bars):
        y = index * ROW
        share = bar.part / bar.whole if bar.whole else 0
        percent = round(share * 100)
        value = f"{bar.part} {of} {bar.whole} ({percent}%)"
        colour = TONES.get(bar.tone, TONES["primary"])
        inner = (
            f'<text x="0" y="{y + 14}" fill="{TEXT}">{escape(bar.label)}</text>'
            f'<text x="{WIDTH}" y="{y + 14}" fill="{TEXT}" text-anchor="end" font-weight="600">'
            f"{escape(value)}</text>"
            + _track(y)
            + f'<rect x="0" y="{y + 20}" width="{round(WIDTH * share, 1)}" height="{BAR_HEIGHT}" '
            f'rx="3" fill="{colour}"/>'
        )
        body.append(_link(bar.href, f"<g>{inner}</g>"))
    return _frame(chart_id, title, desc, max(len(bars), 1) * ROW, body)


def value_chart(chart_id: str, title: str, desc: str, bars: list[ValueBar]) -> SafeString:
    """Horizontal bars on one scale (e.g. hours needed, given, available)."""
    top = max([Decimal(str(b.value)) for b in bars] + [Decimal(1)])
    body = []
    for index, bar in enumerate(bars):
        y = index * ROW
        value = Decimal(str(bar.value))
        width = float(max(value, Decimal(0)) / top) * WIDTH
        text = f"{_num(value)} {bar.note}".strip()
        colour = TONES.get(bar.tone, TONES["primary"])
        inner = (
            f'<text x="0" y="{y + 14}" fill="{TEXT}">{escape(bar.label)}</text>'
            f'<text x="{WIDTH}" y="{y + 14}" fill="{TEXT}" text-anchor="end" font-weight="600">'
            f"{escape(text)}</text>"
            + _track(y)
            + f'<rect x="0" y="{y + 20}" width="{round(width, 1)}" height="{BAR_HEIGHT}" rx="3" '
            f'fill="{colour}"/>'
        )
        body.append(_link(bar.href, f"<g>{inner}</g>"))
    return _frame(chart_id, title, desc, max(len(bars), 1) * ROW, body)


def load_chart(
    chart_id: str, title: str, desc: str, bars: list[LoadBar], *, unit: str, over_word: str
) -> SafeString:
    """Per person: the hours they have (light bar) and the hours of their tasks (dark bar,
    red and marked with ``over_word`` when it goes past what they have)."""
    top = max(
        [Decimal(str(b.available)) for b in bars]
        + [Decimal(str(b.used)) for b in bars]
        + [Decimal(1)]
    )
    body = []
    for index, bar in enumerate(bars):
        y = index * ROW
        used, available = Decimal(str(bar.used)), Decimal(str(bar.available))
        over = used > available
        text = f"{_num(used)} / {_num(available)} {unit}"
        if over:
            text = f"{text} · {over_word} +{_num(used - available)}"
        colour = TONES["danger"] if over else TONES["primary"]
        inner = (
            f'<text x="0" y="{y + 14}" fill="{TEXT}">{escape(bar.label)}</text>'
            f'<text x="{WIDTH}" y="{y + 14}" fill="{TONES["danger"] if over else TEXT}" '
            f'text-anchor="end" font-weight="600">{escape(text)}</text>'
            + _track(y)
            + f'<rect x="0" y="{y + 20}" width="{round(float(available / top) * WIDTH, 1)}" '
            f'height="{BAR_HEIGHT}" rx="3" fill="#b6d4e0"/>'
            f'<rect x="0" y="{y + 24}" width="{round(float(used / top) * WIDTH, 1)}" '
            f'height="{BAR_HEIGHT - 8}" rx="2" fill="{colour}"/>'
        )
        body.append(_link(bar.href, f"<g>{inner}</g>"))
    return _frame(chart_id, title, desc, max(len(bars), 1) * ROW, body)


def meter(chart_id: str, title: str, part: int, whole: int, *, tone: str = "primary") -> SafeString:
    """A small inline bar for tables (e.g. one school's share of tasks with a trekker)."""
    share = part / whole if whole else 0
    colour = TONES.get(tone, TONES["primary"])
    return mark_safe(  # noqa: S308
        f'<svg xmlns="http://www.w3.org/2000/svg" class="tw-meter" role="img" viewBox="0 0 100 10" '
        f'width="100" height="10" aria-labelledby="{chart_id}-t"><title id="{chart_id}-t">'
        f"{escape(title)}</title>"
        f'<rect x="0" y="0" width="100" height="10" rx="2" fill="{TRACK}"/>'
        f'<rect x="0" y="0" width="{round(share * 100, 1)}" height="10" rx="2" fill="{colour}"/>'
        "</svg>"
    )
