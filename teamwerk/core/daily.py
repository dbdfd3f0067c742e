"""Daily jobs: work the background worker does once per day (reminders, retention purges).

An app registers its job once, usually in ``AppConfig.ready()``::

    from teamwerk.core.daily import register_daily_job

    register_daily_job("reminders", reminders_send_due)

The callable gets ``now`` (an aware datetime) as keyword argument and may return a small
JSON-able summary of what it did (counts, never personal data); it is stored as the job's last
run and shown on ``/health/``. The worker calls ``run_daily_jobs()`` every minute; each job
runs at most once per local date, from ``DAILY_JOBS_HOUR`` (settings, default 3 o'clock)
onwards, even with several workers. ``manage.py run_daily_jobs`` runs them by hand.
"""

from __future__ import annotations

import datetime as dt
import logging
import traceback
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.utils import timezone

logger = logging.getLogger(__name__)

DailyJob = Callable[..., Any]
_JOBS: dict[str, DailyJob] = {}


def register_daily_job(name: str, job: DailyJob | None = None):
    """Register ``job`` under ``name`` (also usable as a decorator). Registering the same
    name again replaces the job (app reloads in tests)."""
    if job is None:

        def decorator(func: DailyJob) -> DailyJob:
            register_daily_job(name, func)
            return func

        return decorator
    if not name or len(name) > 100:
        raise ValueError("A daily job needs a name of 1 to 100 characters.")
    _JOBS[name] = job
    return job


def registered_jobs() -> dict[str, DailyJob]:
    return dict(_JOBS)


def _due_time(now: dt.datetime) -> bool:
    hour = getattr(settings, "DAILY_JOBS_HOUR", 3)
    return timezone.localtime(now).hour >= hour


def run_daily_jobs(
    *, now: dt.datetime | None = None, force: bool = False, only: list[str] | None = None
) -> dict[str, str]:
    """Run every registered job that has not run today (local date); return name → status
    ("ok", "failed", or "skipped" when it already ran today or it is not yet time).

    ``force`` runs them even when they ran today or before the hour (a manual run)."""
    from teamwerk.core.models import DailyJobRun

    now = now or timezone.now()
    today = timezone.localdate(now)
    results: dict[str, str] = {}
    for name, job in sorted(_JOBS.items()):
        if only and name not in only:
            continue
        if not force and not _due_time(now):
            results[name] = "skipped"
            continue
        DailyJobRun.objects.get_or_create(name=name)
        claim = DailyJobRun.objects.filter(name=name)
        if not force:
            claim = claim.exclude(run_date=today)
        claimed = claim.update(
            run_date=today, started_at=now, finished_at=None, status=DailyJobRun.Status.RUNNING
        )
        if not claimed:
            results[name] = "skipped"
            continue
        logger.info("daily job started", extra={"job": name})
        try:
            summary = job(now=now)
        except Exception as exc:  # noqa: BLE001 - one failing job must not stop the others
            logger.exception("daily job failed", extra={"job": name})
            DailyJobRun.objects.filter(name=name).update(
                finished_at=timezone.now(),
                status=DailyJobRun.Status.FAILED,
                summary={},
                error="".join(traceback.format_exception_only(exc)).strip()[:2000],
            )
            results[name] = "failed"
            continue
        if summary is not None and not isinstance(summary, dict):
            summary = {"result": summary}
        DailyJobRun.objects.filter(name=name).update(
            finished_at=timezone.now(),
            status=DailyJobRun.Status.OK,
            summary=summary or {},
            error="",
        )
        logger.info("daily job finished", extra={"job": name, "summary": summary or {}})
        results[name] = "ok"
    return results


def last_runs() -> dict[str, dict[str, Any]]:
    """Every registered job's last run, for ``/health/`` (jobs that never ran: nulls)."""
    from teamwerk.core.models import DailyJobRun

    runs = {run.name: run for run in DailyJobRun.objects.filter(name__in=list(_JOBS))}
    out: dict[str, dict[str, Any]] = {}
    for name in sorted(_JOBS):
        run = runs.get(name)
        out[name] = {
            "last_run": run.started_at.isoformat() if run and run.started_at else None,
            "finished_at": run.finished_at.isoformat() if run and run.finished_at else None,
            "status": (run.status or None) if run else None,
            "summary": run.summary if run else {},
        }
    return out
