"""Small helpers shared by views."""

from __future__ import annotations

from functools import wraps

from teamwerk.core.sensitive import make_no_store


def no_store(view):
    """Sensitive pages (self-assessments, evaluations) must not be kept in any cache."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        make_no_store(response)
        return response

    return wrapped
