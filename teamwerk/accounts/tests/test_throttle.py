"""Login throttling slows guessing down without locking anyone out (finding 8).

Every test signs in through the real login form, once with the database cache and once
with Redis (CI has Redis at 127.0.0.1:6379; there a missing Redis fails the test)."""

from __future__ import annotations

import os

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client

from teamwerk.accounts import throttle
from teamwerk.accounts.models import AuditEvent

pytestmark = pytest.mark.django_db

PASSWORD = "teamwerk-demo"  # noqa: S105 - the demo password
ICT = "ict.noord@scholengroep-demo.be"
TEAMLID = "teamlid.noord@scholengroep-demo.be"
DIRECTIE = "directie.noord@scholengroep-demo.be"
SCHOOL_NAT = "192.0.2.10"
# A database of its own on the shared Redis, one per pytest-xdist worker: clearing the cache in
# one worker must not wipe the counters another worker is testing.
REDIS_DB = 13 + int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0) % 3


def _redis_available(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.exceptions.RedisError:
        return False


@pytest.fixture(params=["database", "redis"])
def shared_cache(request, settings):
    """The cache the counters live in: the database cache (default) or a real Redis."""
    if request.param == "database":
        assert settings.CACHES["default"]["BACKEND"].endswith("db.DatabaseCache")
        yield "database"
        return
    url = os.environ.get("TEST_REDIS_URL", f"redis://127.0.0.1:6379/{REDIS_DB}")
    if not _redis_available(url):
        if os.environ.get("CI"):
            pytest.fail(f"Redis does not answer at {url}; CI must test the Redis cache.")
        pytest.skip(f"Redis does not answer at {url} (outside CI this test may skip)")
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    }
    cache.clear()
    yield "redis"
    cache.clear()


@pytest.fixture
def clock(monkeypatch):
    """The throttle's clock, moved forward by the test instead of waiting."""
    now = {"t": 1_900_000_000.0}
    monkeypatch.setattr(throttle, "_now", lambda: now["t"])

    def advance(seconds: float) -> None:
        now["t"] += seconds

    return advance


def _login(email: str, password: str, address: str = SCHOOL_NAT):
    client = Client(REMOTE_ADDR=address)
    response = client.post("/accounts/login/", {"login": email, "password": password})
    return response, client


def _signed_in(response, client) -> bool:
    """The password was accepted: the form sends the user on (to the next login step or
    the app) instead of showing the login page again."""
    return response.status_code == 302 and "/accounts/login/" not in response["Location"]


def test_five_wrong_passwords_do_not_block_the_right_one(shared_cache, clock):
    for _ in range(5):
        response, client = _login(ICT, "fout-wachtwoord")
        assert response.status_code == 200
        assert "niet correct" in response.content.decode()
    assert _signed_in(*_login(ICT, PASSWORD))


def test_more_failures_slow_the_combination_down_for_seconds_not_minutes(shared_cache, clock):
    for _ in range(6):
        _login(ICT, "fout-wachtwoord")
    # Even the right password waits: this combination is the one that is guessing.
    response, client = _login(ICT, PASSWORD)
    assert not _signed_in(response, client)
    assert "Probeer het over 2 seconden opnieuw" in response.content.decode()
    clock(2)
    _login(ICT, "fout-wachtwoord")
    response, client = _login(ICT, PASSWORD)
    assert "Probeer het over 4 seconden opnieuw" in response.content.decode()
    clock(4)
    assert _signed_in(*_login(ICT, PASSWORD))


def test_the_wait_grows_with_each_failure_and_stops_at_five_minutes(shared_cache, clock):
    waits = []
    for _ in range(20):
        response, _client = _login(ICT, "fout-wachtwoord")
        wait = throttle.seconds_to_wait(ICT, SCHOOL_NAT)
        waits.append(wait)
        clock(wait)
    assert waits[:5] == [0, 0, 0, 0, 0]
    assert waits[5:9] == [2, 4, 8, 16]
    assert max(waits) == 300
    # After the last wait the right password gets in at once.
    assert _signed_in(*_login(ICT, PASSWORD))


