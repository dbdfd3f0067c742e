"""Reminders of open rounds: who was asked and has not answered gets one reminder.

* People with an account: a source in the actions' reminder registry (``evaluation.round``):
  the daily reminder job mails them once, a few days before the round closes, with a link to
  the round page ("Nu invullen" there makes a fresh personal link); their calendar feed shows
  the closing date while they have not answered.
* People without an account (only an e-mail address): a daily job of this app mails them one
  reminder with a fresh personal link (the first link's token is stored nowhere, so it cannot
  be sent again). ``Participation.reminded`` keeps it to one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Participation, RoundStatus

# Like the actions' reminders: from this many days before the closing date.
LEAD_DAYS = 3
# The kind of the reminder registry's items (not an audit kind).
REMINDER_KIND = "evaluation.round"


def open_rounds(*, start: dt.date, end: dt.date, user=None) -> Iterable:
    from teamwerk.actions.reminders import Due

    rows = Participation.objects.filter(
        answered=False,
        round__status=RoundStatus.OPEN,
        round__closes_on__gte=start,
        round__closes_on__lte=end,
        person__user__isnull=False,
        person__user__is_active=True,
    ).select_related("round", "round__school", "round__organisation", "person__user")
    if user is not None:
        rows = rows.filter(person__user=user)
    by_round: dict[int, list] = {}
    rounds = {}
    for participation in rows.order_by("round_id", "pk"):
        rounds[participation.round_id] = participation.round
        by_round.setdefault(participation.round_id, []).append(participation.person.user)
    for pk, users in by_round.items():
        round_ = rounds[pk]
        yield Due(
            kind=REMINDER_KIND,
            ref=str(pk),
            date=round_.closes_on,
            recipients=tuple(users),
            subject=_("Evaluatie van het ICT-team sluit: %(title)s") % {"title": round_.title},
            url=f"/evaluatie/ronde/{pk}/",
            detail=round_.school.name if round_.school_id else round_.organisation.name,
        )


def remind_without_account(*, now: dt.datetime | None = None) -> dict:
    """The daily job for people asked who have no account: one reminder each."""
    from .services import reminder_send

    today = timezone.localdate(now or timezone.now())
    waiting = (
        Participation.objects.filter(
            answered=False,
            reminded=False,
            person__user__isnull=True,
            round__status=RoundStatus.OPEN,
            round__closes_on__gte=today,
            round__closes_on__lte=today + dt.timedelta(days=LEAD_DAYS),
        )
        .exclude(person__email="")
        .order_by("pk")
    )
    sent = sum(reminder_send(participation=p, today=today) for p in waiting)
    return {"sent": sent}
