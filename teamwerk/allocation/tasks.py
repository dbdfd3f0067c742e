"""Background work of the allocation assistant (django-tasks; a db_worker runs it)."""

from __future__ import annotations

from django_tasks import task


@task()
def run_proposal(run_id: int) -> None:
    """Work out one proposal or what-if; progress and result are stored on the run."""
    from .services import proposal_run_execute

    proposal_run_execute(run_id=run_id)
