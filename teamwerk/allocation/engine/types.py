"""Plain data in and out of the allocation engine (no Django, no OR-Tools)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal, NamedTuple

Id = str | int
Pair = tuple[Id, Id]  # (person_id, task_id)

# "unknown": the time ran out before any distribution that keeps the rules was found
# (not proved infeasible: more time may well find one).
Status = Literal["optimal", "feasible", "unknown", "infeasible", "empty", "invalid"]


class Role(StrEnum):
    OWNER = "owner"
    BACKUP = "backup"


@dataclass(frozen=True, slots=True)
class Task:
    id: Id
    hours: float
    needs_owner: bool = True
    needs_backup: bool = False
    needs_qualification: bool = False
    # None = anyone eligible; otherwise only these person ids.
    allowed: frozenset[Id] | None = None


@dataclass(frozen=True, slots=True)
class Person:
    id: Id
    hours_available: float
    qualified: bool = False


@dataclass(frozen=True, slots=True)
class Lock:
    task_id: Id
    person_id: Id
    role: Role = Role.OWNER


class TaskAssignment(NamedTuple):
    """Owner and back-ups of one task; a plain ``(owner, backups)`` tuple works too."""

    owner: Id | None = None
    backups: tuple[Id, ...] = ()


Assignment = Mapping[Id, TaskAssignment | tuple[Id | None, tuple[Id, ...]]]


@dataclass(frozen=True, slots=True)
class Weights:
    """Objective weights, in fit points (one point = one unit of fit score)."""

    fit: float = 1.0
    backup_fit: float = 0.5  # share of the fit score a back-up earns
    continuity: float = 20.0  # points lost per change from the current distribution
    balance: float = 2.0  # points lost per hour a person is above the fair share
    backup_share: float = 0.15  # fraction of task hours a back-up counts toward their load
    allow_overload: bool = False
    overload_penalty: float = 50.0  # points lost per hour above hours_available
    uncovered_penalty: float = 10_000.0  # points lost per owner or back-up slot left empty
    # False = every slot must be filled (GAP): the model may become infeasible.
    allow_uncovered: bool = True


@dataclass(frozen=True, slots=True)
class SolverOptions:
    time_limit_s: float = 10.0
    seed: int = 0
    num_workers: int = 1
    # With several workers, interleave them so a seed gives the same answer run after run.
    deterministic: bool = True
    log: bool = False
    # Extra CP-SAT parameters by name (used by the GAP bench to tune the search).
    extra_params: tuple[tuple[str, float | int | bool | str], ...] = ()


@dataclass(frozen=True)
class Problem:
    tasks: tuple[Task, ...]
    people: tuple[Person, ...]
    fit: Mapping[Pair, float] = field(default_factory=dict)
    current: Assignment = field(default_factory=dict)
    locks: tuple[Lock, ...] = ()
    weights: Weights = field(default_factory=Weights)
    # Hours a task takes when this person does it (overrides Task.hours; GAP weights).
    hours_override: Mapping[Pair, float] = field(default_factory=dict)
    default_fit: float = 25.0  # used, with a warning, where a fit score is missing
    # Load ratio counted as fair for the balance term; None = total demand / total hours.
    fair_share: float | None = None


@dataclass(frozen=True, slots=True)
class Message:
    """A machine-readable remark; the app translates ``code`` into the user's language."""

    code: str
    level: Literal["error", "warning", "info"] = "error"
    task_id: Id | None = None
    person_id: Id | None = None
    value: float | None = None


@dataclass(frozen=True, slots=True)
class Evaluation:
    """Objective parts recomputed from an assignment; ``objective`` = fit - the penalties."""

    fit_points: float
    changes: int
    change_points: float
    balance_hours: float  # total hours above the fair share
    balance_points: float
    overload_hours: float
    overload_points: float
    uncovered_slots: int
    uncovered_points: float
    objective: float
    objective_scaled: int  # exact integer the solver optimises (objective * POINT_SCALE)


@dataclass(frozen=True, slots=True)
class PersonLoad:
    person_id: Id
    hours_available: float
    hours_before: float
    hours_after: float


@dataclass(frozen=True, slots=True)
class AssignmentReason:
    """Why this person got this slot: codes plus the numbers behind them."""

    task_id: Id
    role: Role
    person_id: Id
    codes: tuple[str, ...]  # e.g. best_fit, locked, kept_current, replaced_current, new
    fit: float
    fit_rank: int  # 1 = best fit among eligible people
    eligible_count: int
    best_fit: float
    hours_available: float
    hours_after: float
    hours_left: float
    previous_person_id: Id | None = None


@dataclass(frozen=True, slots=True)
class UncoveredSlot:
    task_id: Id
    role: Role
    # Primary first: no_eligible_person, no_qualified_person, no_one_has_hours,
    # only_one_eligible_person, hours_used_elsewhere.
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Solution:
    status: Status
    messages: tuple[Message, ...] = ()
    assignments: Mapping[Id, TaskAssignment] = field(default_factory=dict)
    evaluation: Evaluation | None = None
    objective: float | None = None  # == evaluation.objective
    best_bound: float | None = None
    gap_pct: float | None = None
    loads: tuple[PersonLoad, ...] = ()
    reasons: tuple[AssignmentReason, ...] = ()
    uncovered: tuple[UncoveredSlot, ...] = ()
    wall_time_s: float = 0.0
    # (seconds since the start, objective) of each better solution found, in order.
    trace: tuple[tuple[float, float], ...] = ()
