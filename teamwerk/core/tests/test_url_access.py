"""Walks every URL of the project as every demo user against the expectation table.

A new URL without a row in its app's tests/access.py fails this suite.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path

import pytest
from django.urls import reverse

from teamwerk.core.testing.access import Row
from teamwerk.core.testing.world import ALL_USERS
from teamwerk.core.urlwalk import named_patterns

PACKAGE = Path(__file__).resolve().parents[2]


def collect_rows() -> dict[str, Row]:
    rows: dict[str, Row] = {}
    for access_file in sorted(PACKAGE.glob("*/tests/access.py")):
        module = import_module(f"teamwerk.{access_file.parent.parent.name}.tests.access")
        for name, row in module.URL_ACCESS.items():
            assert name not in rows, f"URL {name} has two rows"
            rows[name] = row
    return rows


ROWS = collect_rows()
CASES = [(name, user) for name in sorted(ROWS) for user in ALL_USERS]


def test_every_url_pattern_has_a_row():
    missing = sorted(set(named_patterns()) - set(ROWS))
    stale = sorted(set(ROWS) - set(named_patterns()))
    assert not missing, f"URLs without an access row: {missing}"
    assert not stale, f"Rows for URLs that no longer exist: {stale}"


def test_every_row_names_every_user():
    for name, row in ROWS.items():
        assert set(row.expect) == set(ALL_USERS), f"{name}: rows must name every user"


@pytest.mark.parametrize(("url_name", "user_key"), CASES)
def test_url_access(url_name, user_key, world, client_for):
    row = ROWS[url_name]
    client = client_for(user_key)
    url = reverse(url_name, kwargs=row.kwargs(world) if row.kwargs else None) + row.query
    data = row.data(world) if row.data else {}
    response = getattr(client, row.method)(url, data)
    expected = row.status_for(user_key)
    assert response.status_code == expected, (
        f"{row.method.upper()} {url} as {user_key}: {response.status_code}, expected {expected}"
    )
    if expected == 302 and user_key == "anonymous" and url_name not in {"set_language"}:
        assert "/accounts/login/" in response["Location"] or row.method == "post"
