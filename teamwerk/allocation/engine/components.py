"""Split a problem into independent parts (e.g. one per school) and solve them apart."""

from __future__ import annotations

import time
from dataclasses import replace

from .core import finish_solution, solve
from .prepare import POINT_SCALE, Prepared, fair_ratio, normalise_assignment, prepare
from .types import Id, Message, Problem, Solution, SolverOptions, Status, TaskAssignment


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[tuple[str, Id], tuple[str, Id]] = {}

    def find(self, item: tuple[str, Id]) -> tuple[str, Id]:
        self.parent.setdefault(item, item)
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:  # path compression
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, a: tuple[str, Id], b: tuple[str, Id]) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra


def _components(prepared: Prepared) -> list[tuple[list[Id], list[Id]]]:
    """Groups of (task ids, person ids) linked by eligibility, locks or the current state."""
    problem = prepared.problem
    uf = _UnionFind()
    for task in problem.tasks:
        uf.find(("t", task.id))
    for person in problem.people:
        uf.find(("p", person.id))
    for candidates in (prepared.owner_candidates, prepared.backup_candidates):
        for task_id, person_ids in candidates.items():
            for person_id in person_ids:
                uf.union(("t", task_id), ("p", person_id))
    for task_id, (owner, backups) in prepared.current.items():
        for person_id in (owner, *backups):
            if person_id is not None:
                uf.union(("t", task_id), ("p", person_id))
    groups: dict[tuple[str, Id], tuple[list[Id], list[Id]]] = {}
    for task in problem.tasks:  # input order keeps the split deterministic
        groups.setdefault(uf.find(("t", task.id)), ([], []))[0].append(task.id)
    for person in problem.people:
        root = uf.find(("p", person.id))
        if root in groups:  # people with no possible task need no model
            groups[root][1].append(person.id)
    return list(groups.values())


def split_problem(problem: Problem) -> list[Problem]:
    """Independent sub-problems; their objectives add up to the whole problem's objective."""
    prepared = prepare(problem)
    if prepared.errors:
        return [problem]
    return _split(prepared)


def _split(prepared: Prepared) -> list[Problem]:
    problem = prepared.problem
    groups = _components(prepared)
    # Same fair ratio everywhere, so the balance term stays additive over the parts.
    ratio = fair_ratio(problem)
    task_group = {tid: i for i, (tids, _) in enumerate(groups) for tid in tids}
    tasks_by_id = {t.id: t for t in problem.tasks}
    people_by_id = {p.id: p for p in problem.people}
    fit: list[dict] = [{} for _ in groups]
    for (person_id, task_id), score in problem.fit.items():
        if task_id in task_group:
            fit[task_group[task_id]][person_id, task_id] = score
    hours: list[dict] = [{} for _ in groups]
    for (person_id, task_id), value in problem.hours_override.items():
        if task_id in task_group:
            hours[task_group[task_id]][person_id, task_id] = value
    current: list[dict] = [{} for _ in groups]
    for task_id, value in problem.current.items():
        if task_id in task_group:
            current[task_group[task_id]][task_id] = value
    locks: list[list] = [[] for _ in groups]
    for lock in prepared.locks:
        locks[task_group[lock.task_id]].append(lock)
    return [
        replace(
            problem,
            tasks=tuple(tasks_by_id[t] for t in task_ids),
            people=tuple(people_by_id[p] for p in person_ids),
            fit=fit[i],
            hours_override=hours[i],
            current=current[i],
            locks=tuple(locks[i]),
            fair_share=ratio,
        )
        for i, (task_ids, person_ids) in enumerate(groups)
    ]


_WORST_FIRST: tuple[Status, ...] = (
    "invalid",
    "infeasible",
    "unknown",
    "feasible",
    "optimal",
    "empty",
)
_CARRIED = {"time_limit_before_first_solution", "no_solution_found", "no_solution_yet"}


def solve_by_components(problem: Problem, options: SolverOptions | None = None) -> Solution:
    """Solve each independent part on its own and merge; same answer shape as ``solve``.

    The time limit is for the whole call: each part gets a share of what is left, in
    proportion to its number of candidate pairs.
    """
    started = time.perf_counter()
    options = options or SolverOptions()
    prepared = prepare(problem)
    if prepared.errors or not problem.tasks or not problem.people:
        return solve(problem, options)
    parts = _split(prepared)
    sizes = [
        sum(
            len(prepared.owner_candidates.get(t.id, ()))
            + len(prepared.backup_candidates.get(t.id, ()))
            for t in part.tasks
        )
        + 1
        for part in parts
    ]
    deadline = started + options.time_limit_s
    messages: list[Message] = list(prepared.messages)
    assignment: dict[Id, TaskAssignment] = {}
    statuses: list[Status] = []
    bound_scaled = 0.0
    for index, part in enumerate(parts):
        left = max(0.05, deadline - time.perf_counter())
        share = left * sizes[index] / sum(sizes[index:])
        result = solve(part, replace(options, time_limit_s=share))
        statuses.append(result.status)
        messages.extend(m for m in result.messages if m.code in _CARRIED)
        if result.status in ("invalid", "infeasible", "unknown"):
            messages.extend(m for m in result.messages if m.level == "error")
            continue
        for task_id, value in result.assignments.items():
            assignment[task_id] = normalise_assignment(value)
        # A part without a bound (no people in it) is fixed: its objective is its bound.
        part_bound = result.best_bound if result.best_bound is not None else result.objective
        bound_scaled += (part_bound or 0.0) * POINT_SCALE
    status = next(s for s in _WORST_FIRST if s in statuses)
    if status == "empty":
        status = "optimal"
    return finish_solution(status, prepared, assignment, messages, bound_scaled, started)
