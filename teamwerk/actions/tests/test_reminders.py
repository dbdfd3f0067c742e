"""Reminders: the daily job mails each due item once per recipient and stage, respects the
opt-out, and other modules plug their dates in through the registry."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from teamwerk.actions import reminders
from teamwerk.actions.models import Action, ReminderSent
from teamwerk.actions.reminders import Due, register_reminder_source, reminders_send
from teamwerk.actions.services import action_create, reminders_opt
from teamwerk.team.models import Agreement, Person

pytestmark = pytest.mark.django_db


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(6, 0)))


@pytest.fixture
def quiet(world):
    """Only the action made by the test is due: the demo's actions and agreements are moved
    far away, so counts are exact."""
    Action.objects.update(due=None)
    Agreement.objects.update(review_on=None)
    mail.outbox.clear()
    return world


def _tom_action(world, due):
    return action_create(
        user=world.users["ict_noord"],
        organisation=world.organisation,
        school=world.noord,
        title="Chromebooks laten herstellen",
        source="task",
        owner=Person.objects.get(user=world.users["teamlid_noord"]),
        due=due,
    )


def _to_tom():
    return [m for m in mail.outbox if m.to == ["teamlid.noord@scholengroep-demo.be"]]


def test_action_reminder_is_sent_once_then_once_more_when_overdue(quiet):
    today = timezone.localdate()
    due = today + dt.timedelta(days=2)
    _tom_action(quiet, due)

    reminders_send(now=_at(today))
    reminders_send(now=_at(today))  # the same day again: nothing new
    assert len(_to_tom()) == 1
    assert "Chromebooks laten herstellen" in _to_tom()[0].subject
    assert "/acties/" in _to_tom()[0].body

    reminders_send(now=_at(today + dt.timedelta(days=1)))  # the clock moves: still due
    reminders_send(now=_at(due))
    assert len(_to_tom()) == 1

    reminders_send(now=_at(due + dt.timedelta(days=1)))  # overdue: one more
    reminders_send(now=_at(due + dt.timedelta(days=2)))
    reminders_send(now=_at(due + dt.timedelta(days=5)))
    assert len(_to_tom()) == 2
    assert _to_tom()[1].subject.startswith("Te laat")
    assert ReminderSent.objects.filter(kind="action").count() == 2


def test_no_reminder_far_ahead_or_for_done_actions(quiet):
    today = timezone.localdate()
    far = _tom_action(quiet, today + dt.timedelta(days=20))
    reminders_send(now=_at(today))
    assert _to_tom() == []
    Action.objects.filter(pk=far.pk).update(done_on=today, due=today + dt.timedelta(days=1))
    reminders_send(now=_at(today))
    assert _to_tom() == []


def test_moved_date_is_a_new_item(quiet):
    today = timezone.localdate()
    action = _tom_action(quiet, today + dt.timedelta(days=1))
    reminders_send(now=_at(today))
    Action.objects.filter(pk=action.pk).update(due=today + dt.timedelta(days=3))
    reminders_send(now=_at(today))
    assert len(_to_tom()) == 2


def test_opt_out_is_respected_and_can_be_undone(quiet, client_for):
    today = timezone.localdate()
    _tom_action(quiet, today + dt.timedelta(days=1))
    client = client_for("teamlid_noord")
    client.post(reverse("actions_reminders"), {"reminders_off": "1"})
    reminders_send(now=_at(today))
    assert _to_tom() == []
    assert not ReminderSent.objects.exists()  # nothing is marked as sent
    reminders_opt(user=quiet.users["teamlid_noord"], off=False)
    reminders_send(now=_at(today))
    assert len(_to_tom()) == 1


def test_agreement_review_goes_to_the_responsible_or_the_school_leaders(quiet):
    today = timezone.localdate()
    agreements = list(Agreement.objects.filter(school=quiet.noord)[:2])
    tom = Person.objects.get(user=quiet.users["teamlid_noord"])
    Agreement.objects.filter(pk=agreements[0].pk).update(
        review_on=today + dt.timedelta(days=2), responsible=tom, agreed_on=today
    )
    Agreement.objects.filter(pk=agreements[1].pk).update(
        review_on=today + dt.timedelta(days=1), responsible=None, agreed_on=today
    )
    reminders_send(now=_at(today))
    assert len(_to_tom()) == 1 and "Afspraak" in _to_tom()[0].subject
    leaders = {m.to[0] for m in mail.outbox} - {"teamlid.noord@scholengroep-demo.be"}
    assert {"directie.noord@scholengroep-demo.be", "ict.noord@scholengroep-demo.be"} <= leaders
    assert not any("zuid" in address for address in leaders)
    reminders_send(now=_at(today))
    assert len(mail.outbox) == 1 + len(leaders)


def test_another_module_plugs_in_its_dates(quiet):
    today = timezone.localdate()
    lezer = quiet.users["lezer_noord"]

    def rounds(*, start, end, user=None):
        day = today + dt.timedelta(days=1)
        if start <= day <= end and (user is None or user == lezer):
            yield Due(
                kind="evaluation.round",
                ref="7",
                date=day,
                recipients=(lezer,),
                subject="Evaluatie sluit",
                url="/evaluatie/7/",
            )

    register_reminder_source("test.rounds", rounds)
    try:
        reminders_send(now=_at(today))
        reminders_send(now=_at(today))
    finally:
        reminders.REMINDER_SOURCES.pop("test.rounds")
    assert [m.to for m in mail.outbox] == [["lezer@scholengroep-demo.be"]]


def test_a_failing_mail_is_tried_again_next_run(quiet, monkeypatch):
    today = timezone.localdate()
    _tom_action(quiet, today + dt.timedelta(days=1))

    def broken(*args, **kwargs):
        raise OSError("smtp down")

    monkeypatch.setattr(reminders, "send_mail", broken)
    result = reminders_send(now=_at(today))
    assert result["failed"] == 1 and not ReminderSent.objects.exists()
    monkeypatch.undo()
    reminders_send(now=_at(today))
    assert len(_to_tom()) == 1


def test_the_daily_job_is_registered():
    from teamwerk.core.daily import registered_jobs

    assert registered_jobs()["reminders"] is reminders_send
