"""Structured reasons (codes and numbers, no prose) for each choice and each gap."""

from __future__ import annotations

from dataclasses import dataclass

from .evaluate import person_load_units
from .prepare import (
    Prepared,
    capacity_units,
    fit_of,
    role_units,
    statically_eligible,
    units_to_hours,
)
from .types import (
    AssignmentReason,
    Id,
    Person,
    PersonLoad,
    Problem,
    Role,
    Task,
    TaskAssignment,
    UncoveredSlot,
)


def person_loads(
    problem: Problem, before: dict[Id, TaskAssignment], after: dict[Id, TaskAssignment]
) -> tuple[PersonLoad, ...]:
    units_before = person_load_units(problem, before)
    units_after = person_load_units(problem, after)
    return tuple(
        PersonLoad(
            person_id=p.id,
            hours_available=p.hours_available,
            hours_before=units_to_hours(units_before[p.id]),
            hours_after=units_to_hours(units_after[p.id]),
        )
        for p in problem.people
    )


def explain_assignments(
    prepared: Prepared, assignment: dict[Id, TaskAssignment]
) -> tuple[AssignmentReason, ...]:
    problem = prepared.problem
    people = {p.id: p for p in problem.people}
    loads = person_load_units(problem, assignment)
    locked = {(lock.task_id, lock.person_id, lock.role) for lock in prepared.locks}
    reasons: list[AssignmentReason] = []
    for task in problem.tasks:
        owner, backups = assignment.get(task.id, TaskAssignment())
        before = prepared.current.get(task.id, TaskAssignment())
        slots = [(Role.OWNER, owner, prepared.owner_candidates, before.owner)]
        previous_backup = before.backups[0] if before.backups else None
        slots += [(Role.BACKUP, b, prepared.backup_candidates, previous_backup) for b in backups]
        for role, person_id, candidates, previous in slots:
            if person_id is None or person_id not in people:
                continue
            others = candidates.get(task.id, [])
            scores = [fit_of(problem, p, task.id)[0] for p in others]
            fit, missing = fit_of(problem, person_id, task.id)
            rank = 1 + sum(score > fit for score in scores)
            codes: list[str] = []
            if (task.id, person_id, role) in locked:
                codes.append("locked")
            if previous is None:
                codes.append("new")
            elif previous == person_id or (role is Role.BACKUP and person_id in before.backups):
                codes.append("kept_current")
            else:
                codes.append("replaced_current")
            if len(others) == 1:
                codes.append("only_eligible")
            elif rank == 1:
                codes.append("best_fit")
            if missing:
                codes.append("fit_missing")
            capacity = capacity_units(people[person_id])
            if loads[person_id] > capacity:
                codes.append("over_hours")
            reasons.append(
                AssignmentReason(
                    task_id=task.id,
                    role=role,
                    person_id=person_id,
                    codes=tuple(codes),
                    fit=fit,
                    fit_rank=rank,
                    eligible_count=len(others),
                    best_fit=max(scores, default=fit),
                    hours_available=people[person_id].hours_available,
                    hours_after=units_to_hours(loads[person_id]),
                    hours_left=units_to_hours(capacity - loads[person_id]),
                    previous_person_id=previous,
                )
            )
    return tuple(reasons)


@dataclass(frozen=True)
class StaffIndex:
    """The team by id and in input order, built once per explanation."""

    by_id: dict[Id, Person]
    position: dict[Id, int]

    @classmethod
    def of(cls, problem: Problem) -> StaffIndex:
        people = problem.people
        return cls({p.id: p for p in people}, {p.id: i for i, p in enumerate(people)})


def blocking_reasons(
    prepared: Prepared,
    task: Task,
    role: Role,
    owner: Id | None,
    staff: StaffIndex | None = None,
) -> tuple[str, ...]:
    """Why a slot stays empty, from the most basic rule that blocks it."""
    problem = prepared.problem
    if task.allowed is None:
        allowed = list(problem.people)
    else:
        # Only the task's own pool: a group of 3,000 people with 5,000 uncovered slots
        # took seconds when every slot walked the whole staff.
        staff = staff or StaffIndex.of(problem)
        ids = sorted((i for i in task.allowed if i in staff.by_id), key=staff.position.__getitem__)
        allowed = [staff.by_id[i] for i in ids]
    if not allowed:
        return ("no_eligible_person",)
    qualified = [p for p in allowed if statically_eligible(task, p)]
    if not qualified:
        return ("no_qualified_person",)
    with_hours = [
        p
        for p in qualified
        if problem.weights.allow_overload
        or role_units(problem, p.id, task, role) <= prepared.capacity[p.id]
    ]
    if not with_hours:
        return ("no_one_has_hours",)
    if role is Role.BACKUP and all(p.id == owner for p in with_hours):
        return ("only_one_eligible_person",)
    if problem.weights.allow_overload:
        return ("overload_too_costly",)
    return ("hours_used_elsewhere",)


def explain_uncovered(
    prepared: Prepared, assignment: dict[Id, TaskAssignment]
) -> tuple[UncoveredSlot, ...]:
    staff = StaffIndex.of(prepared.problem)
    people = staff.by_id.keys()
    slots: list[UncoveredSlot] = []
    for task in prepared.problem.tasks:
        owner, backups = assignment.get(task.id, TaskAssignment())
        if task.needs_owner and owner not in people:
            slots.append(
                UncoveredSlot(
                    task.id, Role.OWNER, blocking_reasons(prepared, task, Role.OWNER, None, staff)
                )
            )
        if task.needs_backup and not any(b in people for b in backups):
            slots.append(
                UncoveredSlot(
                    task.id,
                    Role.BACKUP,
                    blocking_reasons(prepared, task, Role.BACKUP, owner, staff),
                )
            )
    return tuple(slots)
