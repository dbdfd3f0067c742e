"""The optimiser's view of a school: plain data in, an accepted proposal back through the
services."""

from __future__ import annotations

import pytest

from teamwerk.team import selectors, services

pytestmark = pytest.mark.django_db


def test_snapshot_has_people_tasks_skills_and_the_current_distribution(world, year, people):
    snapshot = selectors.team_snapshot(world.noord, year)
    ilse = next(p for p in snapshot.people if p.name == "Ilse Verbeke")
    assert ilse.hours_available > 0 and ilse.pedagogically_qualified
    wim = next(p for p in snapshot.people if p.name == "Wim Claes")
    assert not wim.pedagogically_qualified
    assert snapshot.tasks and all(t.hours > 0 for t in snapshot.tasks)
    assert any(t.needs_qualification for t in snapshot.tasks)
    assert set(snapshot.owners) == {t.planned_task_id for t in snapshot.tasks}
    for task_id, backups in snapshot.backups.items():
        assert snapshot.owners[task_id] not in backups
    task = snapshot.tasks[0]
    assert snapshot.skill(ilse.id, task) is not None
    # Only people with ICT hours (or a task) take part.
    assert len(snapshot.people) < len(
        selectors.people_for_school(world.users["ict_noord"], world.noord, year)
    )


def test_a_proposal_from_the_snapshot_is_applied_through_the_services(world, year, people):
    snapshot = selectors.team_snapshot(world.zuid, year)
    open_tasks = [t for t in snapshot.tasks if t.planned_task_id not in snapshot.owners]
    assert open_tasks
    qualified = [p for p in snapshot.people if p.pedagogically_qualified]
    from teamwerk.planning.models import PlannedTask
    from teamwerk.team.models import Person

    for task in open_tasks:
        owner, backup = qualified[0], qualified[1]
        services.distribution_apply(
            actor=world.users["directie_zuid"],
            planned_task=PlannedTask.objects.get(pk=task.planned_task_id),
            owner=Person.objects.get(pk=owner.id),
            backups=[Person.objects.get(pk=backup.id)],
            reason="voorstel van de verdelingsassistent",
        )
    after = selectors.team_snapshot(world.zuid, year)
    assert all(t.planned_task_id in after.owners for t in after.tasks)
    assert not selectors.dashboard_figures(world.zuid, year).no_owner
