"""Step 8 recurs: the review date the route gives after "the team was evaluated" reaches the
school's directie and ICT coordinators by mail (once) and in their calendar feed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from teamwerk.actions.models import Action
from teamwerk.actions.reminders import due_items, reminders_send
from teamwerk.stappenplan.models import Answer
from teamwerk.stappenplan.reminders import EVALUATED_CHECK, REVIEW_KIND
from teamwerk.stappenplan.route import default_route, next_review
from teamwerk.stappenplan.services import answer_record, journey_ensure
from teamwerk.team.models import Agreement

pytestmark = pytest.mark.django_db


def _evaluated_so_that_the_review_is_on(target: dt.date) -> dt.date:
    route = default_route()
    day = target
    while next_review(route, day) != target:
        day -= dt.timedelta(days=1)
    return day


@pytest.fixture
def noord_evaluated(world):
    """Only Noord's step-8 review is due, in two days; nothing else of the demo is."""
    Action.objects.update(due=None)
    Agreement.objects.update(review_on=None)
    Answer.objects.filter(check_code=EVALUATED_CHECK).delete()
    today = timezone.localdate()
    review_on = today + dt.timedelta(days=2)
    evaluated_on = _evaluated_so_that_the_review_is_on(review_on)
    answer_record(
        actor=world.users["directie_noord"],
        journey=journey_ensure(school=world.noord),
        check_code=EVALUATED_CHECK,
        value=True,
        answered_at=timezone.make_aware(dt.datetime.combine(evaluated_on, dt.time(10))),
    )
    return review_on


def test_the_school_leaders_are_reminded_once_of_the_step_8_review(world, noord_evaluated):
    now = timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time(6)))
    reminders_send(now=now)
    to = sorted(m.to[0] for m in mail.outbox)
    assert to == ["directie.noord@scholengroep-demo.be", "ict.noord@scholengroep-demo.be"]
    assert all("stap 8" in m.subject and "Campus Noord" in m.subject for m in mail.outbox)
    reminders_send(now=now)
    assert len(mail.outbox) == 2


def test_the_review_is_in_the_leaders_calendar_only(world, noord_evaluated):
    today = timezone.localdate()
    window = {"start": today, "end": today + dt.timedelta(days=30)}

    def reviews(user_key):
        items = due_items(**window, user=world.users[user_key])
        return [item.date for item in items if item.kind == REVIEW_KIND]

    assert reviews("ict_noord") == [noord_evaluated]
    assert reviews("teamlid_noord") == []
    assert reviews("directie_zuid") == []


def test_a_no_to_step_8_gives_no_review_date(world, noord_evaluated):
    answer_record(
        actor=world.users["directie_noord"],
        journey=journey_ensure(school=world.noord),
        check_code=EVALUATED_CHECK,
        value=False,
    )
    today = timezone.localdate()
    items = due_items(start=today, end=today + dt.timedelta(days=30))
    assert [item for item in items if item.kind == REVIEW_KIND] == []
