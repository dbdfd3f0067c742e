"""Validation and the integer conventions shared by the CP-SAT model and ``evaluate``.

Everything the solver optimises is an integer: hours in hundredths, objective points times
``POINT_SCALE``. ``evaluate`` uses the same helpers, so the objective it recomputes from an
assignment equals, to the unit, what the model would score.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from .types import Id, Lock, Message, Person, Problem, Role, Task, TaskAssignment

HOUR_UNITS = 100  # hours are counted in hundredths
POINT_SCALE = 10_000  # objective points are counted in ten-thousandths


def hour_units(hours: float) -> int:
    return round(hours * HOUR_UNITS)


def units_to_hours(units: int) -> float:
    return units / HOUR_UNITS


def points(scaled: int) -> float:
    return scaled / POINT_SCALE


def pair_hours(problem: Problem, person_id: Id, task: Task) -> float:
    return problem.hours_override.get((person_id, task.id), task.hours)


def owner_units(problem: Problem, person_id: Id, task: Task) -> int:
    return hour_units(pair_hours(problem, person_id, task))


def backup_units(problem: Problem, person_id: Id, task: Task) -> int:
    return hour_units(pair_hours(problem, person_id, task) * problem.weights.backup_share)


def role_units(problem: Problem, person_id: Id, task: Task, role: Role) -> int:
    if role is Role.OWNER:
        return owner_units(problem, person_id, task)
    return backup_units(problem, person_id, task)


def fit_of(problem: Problem, person_id: Id, task_id: Id) -> tuple[float, bool]:
    """The fit score, and whether the default stood in for a missing (or NaN) score."""
    score = problem.fit.get((person_id, task_id))
    if score is None or not math.isfinite(score):
        return problem.default_fit, True
    return float(score), False


def fit_coef(problem: Problem, person_id: Id, task_id: Id, role: Role) -> int:
    score, _ = fit_of(problem, person_id, task_id)
    weight = problem.weights.fit
    if role is Role.BACKUP:
        weight *= problem.weights.backup_fit
    return round(score * weight * POINT_SCALE)


@dataclass(frozen=True, slots=True)
class Coefficients:
    change: int  # per change
    balance: int  # per hour unit above the fair share
    overload: int  # per hour unit above hours available
    uncovered: int  # per empty slot


def coefficients(problem: Problem) -> Coefficients:
    w = problem.weights
    per_unit = POINT_SCALE / HOUR_UNITS
    return Coefficients(
        change=round(w.continuity * POINT_SCALE),
        balance=round(w.balance * per_unit),
        overload=round(w.overload_penalty * per_unit),
        uncovered=round(w.uncovered_penalty * POINT_SCALE),
    )


def capacity_units(person: Person) -> int:
    return max(0, hour_units(person.hours_available))


def fair_ratio(problem: Problem) -> float:
    """Load / hours available that counts as fair: total demand over total supply."""
    if problem.fair_share is not None:
        return problem.fair_share
    share = problem.weights.backup_share
    demand = sum(
        t.hours * (int(t.needs_owner) + share * int(t.needs_backup))
        for t in problem.tasks
        if math.isfinite(t.hours) and t.hours > 0
    )
    supply = sum(capacity_units(p) for p in problem.people) / HOUR_UNITS
    return demand / supply if supply > 0 else 0.0


def fair_units(problem: Problem) -> dict[Id, int]:
    """Each person's fair share of the total load, in hour units (same ratio for all)."""
    ratio = fair_ratio(problem)
    return {p.id: round(ratio * capacity_units(p)) for p in problem.people}


def normalise_assignment(value: object) -> TaskAssignment:
    """Accept a TaskAssignment, an ``(owner, backups)`` tuple or None."""
    if value is None:
        return TaskAssignment()
    owner, backups = value  # type: ignore[misc]
    return TaskAssignment(owner, tuple(dict.fromkeys(backups or ())))


def clean_current(problem: Problem) -> dict[Id, TaskAssignment]:
    """Current distribution restricted to known tasks and people (the rest is ignored)."""
    task_ids = {t.id for t in problem.tasks}
    person_ids = {p.id for p in problem.people}
    cleaned: dict[Id, TaskAssignment] = {}
    for task_id, value in problem.current.items():
        if task_id not in task_ids:
            continue
        owner, backups = normalise_assignment(value)
        cleaned[task_id] = TaskAssignment(
            owner if owner in person_ids else None,
            tuple(b for b in backups if b in person_ids),
        )
    return cleaned