def test_a_waiting_attempt_is_not_checked_and_not_counted(shared_cache, clock):
    for _ in range(6):
        _login(ICT, "fout-wachtwoord")
    failed = AuditEvent.objects.filter(kind="login.failed", target=ICT).count()
    for _ in range(10):  # hammering while waiting does not make the wait longer
        response, _client = _login(ICT, "fout-wachtwoord")
        assert "Probeer het over 2 seconden opnieuw" in response.content.decode()
    assert AuditEvent.objects.filter(kind="login.failed", target=ICT).count() == failed
    clock(2)
    assert _signed_in(*_login(ICT, PASSWORD))


def test_failures_on_one_account_never_refuse_a_colleague_behind_the_same_address(
    shared_cache, clock
):
    for _ in range(30):  # a colleague keeps mistyping; the wait is theirs alone
        _login(TEAMLID, "fout-wachtwoord")
        clock(1)
    assert _signed_in(*_login(ICT, PASSWORD))
    assert _signed_in(*_login(DIRECTIE, PASSWORD))


def test_a_school_nat_keeps_working_while_someone_tries_many_accounts(shared_cache, clock):
    # ict.noord signed in from the school before: that combination is known.
    assert _signed_in(*_login(ICT, PASSWORD))
    for number in range(10):
        _login(f"gok{number}@scholengroep-demo.be", "fout-wachtwoord")
    # The rest of the address's failures without the page around them (keeps the test short).
    for number in range(10, throttle.ADDRESS_FREE + 20):
        throttle.record_failure(f"gok{number}@scholengroep-demo.be", SCHOOL_NAT)
    # Far over the address's budget: the known combination still gets in at once.
    assert _signed_in(*_login(ICT, PASSWORD))
    # Someone who never signed in from here waits a few seconds, never more than two minutes.
    response, client = _login(DIRECTIE, PASSWORD)
    assert not _signed_in(response, client)
    wait = throttle.seconds_to_wait(DIRECTIE, SCHOOL_NAT)
    assert 0 < wait <= throttle.ADDRESS_MAX_WAIT
    assert f"Probeer het over {wait} seconden opnieuw" in response.content.decode()
    clock(wait)
    assert _signed_in(*_login(DIRECTIE, PASSWORD))


def test_guessing_one_account_from_many_addresses_is_slowed_but_its_owner_gets_in(
    shared_cache, clock
):
    assert _signed_in(*_login(ICT, PASSWORD, address=SCHOOL_NAT))
    for number in range(throttle.ACCOUNT_FREE + 3):
        _login(ICT, "fout-wachtwoord", address=f"198.51.100.{number + 1}")
    response, client = _login(ICT, "nog-een-gok", address="203.0.113.99")
    assert not _signed_in(response, client)
    assert "Probeer het over" in response.content.decode()
    # The owner at the school, where they signed in before, is not held up.
    assert _signed_in(*_login(ICT, PASSWORD, address=SCHOOL_NAT))


def test_successful_logins_are_never_rate_limited(shared_cache, clock):
    accounts = [ICT, TEAMLID, DIRECTIE]
    for number in range(40):  # a staff room signing in within a minute (allauth refused the 31st)
        response, client = _login(accounts[number % 3], PASSWORD)
        assert _signed_in(response, client), number


def test_the_counters_live_in_the_shared_store(shared_cache, clock):
    _login(ICT, "fout-wachtwoord")
    if shared_cache == "database":
        with connection.cursor() as cursor:
            cursor.execute("SELECT cache_key FROM teamwerk_cache")
            keys = [row[0] for row in cursor.fetchall()]
        assert any("login-throttle:pair:" in key for key in keys)
    else:
        import redis

        client = redis.Redis.from_url(cache._cache._servers[0])
        assert any(b"login-throttle:pair:" in key for key in client.keys("*"))
    # No address or e-mail in the keys.
    assert throttle.seconds_to_wait(ICT, SCHOOL_NAT) == 0


def test_failed_logins_stay_audited(shared_cache, clock):
    before = AuditEvent.objects.filter(kind="login.failed").count()
    _login(ICT, "fout-wachtwoord")
    event = AuditEvent.objects.filter(kind="login.failed").latest("created_at")
    assert AuditEvent.objects.filter(kind="login.failed").count() == before + 1
    assert event.target == ICT
