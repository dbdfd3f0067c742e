"""Request ids, structured (JSON) logs and the slow-request log.

- ``RequestIdMiddleware`` (first in MIDDLEWARE) takes the ``X-Request-ID`` a proxy sends (when
  it looks like an id) or makes one, returns it in the response header, and puts it on every
  log line written while the request runs (``RequestIdFilter``). It counts the database
  queries of the request and logs a request that takes ``SLOW_REQUEST_MS`` or longer as a
  warning ("slow request": path, status, milliseconds, queries, database milliseconds).
- ``JsonFormatter`` writes one JSON object per line: time, level, logger, message, request id
  and the ``extra`` fields a caller gives. ``LOG_FORMAT=json`` (the default outside DEBUG).

Paths are logged without their query string; no personal data goes into these lines.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import re
import time
import uuid

from django.conf import settings
from django.db import connections

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "request_id", default=None
)
HEADER = "X-Request-ID"
_VALID_ID = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")

logger = logging.getLogger("teamwerk.request")

# LogRecord attributes that are not "extra" fields.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request_id"}


def current_request_id() -> str | None:
    return request_id_var.get()


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every record (None outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """Plain lines for development, with the request id when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        request_id = getattr(record, "request_id", None)
        return f"[{request_id}] {line}" if request_id else line


class _QueryCounter:
    def __init__(self):
        self.count = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.count += 1
            self.seconds += time.perf_counter() - started


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get(HEADER, "")
        request_id = given if _VALID_ID.match(given) else uuid.uuid4().hex
        request.request_id = request_id
        token = request_id_var.set(request_id)
        counter = _QueryCounter()
        started = time.perf_counter()
        try:
            with connections["default"].execute_wrapper(counter):
                response = self.get_response(request)
            response[HEADER] = request_id
            elapsed_ms = (time.perf_counter() - started) * 1000
            threshold = getattr(settings, "SLOW_REQUEST_MS", 0)
            if threshold and elapsed_ms >= threshold:
                logger.warning(
                    "slow request",
                    extra={
                        "method": request.method,
                        "path": request.path,
                        "status": response.status_code,
                        "duration_ms": round(elapsed_ms, 1),
                        "queries": counter.count,
                        "db_ms": round(counter.seconds * 1000, 1),
                        "bytes": len(response.content) if not response.streaming else None,
                    },
                )
            return response
        finally:
            request_id_var.reset(token)