def statically_eligible(task: Task, person: Person) -> bool:
    """Allowed-people and qualification rules (hours are checked separately)."""
    if task.allowed is not None and person.id not in task.allowed:
        return False
    return person.qualified or not task.needs_qualification


@dataclass
class Prepared:
    """A validated problem with its candidate lists; built once per solve."""

    problem: Problem
    messages: list[Message]
    current: dict[Id, TaskAssignment]
    locks: tuple[Lock, ...]
    coef: Coefficients
    capacity: dict[Id, int]
    fair: dict[Id, int]
    # task id -> person ids that may fill the slot (input order, locked people included)
    owner_candidates: dict[Id, list[Id]] = field(default_factory=dict)
    backup_candidates: dict[Id, list[Id]] = field(default_factory=dict)

    @property
    def errors(self) -> list[Message]:
        return [m for m in self.messages if m.level == "error"]


def _finite_non_negative(value: float) -> bool:
    return isinstance(value, int | float) and math.isfinite(value) and value >= 0


def _validate_basics(problem: Problem, messages: list[Message]) -> None:
    seen_tasks: set[Id] = set()
    for task in problem.tasks:
        if task.id in seen_tasks:
            messages.append(Message("duplicate_task_id", task_id=task.id))
        seen_tasks.add(task.id)
        if not _finite_non_negative(task.hours):
            messages.append(Message("invalid_task_hours", task_id=task.id, value=task.hours))
    seen_people: set[Id] = set()
    for person in problem.people:
        if person.id in seen_people:
            messages.append(Message("duplicate_person_id", person_id=person.id))
        seen_people.add(person.id)
        if not _finite_non_negative(person.hours_available):
            messages.append(
                Message("invalid_person_hours", person_id=person.id, value=person.hours_available)
            )
    for (person_id, task_id), hours in problem.hours_override.items():
        if not _finite_non_negative(hours):
            messages.append(
                Message("invalid_task_hours", task_id=task_id, person_id=person_id, value=hours)
            )
    w = problem.weights
    numbers = {
        "fit": w.fit,
        "backup_fit": w.backup_fit,
        "continuity": w.continuity,
        "balance": w.balance,
        "overload_penalty": w.overload_penalty,
        "uncovered_penalty": w.uncovered_penalty,
    }
    for name, value in numbers.items():
        if not _finite_non_negative(value):
            messages.append(Message(f"invalid_weight_{name}", value=value))
    if not (_finite_non_negative(w.backup_share) and w.backup_share <= 1):
        messages.append(Message("invalid_weight_backup_share", value=w.backup_share))
    if not math.isfinite(problem.default_fit):
        messages.append(Message("invalid_default_fit", value=problem.default_fit))


def _validate_current(problem: Problem, messages: list[Message]) -> None:
    task_ids = {t.id for t in problem.tasks}
    person_ids = {p.id for p in problem.people}
    for task_id, value in problem.current.items():
        if task_id not in task_ids:
            messages.append(Message("current_unknown_task", "warning", task_id=task_id))
            continue
        try:
            owner, backups = normalise_assignment(value)
        except (TypeError, ValueError):
            messages.append(Message("current_malformed", "error", task_id=task_id))
            continue
        for person_id in (owner, *backups):
            if person_id is not None and person_id not in person_ids:
                messages.append(
                    Message(
                        "current_unknown_person", "warning", task_id=task_id, person_id=person_id
                    )
                )


def _validate_locks(problem: Problem, messages: list[Message]) -> tuple[Lock, ...]:
    tasks = {t.id: t for t in problem.tasks}
    people = {p.id: p for p in problem.people}
    owner_lock: dict[Id, Id] = {}
    backup_locks: dict[Id, list[Id]] = {}
    valid: list[Lock] = []
    for lock in dict.fromkeys(problem.locks):  # exact duplicates are harmless
        task, person = tasks.get(lock.task_id), people.get(lock.person_id)
        if task is None:
            messages.append(
                Message("lock_unknown_task", task_id=lock.task_id, person_id=lock.person_id)
            )
            continue
        if person is None:
            messages.append(
                Message("lock_unknown_person", task_id=lock.task_id, person_id=lock.person_id)
            )
            continue
        role = Role(lock.role)
        needed = task.needs_owner if role is Role.OWNER else task.needs_backup
        if not needed:
            messages.append(
                Message(f"lock_{role.value}_not_needed", task_id=task.id, person_id=person.id)
            )
            continue
        if not statically_eligible(task, person):
            code = (
                "lock_not_allowed"
                if task.allowed is not None and (person.id not in task.allowed)
                else "lock_not_qualified"
            )
            messages.append(Message(code, task_id=task.id, person_id=person.id))
            continue
        if role is Role.OWNER:
            if owner_lock.get(task.id, person.id) != person.id:
                messages.append(Message("lock_two_owners", task_id=task.id, person_id=person.id))
                continue
            owner_lock[task.id] = person.id
        else:
            if backup_locks.setdefault(task.id, []):
                messages.append(Message("lock_two_backups", task_id=task.id, person_id=person.id))
                continue
            backup_locks[task.id].append(person.id)
        valid.append(Lock(task.id, person.id, role))
    for task_id, person_id in owner_lock.items():
        if person_id in backup_locks.get(task_id, []):
            messages.append(Message("lock_owner_is_backup", task_id=task_id, person_id=person_id))
    if not problem.weights.allow_overload:
        locked_units: dict[Id, int] = {}
        for lock in valid:
            units = role_units(problem, lock.person_id, tasks[lock.task_id], lock.role)
            locked_units[lock.person_id] = locked_units.get(lock.person_id, 0) + units
        for person_id, units in locked_units.items():
            if units > capacity_units(people[person_id]):
                messages.append(
                    Message(
                        "locked_hours_exceed_available",
                        person_id=person_id,
                        value=units_to_hours(units),
                    )
                )
    return tuple(valid)


