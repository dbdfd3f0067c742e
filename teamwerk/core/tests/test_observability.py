"""Request ids on every response and log line; JSON logs; slow requests logged with their
query count."""

from __future__ import annotations

import io
import json
import logging

import pytest

from teamwerk.core.observability import JsonFormatter, RequestIdFilter

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_log():
    """What the production handler writes, for the request logger."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("teamwerk.request")
    logger.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logger.removeHandler(handler)


def test_every_response_carries_a_new_request_id(client):
    first = client.get("/health/")["X-Request-ID"]
    second = client.get("/accounts/login/")["X-Request-ID"]
    assert len(first) == 32 and first != second


def test_the_proxy_request_id_is_kept_and_a_strange_one_replaced(client):
    given = "edge-4f1c2a9e-77d1"
    assert client.get("/health/", headers={"X-Request-ID": given})["X-Request-ID"] == given
    hostile = 'x" onload=alert(1) ' + "a" * 200
    answered = client.get("/health/", headers={"X-Request-ID": hostile})["X-Request-ID"]
    assert answered != hostile and len(answered) == 32


def test_a_slow_request_is_logged_as_json_with_id_and_queries(client_for, settings, json_log):
    settings.SLOW_REQUEST_MS = 1  # every request is slow now
    response = client_for("ict_noord").get(
        "/team/?q=secret", headers={"X-Request-ID": "req-12345678"}
    )
    assert response.status_code == 200
    entries = [e for e in json_log() if e["message"] == "slow request"]
    assert len(entries) == 1
    entry = entries[0]
    assert entry["request_id"] == "req-12345678"
    assert entry["level"] == "WARNING"
    assert entry["path"] == "/team/"  # no query string: it may hold personal data
    assert entry["status"] == 200
    assert entry["queries"] > 0 and entry["duration_ms"] >= 1
    assert entry["db_ms"] >= 0


def test_fast_requests_are_not_logged(client, settings, json_log):
    settings.SLOW_REQUEST_MS = 60_000
    client.get("/health/")
    assert json_log() == []


def test_log_lines_outside_a_request_have_no_id_and_keep_extra_fields():
    record = logging.makeLogRecord(
        {
            "name": "teamwerk.core.daily",
            "levelname": "INFO",
            "msg": "daily job finished",
            "job": "purge",
            "summary": {"removed": 3},
        }  # fmt: skip
    )
    RequestIdFilter().filter(record)
    entry = json.loads(JsonFormatter().format(record))
    assert entry["request_id"] is None
    assert entry["job"] == "purge" and entry["summary"] == {"removed": 3}
    assert entry["message"] == "daily job finished"


def test_a_static_file_added_after_collectstatic_does_not_break_the_page(tmp_path, caplog):
    """DEBUG off: a template names a file the manifest does not know (collected before the
    file was added): the page keeps working and the missing file is logged."""
    import json as jsonlib

    from teamwerk.core.staticfiles import StaticFilesStorage

    (tmp_path / "staticfiles.json").write_text(
        jsonlib.dumps({"paths": {"a.css": "a.123456789abc.css"}, "version": "1.1"})
    )
    (tmp_path / "a.123456789abc.css").write_text("body{}")
    storage = StaticFilesStorage(location=str(tmp_path), base_url="/static/")
    assert storage.url("a.css") == "/static/a.123456789abc.css"
    from teamwerk.core.observability import request_id_var

    # WhiteNoise's scan at start-up (no request) stays quiet; a page that names it logs it.
    with caplog.at_level(logging.ERROR, logger="teamwerk.core.staticfiles"):
        assert storage.url("team/new.js") == "/static/team/new.js"
        assert caplog.text == ""
        token = request_id_var.set("req-0000000001")
        try:
            assert storage.url("team/new.js") == "/static/team/new.js"
        finally:
            request_id_var.reset(token)
    assert "missing from the manifest" in caplog.text
