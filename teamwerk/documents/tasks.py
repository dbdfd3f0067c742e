"""Background work of the documents (django-tasks; the worker of `make run` runs it)."""

from __future__ import annotations

from django_tasks import task


@task()
def make_bundle(bundle_id: int) -> None:
    """Make all job descriptions of a school in one file; progress is stored on the bundle."""
    from .services import bundle_execute

    bundle_execute(bundle_id=bundle_id)
