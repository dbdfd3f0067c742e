"""Rows of the URL access table: what each demo user gets from one URL.

Every app lists its URLs in ``teamwerk/<app>/tests/access.py`` as ``URL_ACCESS``; the walk
in ``teamwerk/core/tests/test_url_access.py`` requests each as every user of the demo world.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .world import ALL_USERS, World

Kwargs = Callable[[World], dict]


@dataclass(frozen=True)
class Row:
    expect: dict[str, int]
    kwargs: Kwargs | None = None
    method: str = "get"
    data: Callable[[World], dict] | None = None
    query: str = ""

    def status_for(self, user_key: str) -> int:
        return self.expect[user_key]


def statuses(default: int, **overrides: int) -> dict[str, int]:
    table = dict.fromkeys(ALL_USERS, default)
    table.update(overrides)
    return table


# Shorthands for the common shapes.
NOORD_ROLES = (
    "beheerder",
    "directeur",
    "directie_noord",
    "ict_noord",
    "teamlid_noord",
    "lezer_noord",
)
OUTSIDERS = ("directie_zuid", "beheerder_stichting")


def signed_in(status: int = 200, anonymous: int = 302, **overrides: int) -> dict[str, int]:
    return statuses(status, anonymous=anonymous, **overrides)


def only(allowed: dict[str, int], other: int = 404, anonymous: int = 302) -> dict[str, int]:
    """Everyone not named gets `other` (404: existence is not leaked)."""
    return statuses(other, anonymous=anonymous, **allowed)


@dataclass
class Collected:
    rows: dict[str, Row] = field(default_factory=dict)
