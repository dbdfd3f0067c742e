"""The personal calendar feed: valid iCalendar (parsed back), the user's own dates only, and
a renewed secret closes the old address."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from teamwerk.accounts.models import AuditEvent
from teamwerk.actions.models import Action, ReminderSettings
from teamwerk.actions.services import action_create, calendar_token_renew
from teamwerk.team.models import Person

pytestmark = pytest.mark.django_db


def _feed_url(token):
    return reverse("actions_calendar_feed", args=[token])


def test_feed_is_valid_icalendar_with_my_dates(world, client):
    tom = world.users["teamlid_noord"]
    action_create(
        user=world.users["ict_noord"],
        organisation=world.organisation,
        school=world.noord,
        title="Wifi, printers; en de rest\nvan het netwerk — een heel lange titel " + "x" * 60,
        source="task",
        owner=Person.objects.get(user=tom),
        due=timezone.localdate() + dt.timedelta(days=5),
    )
    token = calendar_token_renew(user=tom)
    response = client.get(_feed_url(token))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "no-store" in response["Cache-Control"]
    body = response.content.decode()
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    calendar = icalendar.Calendar.from_ical(response.content)
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    mine = {
        f"Actie: {a.title}": a
        for a in Action.objects.filter(owner__user=tom, done_on__isnull=True, due__isnull=False)
    }
    assert set(mine) <= set(events)
    long_title = next(s for s in events if s.startswith("Actie: Wifi, printers; en de rest\nvan"))
    assert events[long_title]["DTSTART"].dt == timezone.localdate() + dt.timedelta(days=5)
    # Someone else's action is not in Tom's calendar.
    others = Action.objects.exclude(owner__user=tom).exclude(due=None)
    assert not any(f"Actie: {a.title}" in events for a in others)


def test_renewed_token_revokes_the_old_address(world, client, client_for):
    tom = world.users["teamlid_noord"]
    signed_in = client_for("teamlid_noord")
    signed_in.post(reverse("actions_calendar_renew"))
    first = signed_in.get(reverse("actions_mine"))
    old_url = first.context["feed_url"]
    assert old_url and "no-store" in first["Cache-Control"]
    # The address is shown once only.
    assert signed_in.get(reverse("actions_mine")).context["feed_url"] == ""
    old_path = old_url.split("testserver", 1)[1]
    assert signed_in.get(old_path).status_code == 200

    signed_in.post(reverse("actions_calendar_renew"))
    new_path = signed_in.get(reverse("actions_mine")).context["feed_url"].split("testserver")[1]
    signed_in.logout()
    assert client.get(old_path).status_code == 404
    assert client.get(new_path).status_code == 200
    assert AuditEvent.objects.filter(actor=tom, kind="calendar.renewed").exists()

    client_for("teamlid_noord").post(reverse("actions_calendar_revoke"))
    client.logout()
    assert client.get(new_path).status_code == 404


def test_the_secret_is_not_stored(world):
    token = calendar_token_renew(user=world.users["lezer_noord"])
    row = ReminderSettings.objects.get(user=world.users["lezer_noord"])
    assert token not in row.calendar_token_hash
    assert row.calendar_token_hash and len(row.calendar_token_hash) == 64
    # Not even the hash is kept in the history of the row.
    fields = {f.name for f in ReminderSettings.history.model._meta.get_fields()}
    assert "calendar_token_hash" not in fields


def test_wrong_or_empty_token_is_404(client):
    assert client.get(_feed_url("nope")).status_code == 404
    assert client.get(_feed_url("x" * 200)).status_code == 404


def test_feed_of_a_deactivated_account_is_closed(world, client):
    lezer = world.users["lezer_noord"]
    token = calendar_token_renew(user=lezer)
    lezer.is_active = False
    lezer.save()
    assert client.get(_feed_url(token)).status_code == 404


def test_agreement_reviews_are_in_the_calendar_of_who_watches_them(world, client):
    from teamwerk.team.models import Agreement

    tom = world.users["teamlid_noord"]
    agreement = Agreement.objects.filter(school=world.noord).first()
    review = timezone.localdate() + dt.timedelta(days=30)
    Agreement.objects.filter(pk=agreement.pk).update(
        review_on=review, agreed_on=timezone.localdate(), responsible=Person.objects.get(user=tom)
    )
    events = icalendar.Calendar.from_ical(
        client.get(_feed_url(calendar_token_renew(user=tom))).content
    ).walk("VEVENT")
    uids = {str(e["UID"]): e for e in events}
    assert uids[f"agreement.review-{agreement.pk}@teamwerk"]["DTSTART"].dt == review
    lezer_events = icalendar.Calendar.from_ical(
        client.get(_feed_url(calendar_token_renew(user=world.users["lezer_noord"]))).content
    ).walk("VEVENT")
    assert f"agreement.review-{agreement.pk}@teamwerk" not in {str(e["UID"]) for e in lezer_events}
