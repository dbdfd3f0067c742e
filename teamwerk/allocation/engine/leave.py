"""'What if this person leaves?': what they hold, what only they know, and a proposal."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from .core import solve
from .prepare import clean_current, fit_of
from .types import Id, Message, Pair, Problem, Solution, SolverOptions, TaskAssignment


@dataclass(frozen=True)
class LeaveImpact:
    person_id: Id
    owner_tasks: tuple[Id, ...]  # tasks that lose their owner
    backup_tasks: tuple[Id, ...]  # tasks that lose a back-up
    knowledge_leaving: tuple[Id, ...]  # tasks where only this person meets the threshold
    proposal: Solution  # the rest of the team, keeping everything else where it can


def knowledge_holders(
    problem: Problem,
    task_id: Id,
    *,
    expertise: Mapping[Pair, float] | None = None,
    expertise_threshold: float = 2,
    fit_threshold: float = 60.0,
) -> list[Id]:
    """People who know the task: expertise >= threshold, or fit >= threshold without a map."""
    if expertise is not None:
        return [
            p.id for p in problem.people if expertise.get((p.id, task_id), 0) >= expertise_threshold
        ]
    return [
        p.id
        for p in problem.people
        if (
            problem.fit.get((p.id, task_id)) is not None
            and fit_of(problem, p.id, task_id)[0] >= fit_threshold
        )
    ]


def what_if_leaves(
    problem: Problem,
    person_id: Id,
    options: SolverOptions | None = None,
    *,
    expertise: Mapping[Pair, float] | None = None,
    expertise_threshold: float = 2,
    fit_threshold: float = 60.0,
    continuity_weight: float | None = None,
) -> LeaveImpact:
    """Impact of ``person_id`` leaving, with a proposal that moves as little as possible.

    Continuity is weighted high (default a tenth of the uncovered penalty), so other
    tasks only move when that lets a slot be covered that otherwise could not be.
    """
    if all(p.id != person_id for p in problem.people):
        invalid = Solution("invalid", (Message("unknown_person", person_id=person_id),))
        return LeaveImpact(person_id, (), (), (), invalid)
    current = clean_current(problem)
    owner_tasks = tuple(t for t, a in current.items() if a.owner == person_id)
    backup_tasks = tuple(t for t, a in current.items() if person_id in a.backups)
    knowledge = tuple(
        t.id
        for t in problem.tasks
        if knowledge_holders(
            problem,
            t.id,
            expertise=expertise,
            expertise_threshold=expertise_threshold,
            fit_threshold=fit_threshold,
        )
        == [person_id]
    )
    remaining_current = {
        task_id: TaskAssignment(
            None if a.owner == person_id else a.owner,
            tuple(b for b in a.backups if b != person_id),
        )
        for task_id, a in current.items()
    }
    weight = continuity_weight
    if weight is None:
        weight = max(problem.weights.continuity, problem.weights.uncovered_penalty / 10)
    reduced = replace(
        problem,
        people=tuple(p for p in problem.people if p.id != person_id),
        current=remaining_current,
        locks=tuple(lock for lock in problem.locks if lock.person_id != person_id),
        fit={k: v for k, v in problem.fit.items() if k[0] != person_id},
        hours_override={k: v for k, v in problem.hours_override.items() if k[0] != person_id},
        weights=replace(problem.weights, continuity=weight),
    )
    return LeaveImpact(
        person_id=person_id,
        owner_tasks=owner_tasks,
        backup_tasks=backup_tasks,
        knowledge_leaving=knowledge,
        proposal=solve(reduced, options),
    )


__all__ = ["LeaveImpact", "knowledge_holders", "what_if_leaves"]
