"""Server-drawn SVG for the evaluation results, in the dashboard's style (team/charts.py):
role="img" with a title and a description, text next to every mark (colour is never the
only carrier), colours with enough contrast on white.

One small chart per question (its text stays in the page, where it wraps on a phone): a bar
per round on the 1-5 scale, the oldest on top, this round at the bottom in the dark tone (red
when it dropped).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from teamwerk.team.charts import MUTED, TEXT, TONES, TRACK

WIDTH = 400
ROW = 22
SCALE_LEFT = 86
SCALE_RIGHT = 350  # x of value 5; the value is written right of it


@dataclass(frozen=True)
class Series:
    label: str  # the round: "jun 2025"
    means: dict[str, Decimal]  # question code -> mean


def _x(value: Decimal) -> float:
    return round(SCALE_LEFT + float(value) / 5 * (SCALE_RIGHT - SCALE_LEFT), 1)


def _num(value: Decimal) -> str:
    return f"{value:.1f}".replace(".", ",")


def trend_chart(
    chart_id: str, title: str, desc: str, code: str, series: list[Series], *, dropped: bool
) -> SafeString:
    body = []
    for index, item in enumerate(series):
        y = index * ROW
        latest = index == len(series) - 1
        mean = item.means.get(code)
        weight = ' font-weight="600"' if latest else ""
        body.append(
            f'<text x="0" y="{y + 15}" fill="{MUTED if not latest else TEXT}"{weight}>'
            f"{escape(item.label)}</text>"
            f'<rect x="{SCALE_LEFT}" y="{y + 4}" width="{SCALE_RIGHT - SCALE_LEFT}" '
            f'height="14" rx="3" fill="{TRACK}"/>'
        )
        if mean is None:
            body.append(f'<text x="{WIDTH}" y="{y + 15}" fill="{MUTED}" text-anchor="end">–</text>')
            continue
        if latest:
            tone = TONES["danger"] if dropped else TONES["primary"]
        else:
            tone = TONES["neutral"]
        body.append(
            f'<rect x="{SCALE_LEFT}" y="{y + 4}" width="{_x(mean) - SCALE_LEFT}" height="14" '
            f'rx="3" fill="{tone}"/>'
            f'<text x="{WIDTH}" y="{y + 15}" fill="{TEXT}" text-anchor="end"{weight}>'
            f"{escape(_num(mean))}</text>"
        )
    height = max(len(series), 1) * ROW
    return mark_safe(  # noqa: S308 - every text went through escape()
        f'<svg xmlns="http://www.w3.org/2000/svg" class="tw-chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" id="{chart_id}">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>'
        f'<g font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif" font-size="13">'
        + "".join(body)
        + "</g></svg>"
    )
