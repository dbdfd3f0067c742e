"""Dates that deserve a reminder, from every module, in one registry.

A *source* is a callable ``source(*, start, end, user=None) -> Iterable[Due]`` returning the
due items dated ``start``..``end`` (both included). With ``user`` it returns only the items
that user is a recipient of (the personal calendar feed); without, every item (the daily
reminder job). Register a source once, e.g. in ``AppConfig.ready()``::

    from teamwerk.actions.reminders import Due, register_reminder_source

    def open_rounds(*, start, end, user=None):
        for round in ...:
            yield Due(kind=ROUND_KIND, ref=str(round.pk), date=round.closes_on,
                      recipients=[...users who have not answered...],
                      subject=_("Evaluatie sluit: %(name)s") % ..., url=f"/evaluatie/{round.pk}/")

    register_reminder_source("evaluation.round", open_rounds)

The daily job (``reminders_send``) mails each recipient once per item and stage: "due" from
``LEAD_DAYS`` days before the date, and, for items with ``overdue=True``, one more "overdue"
mail after the date has passed. A ``ReminderSent`` row per (kind, ref, date, stage,
recipient) makes a second run, or a run after a clock move, send nothing twice; moving an
item's date makes it a new item. Recipients who turned reminders off get none.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

# The first reminder goes this many days before the date.
LEAD_DAYS = 3
# Reminder kinds (not audit kinds): the key of a due item in ReminderSent.
AGREEMENT_REVIEW_KIND = "agreement.review"
# A job that did not run for a while still sends a missed overdue reminder up to this old.
OVERDUE_WINDOW_DAYS = 14


@dataclass(frozen=True)
class Due:
    kind: str  # "action", "agreement.review", "evaluation.round", ...
    ref: str  # the item's id within its kind
    date: dt.date
    recipients: tuple = ()  # users
    subject: str = ""
    url: str = ""  # an internal path
    overdue: bool = False  # also one reminder once the date has passed
    detail: str = ""

    @property
    def uid(self) -> str:
        return f"{self.kind}-{self.ref}@teamwerk"


ReminderSource = Callable[..., Iterable[Due]]
REMINDER_SOURCES: dict[str, ReminderSource] = {}


def register_reminder_source(name: str, source: ReminderSource) -> ReminderSource:
    """Add (or replace, on reload) a source of due dates."""
    REMINDER_SOURCES[name] = source
    return source


def due_items(*, start: dt.date, end: dt.date, user=None) -> list[Due]:
    items: list[Due] = []
    for name, source in sorted(REMINDER_SOURCES.items()):
        try:
            items.extend(source(start=start, end=end, user=user))
        except Exception:  # noqa: BLE001 - one broken source must not stop the others
            logger.exception("reminder source failed", extra={"source": name})
    return items


# ------------------------------------------------------------------------ own sources


def _users_of(people) -> list:
    return [p.user for p in people if p is not None and p.user_id and p.user.is_active]


def schools_led_by(user):
    """The ids of the schools where ``user`` is directie or ICT coordinator (a subquery)."""
    from teamwerk.tenancy.models import Membership
    from teamwerk.tenancy.roles import Role

    return Membership.objects.filter(user=user, role__in=[Role.DIRECTIE, Role.ICT]).values(
        "school_id"
    )


def school_leaders(school_ids) -> dict[int, list]:
    """school id -> the active accounts of its directie and ICT coordinators (one query)."""
    from teamwerk.tenancy.models import Membership
    from teamwerk.tenancy.roles import Role

    leaders: dict[int, list] = {pk: [] for pk in school_ids}
    for membership in Membership.objects.filter(
        school_id__in=list(leaders), role__in=[Role.DIRECTIE, Role.ICT], user__is_active=True
    ).select_related("user"):
        if membership.user not in leaders[membership.school_id]:
            leaders[membership.school_id].append(membership.user)
    return leaders


def actions_due(*, start: dt.date, end: dt.date, user=None) -> Iterable[Due]:
    """Open actions with a due date: a reminder to their owner (if linked to an account)."""
    from .models import Action

    rows = Action.objects.filter(
        done_on__isnull=True, due__gte=start, due__lte=end, owner__user__isnull=False
    ).select_related("owner__user", "school")
    if user is not None:
        rows = rows.filter(owner__user=user)
    for action in rows:
        where = action.school.name if action.school_id else str(_("de groep"))
        yield Due(
            kind="action",
            ref=str(action.pk),
            date=action.due,
            recipients=tuple(_users_of([action.owner])),
            subject=_("Actie: %(title)s") % {"title": action.title},
            url=f"/acties/{action.pk}/",
            overdue=True,
            detail=where,
        )


def agreement_reviews(*, start: dt.date, end: dt.date, user=None) -> Iterable[Due]:
    """Agreements of the ICT team whose review date comes: the person responsible, or when
    nobody is (or they have no account), the school's directie and ICT coordinators."""
    from django.db.models import Q

    from teamwerk.team.models import Agreement

    rows = Agreement.objects.filter(review_on__gte=start, review_on__lte=end).select_related(
        "responsible__user", "school"
    )
    if user is not None:
        # One person's calendar: only agreements they watch, or of schools they lead.
        rows = rows.filter(Q(responsible__user=user) | Q(school_id__in=schools_led_by(user)))
    rows = list(rows)
    leaders = school_leaders({a.school_id for a in rows if not _users_of([a.responsible])})
    for agreement in rows:
        recipients = _users_of([agreement.responsible]) or leaders[agreement.school_id]
        if user is not None:
            if user not in recipients:
                continue
            recipients = [user]
        yield Due(
            kind=AGREEMENT_REVIEW_KIND,
            ref=str(agreement.pk),
            date=agreement.review_on,
            recipients=tuple(recipients),
            subject=_("Afspraak opnieuw bekijken: %(text)s")
            % {"text": agreement.text[:60].strip()},
            url=f"/team/afspraken/{agreement.pk}/",
            detail=agreement.school.name,
        )


