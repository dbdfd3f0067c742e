"""Dates read as Dutch in Dutch ("3 nov. 2026") and as British in English ("3 Nov 2026"); the
language a person chooses is kept on their account and follows them to another browser."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db

COOKIE = settings.LANGUAGE_COOKIE_NAME


def _render(language: str, text: str, **context) -> str:
    with translation.override(language):
        return Template("{% load i18n %}" + text).render(Context(context))


def test_dates_are_dutch_in_dutch_and_british_in_english():
    day = dt.date(2026, 11, 3)
    moment = dt.datetime(2026, 11, 3, 14, 5)
    assert _render("nl", "{{ d|date }}", d=day) == "3 nov. 2026"
    assert _render("nl", "{{ d|date }}", d=dt.date(2026, 5, 12)) == "12 mei 2026"
    assert _render("nl", "{{ d|date:'SHORT_DATE_FORMAT' }}", d=day) == "3-11-2026"
    assert _render("nl", "{{ m|date:'DATETIME_FORMAT' }}", m=moment) == "3 nov. 2026 14:05"
    assert _render("en", "{{ d|date }}", d=day) == "3 Nov 2026"
    assert _render("en", "{{ d|date:'SHORT_DATE_FORMAT' }}", d=day) == "03/11/2026"
    assert _render("en", "{{ m|date:'DATETIME_FORMAT' }}", m=moment) == "3 Nov 2026 14:05"
    assert _render("en", "{{ m|time }}", m=moment) == "14:05"  # not "2:05 p.m."


def test_the_chosen_language_is_kept_on_the_account_and_used_in_a_new_browser(world, client):
    user = world.users["ict_noord"]
    assert user.language == "nl"
    client.force_login(user)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.language == "en"

    # Another browser, no language cookie: signing in brings English back.
    other = Client()
    other.force_login(user)
    page = other.get(reverse("team_dashboard"))
    assert page["Content-Language"] == "en"
    assert 'lang="en"' in page.content.decode()
    assert other.cookies[COOKIE].value == "en"

    # Back to Dutch with the switch in that browser; the account follows.
    other.post(reverse("set_language"), {"language": "nl", "next": "/"})
    user.refresh_from_db()
    assert user.language == "nl"


def test_signing_out_forgets_the_browser_choice_so_the_next_person_gets_their_own(world, client):
    first, second = world.users["ict_noord"], world.users["lezer_noord"]
    client.force_login(first)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.post(reverse("account_logout"))
    assert response.cookies[COOKIE].value == ""  # deleted
    client.force_login(second)
    page = client.get("/")
    assert 'lang="nl"' in page.content.decode()
    second.refresh_from_db()
    assert second.language == "nl"
