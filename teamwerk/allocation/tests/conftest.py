"""Fixtures of the allocation assistant's app tests: runs worked out on the spot."""

from __future__ import annotations

import pytest


@pytest.fixture
def run_now(django_capture_on_commit_callbacks):
    """Start a run through the services and let the (immediate) task backend work it out.

    Tests run inside a transaction that is rolled back, so the "after commit" hand-over to
    the background task is executed here explicitly."""
    from teamwerk.allocation import services
    from teamwerk.allocation.problem import ProposalOptions

    def start(*, actor, school=None, organisation=None, person=None, **options):
        with django_capture_on_commit_callbacks(execute=True):
            if person is not None:
                run = services.whatif_start(
                    actor=actor, school=school, person=person, options=ProposalOptions(**options)
                )
            else:
                run = services.proposal_start(
                    actor=actor,
                    organisation=organisation or school.organisation,
                    school=school,
                    options=ProposalOptions(**options),
                )
        run.refresh_from_db()
        return run

    return start
