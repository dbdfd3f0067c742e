"""The background worker: django-tasks' db_worker plus a heartbeat and run recovery.

At start-up and with every heartbeat, runs whose worker died (busy past their time limit
plus a margin) are marked failed, so a restarted worker leaves nothing "busy" for ever.
``/health/`` reports the age of the last heartbeat."""

from __future__ import annotations

import logging
import threading

from django.db import close_old_connections
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from teamwerk.core import heartbeat

logger = logging.getLogger(__name__)


def beat_once() -> None:
    """One heartbeat: record that the worker lives, and give up on runs that lost theirs."""
    from teamwerk.allocation.services import proposal_runs_expire

    heartbeat.beat()
    proposal_runs_expire()


def _beat_forever(stop: threading.Event) -> None:
    while not stop.wait(heartbeat.BEAT_SECONDS):
        try:
            beat_once()
        except Exception:  # noqa: BLE001 - a missed beat must not stop the worker
            logger.exception("worker heartbeat failed")
        finally:
            close_old_connections()


class Command(DbWorkerCommand):
    help = "Run background tasks, with a heartbeat and recovery of interrupted proposals."

    def handle(self, *args, **options):
        beat_once()
        stop = threading.Event()
        thread = threading.Thread(target=_beat_forever, args=(stop,), name="heartbeat", daemon=True)
        thread.start()
        try:
            return super().handle(*args, **options)
        finally:
            stop.set()
