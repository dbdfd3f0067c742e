"""The background worker's heartbeat, kept in the shared cache so every process sees it.

The worker writes the time every few seconds (``beat``); ``/health/`` reads its age."""

from __future__ import annotations

import datetime as dt

from django.core.cache import cache
from django.utils import timezone

KEY = "worker:heartbeat"
# The worker beats every BEAT_SECONDS; a heartbeat older than STALE_AFTER_SECONDS means it
# has stopped (or cannot reach the cache).
BEAT_SECONDS = 10
STALE_AFTER_SECONDS = 60


def beat(*, now: dt.datetime | None = None) -> None:
    cache.set(KEY, (now or timezone.now()).isoformat(), timeout=None)


def last_beat() -> dt.datetime | None:
    value = cache.get(KEY)
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def age_seconds(*, now: dt.datetime | None = None) -> int | None:
    last = last_beat()
    if last is None:
        return None
    return max(0, int(((now or timezone.now()) - last).total_seconds()))
