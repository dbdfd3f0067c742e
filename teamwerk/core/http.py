"""Small helpers shared by views."""

from __future__ import annotations

from functools import wraps

from django.utils.cache import add_never_cache_headers


def no_store(view):
    """Sensitive pages (self-assessments, evaluations) must not be kept in any cache."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        add_never_cache_headers(response)
        response["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
        return response

    return wrapped
