"""The production server as `make serve` runs it: gunicorn with DEBUG off on PostgreSQL.

The demo is seeded into the test database (committed, so the server process sees it),
static files are collected into a temporary directory, and a real gunicorn process serves
them. Then every demo account signs in over HTTP and follows the links of the pages it sees
(a bounded crawl: a few pages per kind of URL): no page answers 500, and every CSS, JS and
font file a page refers to is served.

Runs only on PostgreSQL (CI runs the suite on PostgreSQL too): on SQLite the test database is
in memory and another process cannot open it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import deque
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.db import connection

from teamwerk.core import loadbench

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="needs PostgreSQL: gunicorn runs in another process and cannot open the "
        "in-memory SQLite test database (CI runs this on PostgreSQL)",
    ),
]

# Downloads (PDF, Excel, zip) and pages that change something on GET are not crawled.
SKIP = re.compile(r"/(pdf|excel|download|downloaden|sjabloon|logout|afmelden)/|/i18n/|/admin/")
PER_KIND = 2  # pages per URL shape (numbers replaced) and account
MAX_PAGES = 45  # per account
LINK = re.compile(rb'href="(/[^"#?]*)"')


def _kind(path: str) -> str:
    return re.sub(r"/\d+/", "/#/", path)


def _crawl(client: loadbench.HttpClient) -> tuple[dict[str, int], set[str]]:
    seen: dict[str, int] = {}
    statics: set[str] = set()
    per_kind: dict[str, int] = {}
    queue = deque(["/"])
    while queue and len(seen) < MAX_PAGES:
        path = queue.popleft()
        if path in seen or SKIP.search(path) or path.startswith("/static/"):
            continue
        kind = _kind(path)
        if per_kind.get(kind, 0) >= PER_KIND:
            continue
        per_kind[kind] = per_kind.get(kind, 0) + 1
        status, headers, body, final = client.follow(path)
        seen[path] = status
        if status != 200 or "text/html" not in headers.get("Content-Type", ""):
            continue
        statics |= loadbench.static_paths(body)
        for link in LINK.findall(body):
            target = link.decode()
            if urlsplit(target).path not in seen:
                queue.append(target)
    return seen, statics


@pytest.fixture
def static_root(tmp_path_factory):
    """collectstatic with DEBUG off, into a directory of its own."""
    data_dir = tmp_path_factory.mktemp("data")
    env = loadbench.production_env(None, DATA_DIR=str(data_dir))
    subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=loadbench.PROJECT_DIR,
        env=env,
        check=True,
        timeout=300,
    )
    return data_dir


@pytest.fixture
def production_hashers(settings):
    """The server checks passwords with the production hashers (Argon2), not the tests' fast
    one: accounts made in these tests get real hashes."""
    import teamwerk.settings as project

    settings.PASSWORD_HASHERS = project.PASSWORD_HASHERS
    return settings


def _set_passwords(emails, password: str) -> None:
    from teamwerk.accounts.models import User

    for user in User.objects.filter(email__in=list(emails)):
        user.set_password(password)
        user.save(update_fields=["password"])


def _test_database_url() -> str:
    url = urlsplit(os.environ["DATABASE_URL"])
    return url._replace(path="/" + connection.settings_dict["NAME"]).geturl()


def test_the_production_server_serves_every_page_and_static_file_to_every_role(
    static_root, production_hashers
):
    from teamwerk.tenancy.demo import DEMO_ACCOUNTS_HELP, DEMO_PASSWORD

    # The session's demo is there for the first transactional test; seed it when a test
    # before this one emptied the database.
    call_command("load_catalogue", verbosity=0)
    call_command("seed_demo", if_empty=True, verbosity=0)
    _set_passwords([email for email, _what in DEMO_ACCOUNTS_HELP], DEMO_PASSWORD)
    failures: list[str] = []
    all_statics: set[str] = set()
    walked = 0
    with loadbench.ProductionServer(
        database_url=_test_database_url(),
        workers=2,
        env={"DATA_DIR": str(static_root), "LOG_FORMAT": "json"},
    ) as server:
        # The health check answers over plain http with DEBUG off.
        status, _h, _b = loadbench.HttpClient(server.base).get("/health/")
        assert status == 200
        for email, _what in DEMO_ACCOUNTS_HELP:
            client = loadbench.HttpClient(server.base)
            client.login(email, DEMO_PASSWORD)
            pages, statics = _crawl(client)
            client.close()
            walked += len(pages)
            all_statics |= statics
            failures += [f"{email} {path}: {code}" for path, code in pages.items() if code >= 500]
            assert len(pages) >= 5, f"{email} reached only {sorted(pages)}"
        client = loadbench.HttpClient(server.base)
        for path in sorted(all_statics):
            status, headers, body = client.get(path)
            if status != 200 or not body:
                failures.append(f"static {path}: {status}")
        log = server.log()
    assert not failures, "\n".join(failures) + "\n" + log
    assert walked >= 40
    # The pages use Bootstrap, htmx and the project's own CSS, by their hashed names.
    assert any(re.search(r"/static/vendor/bootstrap/css/bootstrap\.min\.[0-9a-f]{12}\.css", p)
               for p in all_statics), sorted(all_statics)  # fmt: skip
    assert any("htmx" in p for p in all_statics)


def test_without_collected_static_files_the_server_refuses_to_start(tmp_path):
    with (
        pytest.raises(RuntimeError, match="Static files are not collected"),
        loadbench.ProductionServer(
            database_url=_test_database_url(), workers=1, env={"DATA_DIR": str(tmp_path)}
        ),
    ):
        pass


def test_bench_load_measures_the_key_pages_against_gunicorn(
    static_root, production_hashers, monkeypatch, tmp_path, capsys
):
    import json

    from teamwerk.core.groupseed import seed_group

    call_command("load_catalogue", verbosity=0)
    seed_group(schools=2, big_school_tasks=80)
    monkeypatch.setenv("DATABASE_URL", _test_database_url())
    monkeypatch.setenv("DATA_DIR", str(static_root))
    results = tmp_path / "bench.json"
    call_command("bench_load", users=3, rounds=1, workers=1, json=str(results), label="ci")
    out = capsys.readouterr().out
    assert "p95 ×health" in out
    rows = json.loads(results.read_text())["ci"]["rows"]
    pages = {row["page"] for row in rows}
    assert {"health", "home", "matrix (80 people)", "assistant result"} <= pages
    assert {"group task overview", "group team page", "group route", "route"} <= pages
    assert all(row["errors"] == 0 and row["p95_ms"] > 0 for row in rows)
