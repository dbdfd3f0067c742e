"""Login throttling that slows guessing down without locking a school out.

Counters live in the shared cache (the database cache, or Redis with REDIS_URL), so every
web process sees the same numbers. Three counters of failed passwords, each forgotten after
WINDOW_SECONDS without a new failure:

- per combination of account and address (``pair``): the first PAIR_FREE failures cost
  nothing; after that each attempt of that combination waits 2, 4, 8 … seconds after its
  last failure, at most PAIR_MAX_WAIT. Only the failing combination waits.
- per account, over all addresses (guessing one password from many places): above
  ACCOUNT_FREE failures, attempts from combinations that never signed in successfully
  wait, at most ACCOUNT_MAX_WAIT.
- per address, over all accounts (a school's NAT, or one machine trying many accounts):
  above ADDRESS_FREE failures, attempts of combinations that never signed in successfully
  wait, at most ADDRESS_MAX_WAIT. The budget is sized for a school behind one address.

A combination that signed in successfully within KNOWN_FOR_SECONDS is "known": someone
else's failures (on another account from the same address, or on this account from
elsewhere) never make it wait. Nothing ever refuses for longer than the waits above, and a
successful login is never counted or limited. An attempt that has to wait is answered
without checking the password and is not counted, so waiting users are not pushed further.
"""

from __future__ import annotations

import hashlib
import math
import time

from django.core.cache import cache

WINDOW_SECONDS = 15 * 60
PAIR_FREE = 5
PAIR_MAX_WAIT = 5 * 60
ACCOUNT_FREE = 20
ACCOUNT_MAX_WAIT = 2 * 60
ADDRESS_FREE = 200
ADDRESS_MAX_WAIT = 2 * 60
KNOWN_FOR_SECONDS = 90 * 24 * 60 * 60
# Two attempts of one combination are never checked at the same time (a burst of parallel
# guesses would otherwise all pass before the first failure is counted).
IN_FLIGHT_SECONDS = 10


def _now() -> float:
    return time.time()


def _key(kind: str, *parts: str) -> str:
    # Hashed: no e-mail address or IP address in cache keys.
    digest = hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:40]
    return f"login-throttle:{kind}:{digest}"


def _keys(email: str, address: str) -> dict[str, str]:
    email = (email or "").strip().lower()
    address = address or ""
    return {
        "pair": _key("pair", email, address),
        "account": _key("account", email),
        "address": _key("address", address),
        "known": _key("known", email, address),
        "busy": _key("busy", email, address),
    }


def wait_after(failures: int, *, free: int, cap: int) -> int:
    """Seconds an attempt waits after the last of ``failures`` failures."""
    if failures <= free:
        return 0
    return min(2 ** min(failures - free, 20), cap)


def _remaining(state: dict | None, *, free: int, cap: int, now: float) -> float:
    if not state:
        return 0.0
    return max(0.0, state["last"] + wait_after(state["n"], free=free, cap=cap) - now)


def seconds_to_wait(email: str, address: str) -> int:
    """0 when this attempt may be checked, otherwise the seconds to wait first."""
    keys = _keys(email, address)
    states = cache.get_many([keys["pair"], keys["account"], keys["address"], keys["known"]])
    now = _now()
    wait = _remaining(states.get(keys["pair"]), free=PAIR_FREE, cap=PAIR_MAX_WAIT, now=now)
    if not states.get(keys["known"]):
        wait = max(
            wait,
            _remaining(
                states.get(keys["account"]), free=ACCOUNT_FREE, cap=ACCOUNT_MAX_WAIT, now=now
            ),
            _remaining(
                states.get(keys["address"]), free=ADDRESS_FREE, cap=ADDRESS_MAX_WAIT, now=now
            ),
        )
    return math.ceil(wait)


def claim(email: str, address: str) -> bool:
    """Mark an attempt of this combination as being checked; False if one already is."""
    return cache.add(_keys(email, address)["busy"], 1, timeout=IN_FLIGHT_SECONDS)


def release(email: str, address: str) -> None:
    cache.delete(_keys(email, address)["busy"])


def record_failure(email: str, address: str) -> None:
    keys = _keys(email, address)
    now = _now()
    states = cache.get_many([keys["pair"], keys["account"], keys["address"]])
    cache.set_many(
        {
            key: {"n": (states.get(key) or {"n": 0})["n"] + 1, "last": now}
            for key in (keys["pair"], keys["account"], keys["address"])
        },
        timeout=WINDOW_SECONDS,
    )


def record_success(email: str, address: str) -> None:
    """The combination is known from now on and its own failures are forgotten. The account
    and address counters stay: a correct password in between does not hide guessing."""
    keys = _keys(email, address)
    cache.delete(keys["pair"])
    cache.set(keys["known"], 1, timeout=KNOWN_FOR_SECONDS)
