"""The background worker: django-tasks' db_worker plus a heartbeat and run recovery.

At start-up and with every heartbeat, runs whose worker died (busy past their time limit
plus a margin) are marked failed, so a restarted worker leaves nothing "busy" for ever.
``/health/`` reports the age of the last heartbeat. A second thread runs the daily jobs
(``teamwerk.core.daily``) once per day."""

from __future__ import annotations

import logging
import threading

from django.db import close_old_connections
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from teamwerk.core import daily, heartbeat

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


DAILY_CHECK_SECONDS = 60


def _daily_forever(stop: threading.Event) -> None:
    while True:
        try:
            daily.run_daily_jobs()
        except Exception:  # noqa: BLE001 - a failed check must not stop the worker
            logger.exception("daily jobs check failed")
        finally:
            close_old_connections()
        if stop.wait(DAILY_CHECK_SECONDS):
            return


class Command(DbWorkerCommand):
    help = "Run background tasks, with a heartbeat and recovery of interrupted proposals."

    def handle(self, *args, **options):
        beat_once()
        stop = threading.Event()
        thread = threading.Thread(target=_beat_forever, args=(stop,), name="heartbeat", daemon=True)
        thread.start()
        if not options.get("batch"):
            # A long-running worker runs the daily jobs; a --batch run (cron, tests) does not.
            threading.Thread(
                target=_daily_forever, args=(stop,), name="daily-jobs", daemon=True
            ).start()
        try:
            return super().handle(*args, **options)
        finally:
            stop.set()
