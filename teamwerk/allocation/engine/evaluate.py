"""Pure scoring and checking of an assignment, independent of the solver."""

from __future__ import annotations

from .prepare import (
    backup_units,
    capacity_units,
    clean_current,
    coefficients,
    fair_units,
    fit_coef,
    normalise_assignment,
    owner_units,
    points,
    units_to_hours,
)
from .types import Assignment, Evaluation, Id, Message, Problem, Role, TaskAssignment


def person_load_units(problem: Problem, assignment: Assignment) -> dict[Id, int]:
    """Hour units per known person: owner hours plus back-up share (unknown ids ignored)."""
    loads = {p.id: 0 for p in problem.people}
    tasks = {t.id: t for t in problem.tasks}
    for task_id, value in assignment.items():
        task = tasks.get(task_id)
        if task is None:
            continue
        owner, backups = normalise_assignment(value)
        if owner in loads:
            loads[owner] += owner_units(problem, owner, task)
        for backup in backups:
            if backup in loads:
                loads[backup] += backup_units(problem, backup, task)
    return loads


def evaluate(problem: Problem, assignment: Assignment) -> Evaluation:
    """Objective of an assignment; a solver's reported objective always equals this."""
    coef = coefficients(problem)
    tasks = {t.id: t for t in problem.tasks}
    people = {p.id for p in problem.people}
    current = clean_current(problem)
    chosen = {tid: normalise_assignment(assignment.get(tid)) for tid in tasks}

    fit_scaled = 0
    changes = 0
    uncovered = 0
    for task_id, task in tasks.items():
        owner, backups = chosen[task_id]
        if owner in people:
            fit_scaled += fit_coef(problem, owner, task_id, Role.OWNER)
        for backup in backups:
            if backup in people:
                fit_scaled += fit_coef(problem, backup, task_id, Role.BACKUP)
        before = current.get(task_id, TaskAssignment())
        if task.needs_owner:
            uncovered += owner not in people
            changes += before.owner is not None and before.owner != owner
        if task.needs_backup:
            uncovered += not any(b in people for b in backups)
            changes += sum(b not in backups for b in before.backups)

    loads = person_load_units(problem, assignment)
    fair = fair_units(problem)
    capacity = {p.id: capacity_units(p) for p in problem.people}
    above_fair = sum(max(0, loads[pid] - fair[pid]) for pid in loads)
    overload = sum(max(0, loads[pid] - capacity[pid]) for pid in loads)

    change_scaled = coef.change * changes
    balance_scaled = coef.balance * above_fair
    overload_scaled = coef.overload * overload
    uncovered_scaled = coef.uncovered * uncovered
    total = fit_scaled - change_scaled - balance_scaled - overload_scaled - uncovered_scaled
    return Evaluation(
        fit_points=points(fit_scaled),
        changes=changes,
        change_points=points(change_scaled),
        balance_hours=units_to_hours(above_fair),
        balance_points=points(balance_scaled),
        overload_hours=units_to_hours(overload),
        overload_points=points(overload_scaled),
        uncovered_slots=uncovered,
        uncovered_points=points(uncovered_scaled),
        objective=points(total),
        objective_scaled=total,
    )


def violations(problem: Problem, assignment: Assignment) -> list[Message]:
    """Hard-constraint breaches of an assignment (empty list = acceptable distribution).

    Useful for the app too: it checks a hand-made distribution with the engine's own rules.
    """
    found: list[Message] = []
    tasks = {t.id: t for t in problem.tasks}
    people = {p.id: p for p in problem.people}
    for task_id, value in assignment.items():
        task = tasks.get(task_id)
        if task is None:
            found.append(Message("unknown_task", task_id=task_id))
            continue
        owner, backups = normalise_assignment(value)
        slots = [(owner, Role.OWNER)] if owner is not None else []
        slots += [(b, Role.BACKUP) for b in backups]
        for person_id, role in slots:
            person = people.get(person_id)
            if person is None:
                found.append(Message("unknown_person", task_id=task_id, person_id=person_id))
            elif task.allowed is not None and person_id not in task.allowed:
                found.append(Message("not_allowed", task_id=task_id, person_id=person_id))
            elif task.needs_qualification and not person.qualified:
                found.append(Message("not_qualified", task_id=task_id, person_id=person_id))
            needed = task.needs_owner if role is Role.OWNER else task.needs_backup
            if not needed:
                found.append(
                    Message(f"{role.value}_not_needed", task_id=task_id, person_id=person_id)
                )
        if owner is not None and owner in backups:
            found.append(Message("backup_is_owner", task_id=task_id, person_id=owner))
        if len(backups) > 1:
            found.append(Message("too_many_backups", task_id=task_id, value=len(backups)))
    if not problem.weights.allow_uncovered:
        for task in problem.tasks:
            owner, backups = normalise_assignment(assignment.get(task.id))
            if task.needs_owner and owner is None:
                found.append(Message("missing_owner", task_id=task.id))
            if task.needs_backup and not backups:
                found.append(Message("missing_backup", task_id=task.id))
    for lock in problem.locks:
        owner, backups = normalise_assignment(assignment.get(lock.task_id))
        kept = (
            owner == lock.person_id
            if Role(lock.role) is Role.OWNER
            else (lock.person_id in backups)
        )
        if not kept:
            found.append(Message("lock_broken", task_id=lock.task_id, person_id=lock.person_id))
    if not problem.weights.allow_overload:
        loads = person_load_units(problem, assignment)
        for person in problem.people:
            excess = loads[person.id] - capacity_units(person)
            if excess > 0:
                found.append(
                    Message("over_hours", person_id=person.id, value=units_to_hours(excess))
                )
    return found
