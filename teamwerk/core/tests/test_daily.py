"""Daily jobs: the worker runs each registered job once per local date and records the run;
/health/ shows the last run and the number of background tasks waiting."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.core.management import call_command

from teamwerk.core import daily
from teamwerk.core.models import DailyJobRun

pytestmark = pytest.mark.django_db

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")


@pytest.fixture
def jobs(monkeypatch):
    monkeypatch.setattr(daily, "_JOBS", {})
    calls: list[tuple[str, dt.datetime]] = []

    def purge(*, now):
        calls.append(("purge", now))
        return {"removed": {"audit": 3}}

    def broken(*, now):
        calls.append(("broken", now))
        raise RuntimeError("mail server away")

    daily.register_daily_job("purge", purge)
    daily.register_daily_job("broken", broken)
    return calls


def test_each_job_runs_once_per_day_and_records_what_it_did(jobs, settings):
    settings.DAILY_JOBS_HOUR = 3
    morning = dt.datetime(2026, 10, 1, 4, 0, tzinfo=BRUSSELS)
    assert daily.run_daily_jobs(now=morning) == {"broken": "failed", "purge": "ok"}
    # later the same day: nothing runs again, not even the failed one
    assert daily.run_daily_jobs(now=morning + dt.timedelta(hours=5)) == {
        "broken": "skipped",
        "purge": "skipped",
    }
    assert len(jobs) == 2
    purge = DailyJobRun.objects.get(name="purge")
    assert purge.status == "ok" and purge.summary == {"removed": {"audit": 3}}
    assert purge.run_date == dt.date(2026, 10, 1)
    broken = DailyJobRun.objects.get(name="broken")
    assert broken.status == "failed" and "mail server away" in broken.error
    # the next day both run again
    assert daily.run_daily_jobs(now=morning + dt.timedelta(days=1)) == {
        "broken": "failed",
        "purge": "ok",
    }
    assert len(jobs) == 4


def test_jobs_wait_for_the_hour_in_local_time(jobs, settings):
    settings.DAILY_JOBS_HOUR = 3
    # 01:30 UTC is 03:30 in Brussels in summer time: due
    assert daily.run_daily_jobs(now=dt.datetime(2026, 7, 1, 1, 30, tzinfo=dt.UTC))["purge"] == "ok"
    # 02:30 in Brussels the next night: not yet
    early = dt.datetime(2026, 7, 2, 2, 30, tzinfo=BRUSSELS)
    assert daily.run_daily_jobs(now=early)["purge"] == "skipped"


def test_the_command_runs_jobs_now_and_fails_when_one_fails(jobs, capsys):
    daily.run_daily_jobs(now=dt.datetime(2026, 10, 1, 4, 0, tzinfo=BRUSSELS))
    call_command("run_daily_jobs", "purge")  # forced: runs again the same day
    assert [name for name, _ in jobs].count("purge") == 2
    with pytest.raises(SystemExit) as failed:
        call_command("run_daily_jobs")
    assert failed.value.code == 1
    assert "broken: failed" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        call_command("run_daily_jobs", "nonexistent")


def test_register_daily_job_works_as_a_decorator(monkeypatch):
    monkeypatch.setattr(daily, "_JOBS", {})

    @daily.register_daily_job("reminders")
    def reminders(*, now):
        return None

    assert daily.registered_jobs() == {"reminders": reminders}
    assert daily.run_daily_jobs(force=True) == {"reminders": "ok"}
    assert DailyJobRun.objects.get(name="reminders").summary == {}


def test_health_shows_queue_length_and_the_daily_jobs_last_run(jobs, client, settings):
    from teamwerk.documents.tasks import make_bundle

    assert client.get("/health/").json()["queue"] == {"ready": 0}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    make_bundle.enqueue(1)
    make_bundle.enqueue(2)
    daily.run_daily_jobs(now=dt.datetime(2026, 10, 1, 4, 0, tzinfo=BRUSSELS))
    body = client.get("/health/").json()
    assert body["queue"] == {"ready": 2}
    assert body["daily_jobs"]["purge"]["status"] == "ok"
    assert body["daily_jobs"]["purge"]["summary"] == {"removed": {"audit": 3}}
    assert body["daily_jobs"]["purge"]["last_run"].startswith("2026-10-01")
    assert body["daily_jobs"]["broken"]["status"] == "failed"
