"""Static files in production: WhiteNoise's compressed manifest storage, made robust.

With DEBUG off, pages name their CSS and JS by hashed file names from the manifest that
``collectstatic`` writes. Without it Django raises on every ``{% static %}``, so every page
answered 500 until someone ran ``collectstatic``. Now:

- the web process refuses to start without the manifest, with a message that says what to
  run (``check_manifest``, called from ``teamwerk/wsgi.py``);
- a file missing from an older manifest (added after the last ``collectstatic``) is logged
  as an error and linked under its plain name instead of breaking the page (the file itself
  answers 404 until ``collectstatic`` runs again).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from whitenoise.storage import CompressedManifestStaticFilesStorage

logger = logging.getLogger(__name__)


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    manifest_strict = False

    def stored_name(self, name):
        try:
            return super().stored_name(name)
        except ValueError:
            # Not in the manifest and not in STATIC_ROOT: collected before the file existed.
            # (WhiteNoise's scan at start-up asks for files it may skip: only log in a request.)
            from teamwerk.core.observability import current_request_id

            if current_request_id() is not None:
                logger.error("static file missing from the manifest", extra={"file": name})
            return name


def manifest_problem() -> str | None:
    """Why production cannot serve its pages' static files, or None when it can."""
    from django.contrib.staticfiles.storage import staticfiles_storage

    if settings.DEBUG or not hasattr(staticfiles_storage, "manifest_name"):
        return None
    if not staticfiles_storage.exists(staticfiles_storage.manifest_name):
        return (
            f"Static files are not collected: {staticfiles_storage.location}/"
            f"{staticfiles_storage.manifest_name} is missing. Run "
            "`DEBUG=0 python manage.py collectstatic --noinput` (make serve does) before "
            "starting the web server."
        )
    return None


def check_manifest() -> None:
    problem = manifest_problem()
    if problem:
        raise ImproperlyConfigured(problem)