register_reminder_source("actions", actions_due)
register_reminder_source("agreements", agreement_reviews)


# ------------------------------------------------------------------------- the job


def _stage(item: Due, today: dt.date) -> str | None:
    if item.date < today:
        return "overdue" if item.overdue else None
    if item.date - dt.timedelta(days=LEAD_DAYS) <= today:
        return "due"
    return None


def _site_url() -> str:
    """The public address for links in mails (``settings.SITE_URL``; the worker has no
    request to build it from)."""
    return getattr(settings, "SITE_URL", "http://localhost:8000").rstrip("/")


def _send(item: Due, stage: str, recipient) -> None:
    language = getattr(recipient, "language", "") or settings.LANGUAGE_CODE
    with translation.override(language):
        body = render_to_string(
            "actions/email/reminder.txt",
            {
                "item": item,
                "stage": stage,
                "recipient": recipient,
                "link": _site_url() + item.url if item.url else "",
                "settings_link": _site_url() + "/acties/mijn/",
            },
        )
        prefix = _("Te laat") if stage == "overdue" else _("Herinnering")
        subject = f"{prefix}: {item.subject}"[:200]
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient.email])


def reminders_send(*, now: dt.datetime | None = None) -> dict:
    """The daily job: mail every reminder that is due today and not yet sent."""
    from .models import ReminderSent, ReminderSettings

    today = timezone.localdate(now or timezone.now())
    items = due_items(
        start=today - dt.timedelta(days=OVERDUE_WINDOW_DAYS),
        end=today + dt.timedelta(days=LEAD_DAYS),
    )
    opted_out = set(
        ReminderSettings.objects.filter(reminders_off=True).values_list("user_id", flat=True)
    )
    sent = skipped = failed = 0
    for item in items:
        stage = _stage(item, today)
        if stage is None:
            continue
        for recipient in item.recipients:
            if recipient.pk in opted_out or not recipient.email or not recipient.is_active:
                skipped += 1
                continue
            try:
                with transaction.atomic():
                    _row, created = ReminderSent.objects.get_or_create(
                        kind=item.kind,
                        ref=item.ref,
                        due=item.date,
                        stage=stage,
                        recipient=recipient,
                    )
                    if not created:
                        continue
                    # Sent inside the transaction: a mail that fails leaves no row, so the
                    # next run tries again; a row means the mail went out.
                    _send(item, stage, recipient)
                    sent += 1
            except IntegrityError:  # a second worker claimed the same reminder
                continue
            except Exception:  # noqa: BLE001 - one bad address must not stop the rest
                logger.exception("reminder not sent", extra={"kind": item.kind})
                failed += 1
    return {"sent": sent, "skipped": skipped, "failed": failed, "items": len(items)}
