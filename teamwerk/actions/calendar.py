"""The personal calendar feed (RFC 5545), written by hand: one all-day event per date of the
reminder registry that concerns the user (their actions, agreements to review, open rounds).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from .reminders import Due, due_items

PAST_DAYS = 60
FUTURE_DAYS = 400


def _escape(text: str) -> str:
    return (
        str(text)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def _fold(line: str) -> str:
    """Lines of at most 75 octets; continuation lines start with a space (RFC 5545 3.1)."""
    encoded = line.encode()
    if len(encoded) <= 75:
        return line
    parts, current, size = [], "", 0
    for char in line:
        width = len(char.encode())
        if size + width > (75 if not parts else 74):
            parts.append(current)
            current, size = "", 0
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)


def _event(item: Due, stamp: str, site_url: str) -> list[str]:
    day = item.date
    lines = [
        "BEGIN:VEVENT",
        f"UID:{_escape(item.uid)}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
        f"DTEND;VALUE=DATE:{day + dt.timedelta(days=1):%Y%m%d}",
        f"SUMMARY:{_escape(item.subject)}",
    ]
    if item.detail:
        lines.append(f"DESCRIPTION:{_escape(item.detail)}")
    if item.url:
        lines.append(f"URL:{site_url}{item.url}")
    lines.append("TRANSP:TRANSPARENT")
    lines.append("END:VEVENT")
    return lines


def calendar_for(user, *, today: dt.date | None = None, site_url: str = "") -> str:
    today = today or timezone.localdate()
    items = due_items(
        start=today - dt.timedelta(days=PAST_DAYS),
        end=today + dt.timedelta(days=FUTURE_DAYS),
        user=user,
    )
    stamp = timezone.now().astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Teamwerk//Acties//NL",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_escape(_('Teamwerk: mijn data'))}",
    ]
    seen: set[str] = set()
    for item in sorted(items, key=lambda i: (i.date, i.kind, i.ref)):
        if item.uid in seen:
            continue
        seen.add(item.uid)
        lines.extend(_event(item, stamp, site_url))
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)
