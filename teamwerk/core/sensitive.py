"""Responses that carry personal data are never stored by a browser or a proxy.

The code that reads the data marks the current response (``mark_sensitive``), not a list of
URLs: a page that starts to show ratings tomorrow is covered without anyone remembering to add
it. ``SensitiveResponseMiddleware`` turns the mark into ``Cache-Control: no-store, private``
and ``Pragma: no-cache``.

The mark lives in a context variable holding a mutable flag for the current request, so it
also reaches the middleware when a view runs in another thread of the same context (ASGI).
Outside a request (the worker, a management command) marking does nothing.
"""

from __future__ import annotations

from contextvars import ContextVar

from django.utils.cache import add_never_cache_headers

NO_STORE = "no-store, no-cache, must-revalidate, private, max-age=0"


class _Mark:
    __slots__ = ("sensitive",)

    def __init__(self) -> None:
        self.sensitive = False


_current: ContextVar[_Mark | None] = ContextVar("teamwerk_sensitive_response", default=None)


def mark_sensitive() -> None:
    """The response to the current request contains personal data: keep it out of caches."""
    mark = _current.get()
    if mark is not None:
        mark.sensitive = True


def is_marked() -> bool:
    mark = _current.get()
    return bool(mark and mark.sensitive)


def make_no_store(response) -> None:
    add_never_cache_headers(response)
    response["Cache-Control"] = NO_STORE
    response["Pragma"] = "no-cache"


class SensitiveResponseMiddleware:
    """Outermost of the app's middleware: sees the mark set anywhere inside the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        mark = _Mark()
        token = _current.set(mark)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        if mark.sensitive:
            make_no_store(response)
        return response