class PrepareTimeout(Exception):
    """The deadline passed while the candidates were being collected."""


def prepare(problem: Problem, deadline=None) -> Prepared:
    """Checked input and the eligible (person, task) pairs; ``deadline``: a ``Deadline``."""
    messages: list[Message] = []
    _validate_basics(problem, messages)
    _validate_current(problem, messages)
    basics_ok = not any(m.level == "error" for m in messages)
    locks = _validate_locks(problem, messages) if basics_ok else ()
    prepared = Prepared(
        problem=problem,
        messages=messages,
        current=clean_current(problem) if basics_ok else {},
        locks=locks,
        coef=coefficients(problem) if basics_ok else Coefficients(0, 0, 0, 0),
        capacity={p.id: capacity_units(p) for p in problem.people} if basics_ok else {},
        fair=fair_units(problem) if basics_ok else {},
    )
    if prepared.errors:
        return prepared
    _collect_candidates(prepared, deadline)
    return prepared


def _collect_candidates(prepared: Prepared, deadline=None) -> None:
    """Only eligible (person, task) pairs become variables: this keeps big schools small."""
    problem = prepared.problem
    allow_overload = problem.weights.allow_overload
    locked = {(lock.task_id, lock.person_id, lock.role) for lock in prepared.locks}
    known = {p.id for p in problem.people}
    unknown_allowed: set[Id] = set()
    missing_fit: set[tuple[Id, Id]] = set()
    position = {p.id: index for index, p in enumerate(problem.people)}
    locked_people: dict[Id, set[Id]] = {}
    for task_id, person_id, _role in locked:
        locked_people.setdefault(task_id, set()).add(person_id)
    for index, task in enumerate(problem.tasks):
        if index % 64 == 0 and deadline is not None and deadline.passed():
            raise PrepareTimeout
        people = problem.people
        if task.allowed is not None:
            unknown_allowed.update(set(task.allowed) - known)
            # Only the allowed people (and any locked ones), in the team's order: a big
            # pool with short lists stays fast.
            ids = (set(task.allowed) | locked_people.get(task.id, set())) & known
            people = [problem.people[i] for i in sorted(position[p] for p in ids)]
        for role, needed, bucket in (
            (Role.OWNER, task.needs_owner, prepared.owner_candidates),
            (Role.BACKUP, task.needs_backup, prepared.backup_candidates),
        ):
            if not needed:
                continue
            chosen: list[Id] = []
            for person in people:
                if (task.id, person.id, role) in locked:
                    chosen.append(person.id)
                    continue
                if not statically_eligible(task, person):
                    continue
                units = role_units(problem, person.id, task, role)
                if not allow_overload and units > prepared.capacity[person.id]:
                    continue
                chosen.append(person.id)
            bucket[task.id] = chosen
            missing_fit.update((p, task.id) for p in chosen if fit_of(problem, p, task.id)[1])
    if missing_fit:
        # One aggregated warning: the app shows how many scores fell back to the default.
        prepared.messages.append(
            Message("fit_missing_default_used", "warning", value=float(len(missing_fit)))
        )
    for person_id in sorted(unknown_allowed, key=str):
        prepared.messages.append(Message("allowed_unknown_person", "warning", person_id=person_id))
    if problem.people and not any(prepared.capacity.values()):
        prepared.messages.append(Message("no_hours_available", "warning"))
