"""Teamwerk allocation engine: CP-SAT, plain dataclasses in, a Solution out; no Django."""

from .components import solve_by_components, split_problem
from .core import solve
from .evaluate import evaluate, person_load_units, violations
from .fit import fit_score
from .gap import GapInstance, GapResult, parse_orlibrary, read_orlibrary, solve_gap
from .leave import LeaveImpact, knowledge_holders, what_if_leaves
from .prepare import HOUR_UNITS, POINT_SCALE
from .types import (
    Assignment,
    AssignmentReason,
    Evaluation,
    Id,
    Lock,
    Message,
    Person,
    PersonLoad,
    Problem,
    Role,
    Solution,
    SolverOptions,
    Task,
    TaskAssignment,
    UncoveredSlot,
    Weights,
)

__all__ = [
    "HOUR_UNITS",
    "POINT_SCALE",
    "Assignment",
    "AssignmentReason",
    "Evaluation",
    "GapInstance",
    "GapResult",
    "Id",
    "LeaveImpact",
    "Lock",
    "Message",
    "Person",
    "PersonLoad",
    "Problem",
    "Role",
    "Solution",
    "SolverOptions",
    "Task",
    "TaskAssignment",
    "UncoveredSlot",
    "Weights",
    "evaluate",
    "fit_score",
    "knowledge_holders",
    "parse_orlibrary",
    "person_load_units",
    "read_orlibrary",
    "solve",
    "solve_by_components",
    "solve_gap",
    "split_problem",
    "violations",
    "what_if_leaves",
]
