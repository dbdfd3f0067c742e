"""A proposal whose worker died does not stay "busy" for ever (finding 11).

Past its time limit plus a margin it is marked failed with a message, on reading the run
pages and by the worker at start-up; the run page offers to start it again."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from teamwerk.allocation.models import RUN_MARGIN, ProposalRun, RunStatus
from teamwerk.core import heartbeat
from teamwerk.tenancy.selectors import current_school_year

pytestmark = pytest.mark.django_db

OPTIONS = {"continuity": "hoog", "balance": "laag"}


@pytest.fixture
def stuck_run(world):
    """A run of Campus Noord that a worker took and then died on, twenty minutes ago."""
    started = timezone.now() - dt.timedelta(minutes=20)
    run = ProposalRun.objects.create(
        organisation=world.organisation,
        school=world.noord,
        school_year=current_school_year(world.organisation),
        requested_by=world.users["ict_noord"],
        options=OPTIONS,
        status=RunStatus.RUNNING,
        progress=40,
        started_at=started,
    )
    return run


def test_reading_the_run_page_marks_a_dead_run_failed_and_offers_a_restart(client_for, stuck_run):
    client = client_for("ict_noord")
    page = client.get(reverse("allocation_run", args=[stuck_run.pk])).content.decode()
    stuck_run.refresh_from_db()
    assert stuck_run.status == RunStatus.FAILED
    assert stuck_run.finished_at is not None
    assert "De berekening is onderbroken" in page
    assert 'id="run-restart"' in page
    assert 'id="run-progress"' not in page  # no progress bar that never moves


def test_restart_starts_the_same_proposal_again(client_for, stuck_run):
    client = client_for("ict_noord")
    client.get(reverse("allocation_run", args=[stuck_run.pk]))
    response = client.post(reverse("allocation_restart", args=[stuck_run.pk]))
    assert response.status_code == 302
    new_run = ProposalRun.objects.exclude(pk=stuck_run.pk).latest("created_at")
    assert response["Location"] == reverse("allocation_run", args=[new_run.pk])
    assert new_run.school == stuck_run.school
    assert new_run.kind == stuck_run.kind
    assert new_run.options["continuity"] == "hoog"
    assert new_run.requested_by.email == "ict.noord@scholengroep-demo.be"


def test_a_read_only_role_cannot_restart(client_for, stuck_run):
    client = client_for("teamlid_noord")
    client.get(reverse("allocation_run", args=[stuck_run.pk]))
    response = client.post(reverse("allocation_restart", args=[stuck_run.pk]))
    assert response.status_code == 403
    assert ProposalRun.objects.count() == ProposalRun.objects.filter(pk__lte=stuck_run.pk).count()


def test_a_run_that_is_still_within_its_time_is_left_alone(client_for, stuck_run):
    stuck_run.started_at = timezone.now() - dt.timedelta(seconds=5)
    stuck_run.save()
    page = client_for("ict_noord").get(reverse("allocation_run", args=[stuck_run.pk]))
    stuck_run.refresh_from_db()
    assert stuck_run.status == RunStatus.RUNNING
    assert 'id="run-progress"' in page.content.decode()


def test_the_deadline_is_the_time_limit_plus_the_margin(stuck_run):
    stuck_run.started_at = (
        timezone.now() - stuck_run.time_limit - RUN_MARGIN + dt.timedelta(seconds=30)
    )
    assert not stuck_run.has_given_up
    stuck_run.started_at -= dt.timedelta(seconds=60)
    assert stuck_run.has_given_up


def test_the_list_of_proposals_marks_dead_runs_failed_too(client_for, stuck_run):
    page = client_for("ict_noord").get(reverse("allocation_home")).content.decode()
    stuck_run.refresh_from_db()
    assert stuck_run.status == RunStatus.FAILED
    assert "Mislukt" in page


def test_a_restarted_worker_recovers_dead_runs_and_beats(stuck_run, monkeypatch, settings):
    # The task loop itself is django-tasks' (it closes database connections between tasks,
    # which a test transaction cannot survive); what the worker adds runs before it.
    from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    loops = []
    monkeypatch.setattr(DbWorkerCommand, "handle", lambda self, *a, **kw: loops.append(kw))
    call_command("worker", batch=True, startup_delay=False, verbosity=0)
    assert len(loops) == 1  # then the task loop starts
    stuck_run.refresh_from_db()
    assert stuck_run.status == RunStatus.FAILED
    assert "onderbroken" in stuck_run.message
    assert heartbeat.age_seconds() is not None and heartbeat.age_seconds() < 60
