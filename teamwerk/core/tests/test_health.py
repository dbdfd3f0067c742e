"""/health/ for a load balancer: plain http outside debug, database, cache and worker state."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from teamwerk.core import heartbeat

pytestmark = pytest.mark.django_db


@pytest.fixture
def production(settings):
    """The settings a deploy has with DEBUG off: https everywhere, except /health/."""
    settings.DEBUG = False
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["teamwerk.example", "testserver"]
    return settings


def test_health_answers_over_plain_http_outside_debug(client, production):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"


def test_other_pages_still_go_to_https_outside_debug(client, production):
    response = client.get("/accounts/login/")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_health_reports_a_fresh_worker_heartbeat(client, production):
    heartbeat.beat(now=timezone.now() - dt.timedelta(seconds=5))
    body = client.get("/health/").json()
    assert body["status"] == "ok"
    assert body["database"] is True
    assert body["cache"] is True
    assert 5 <= body["worker"]["age_seconds"] < 60
    assert body["worker"]["stale"] is False


def test_health_says_stale_when_the_worker_stopped_beating(client, production):
    heartbeat.beat(now=timezone.now() - dt.timedelta(minutes=10))
    body = client.get("/health/").json()
    assert body["worker"]["stale"] is True
    assert body["worker"]["age_seconds"] >= 600
    assert body["status"] == "degraded"


def test_health_without_any_heartbeat_is_stale(client, production):
    body = client.get("/health/").json()
    assert body["worker"] == {"last_heartbeat": None, "age_seconds": None, "stale": True}
    assert body["status"] == "degraded"
    assert body["database"] is True
