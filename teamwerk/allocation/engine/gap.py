"""The generalized assignment problem (GAP) on the allocation engine's CP-SAT core.

A GAP instance maps onto the school model: agents are people (capacity = hours
available), jobs are tasks that need an owner, the resource use of a job differs per agent
(``Problem.hours_override``) and the cost is a negative fit.

``solve_gap`` works in phases on one deadline: a regret greedy plus local search (a
solution in hand) and the LP relaxation (GLOP, strengthened with each agent's knapsack),
which gives every pair (agent, job) a floor: the least a solution using it can cost. CP-SAT
then searches the core of the pairs with the lowest floors, and from its best solution every
pair whose floor is still below that solution's cost; a proof there is a proof for the
instance. When those pairs are few and the core search has stalled, branch and cut (SCIP)
takes that reduced model first: it proves what CP-SAT keeps circling. Without the LP (an
instance too large for its share of the time) CP-SAT searches the whole model, and a
large-neighbourhood search re-solves the jobs of a few agents at a time.
"""

from __future__ import annotations

import bisect
import heapq
import math
import random
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import numpy as np
from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

from .clock import Clock, Deadline
from .core import KeepSearching, SearchProgress, apply_extra_params, solve
from .types import Person, Problem, SolverOptions, Task, TaskAssignment, Weights

UNASSIGNED = -1
Var = TypeVar("Var")  # a solver's variable: CP-SAT's or the linear solver's
# CP-SAT parameters by name, on top of the engine's (see ``core.apply_extra_params``).
CpParams = tuple[tuple[str, float | int | bool | str], ...]
# Work (CP-SAT deterministic seconds) per agent in an improvement part.
SUB_SOLVE_S = 0.02
MAX_PART_AGENTS = 4
RELATED_SHARE = 0.5


@dataclass(frozen=True)
class GapInstance:
    name: str
    cost: tuple[tuple[int, ...], ...]  # cost[agent][job]
    weight: tuple[tuple[int, ...], ...]  # resource use weight[agent][job]
    capacity: tuple[int, ...]

    @property
    def agents(self) -> int:
        return len(self.capacity)

    @property
    def jobs(self) -> int:
        return len(self.cost[0]) if self.cost else 0


@dataclass(frozen=True)
class GapResult:
    status: str  # optimal | feasible | infeasible | unknown
    value: int | None  # total cost (minimised)
    bound: float | None
    seconds: float
    assignment: tuple[int, ...] = ()  # agent per job
    heuristic_value: int | None = None
    # (seconds since the start, cost) of each better solution found, in order.
    trace: tuple[tuple[float, int], ...] = ()


def parse_orlibrary(text: str, name: str = "") -> GapInstance:
    """OR-Library format: ``m n``, m×n costs, m×n resource use, m capacities."""
    numbers = [int(token) for token in text.split()]
    if len(numbers) < 2:
        raise ValueError("expected 'm n' header")
    m, n = numbers[0], numbers[1]
    expected = 2 + 2 * m * n + m
    if m <= 0 or n <= 0 or len(numbers) < expected:
        raise ValueError(f"expected {expected} numbers for m={m}, n={n}, got {len(numbers)}")
    at = 2
    cost = tuple(tuple(numbers[at + i * n : at + (i + 1) * n]) for i in range(m))
    at += m * n
    weight = tuple(tuple(numbers[at + i * n : at + (i + 1) * n]) for i in range(m))
    at += m * n
    return GapInstance(name, cost, weight, tuple(numbers[at : at + m]))


def read_orlibrary(path: str | Path) -> GapInstance:
    path = Path(path)
    return parse_orlibrary(path.read_text(), path.name)


def total_cost(instance: GapInstance, assignment: list[int] | tuple[int, ...]) -> int:
    return sum(instance.cost[agent][job] for job, agent in enumerate(assignment))


def is_feasible(instance: GapInstance, assignment: list[int] | tuple[int, ...]) -> bool:
    used = [0] * instance.agents
    for job, agent in enumerate(assignment):
        if agent == UNASSIGNED:
            return False
        used[agent] += instance.weight[agent][job]
    return all(u <= c for u, c in zip(used, instance.capacity, strict=True))


def to_problem(instance: GapInstance) -> Problem:
    m, n = instance.agents, instance.jobs
    return Problem(
        tasks=tuple(
            Task(id=j, hours=float(max(instance.weight[i][j] for i in range(m)))) for j in range(n)
        ),
        people=tuple(Person(id=i, hours_available=float(instance.capacity[i])) for i in range(m)),
        fit={(i, j): -float(instance.cost[i][j]) for i in range(m) for j in range(n)},
        hours_override={(i, j): float(instance.weight[i][j]) for i in range(m) for j in range(n)},
        weights=Weights(fit=1.0, continuity=0.0, balance=0.0, allow_uncovered=False),
    )


def _scores(instance: GapInstance, criterion: str) -> list[list[float]]:
    cost, weight, capacity = instance.cost, instance.weight, instance.capacity
    if criterion == "cost":
        return [list(row) for row in cost]
    if criterion == "weight":
        return [list(row) for row in weight]
    if criterion == "relative_weight":
        return [[w / max(1, capacity[i]) for w in weight[i]] for i in range(instance.agents)]
    if criterion == "cost_x_weight":
        return [
            [c * w for c, w in zip(cost[i], weight[i], strict=True)] for i in range(instance.agents)
        ]
    raise ValueError(f"unknown criterion {criterion!r}")


def regret_greedy(
    instance: GapInstance, criterion: str, deadline: Deadline | None = None
) -> list[int]:
    """Martello–Toth regret heuristic: place first the job that loses most if delayed.

    Only the jobs whose best or second-best agent just ran out of room are re-ranked
    (a heap keeps the largest regret on top), so 80 × 1,600 takes a fraction of a second.
    Stops at the deadline with the partial (not feasible) assignment, as when it gets stuck.
    """
    m, n = instance.agents, instance.jobs
    weight = instance.weight
    score = _scores(instance, criterion)
    left = list(instance.capacity)
    assignment = [UNASSIGNED] * n
    best = [-1] * n
    second = [-1] * n
    regret = [0.0] * n
    holders: list[set[int]] = [set() for _ in range(m)]  # jobs ranked on agent i
    inf = float("inf")

    def rank(j: int) -> bool:
        top = runner = inf
        top_agent = runner_agent = -1
        for i in range(m):
            if weight[i][j] <= left[i]:
                value = score[i][j]
                if value < top:
                    top, runner, top_agent, runner_agent = value, top, i, top_agent
                elif value < runner:
                    runner, runner_agent = value, i
        for old in (best[j], second[j]):
            if old >= 0:
                holders[old].discard(j)
        best[j], second[j] = top_agent, runner_agent
        for new in (top_agent, runner_agent):
            if new >= 0:
                holders[new].add(j)
        regret[j] = runner - top
        return top_agent >= 0

    heap: list[tuple[float, int]] = []
    for j in range(n):
        if not rank(j):
            return assignment  # stuck: return the partial solution
        heap.append((-regret[j], j))
        if j % 128 == 0 and deadline is not None and deadline.passed():
            return assignment
    heapq.heapify(heap)
    placed = 0
    while heap:
        negative, j = heapq.heappop(heap)
        if assignment[j] != UNASSIGNED or -negative != regret[j]:
            continue  # placed already, or an older ranking
        agent = best[j]
        assignment[j] = agent
        left[agent] -= weight[agent][j]
        for old in (best[j], second[j]):
            if old >= 0:
                holders[old].discard(j)
        placed += 1
        if placed % 64 == 0 and deadline is not None and deadline.passed():
            return assignment
        for k in [k for k in holders[agent] if weight[agent][k] > left[agent]]:
            if not rank(k):
                return assignment
            heapq.heappush(heap, (-regret[k], k))
    return assignment


def local_search(
    instance: GapInstance, assignment: list[int], deadline: Deadline | float
) -> list[int]:
    """Shift and swap moves until neither lowers the cost (on a feasible solution)."""
    if not isinstance(deadline, Deadline):
        deadline = Deadline(deadline)
    m, n = instance.agents, instance.jobs
    cost, weight = instance.cost, instance.weight
    assignment = list(assignment)
    left = list(instance.capacity)
    for j, i in enumerate(assignment):
        left[i] -= weight[i][j]
    improved = True
    while improved and not deadline.passed():
        improved = False
        for j in range(n):  # shift
            a = assignment[j]
            for i in range(m):
                if i != a and cost[i][j] < cost[a][j] and weight[i][j] <= left[i]:
                    left[a] += weight[a][j]
                    left[i] -= weight[i][j]
                    assignment[j] = a = i
                    improved = True
        for j in range(n):  # swap
            if j % 32 == 0 and deadline.passed():
                return assignment
            for k in range(j + 1, n):
                a, b = assignment[j], assignment[k]
                if a == b:
                    continue
                delta = cost[b][j] + cost[a][k] - cost[a][j] - cost[b][k]
                if delta >= 0:
                    continue
                new_left_a = left[a] + weight[a][j] - weight[a][k]
                new_left_b = left[b] + weight[b][k] - weight[b][j]
                if new_left_a >= 0 and new_left_b >= 0:
                    left[a], left[b] = new_left_a, new_left_b
                    assignment[j], assignment[k] = b, a
                    improved = True
    return assignment


CRITERIA = ("relative_weight", "weight", "cost", "cost_x_weight")


def heuristic(
    instance: GapInstance, budget_s: float = 2.0, *, deadline: Deadline | None = None
) -> list[int] | None:
    """Best feasible regret-greedy solution after local search, or None.

    Every step looks at the deadline (``budget_s`` from now unless one is given): what is
    found by then is returned, never more time taken.
    """
    deadline = deadline or Deadline.after(budget_s)
    best: list[int] | None = None
    for criterion in CRITERIA:
        if deadline.passed():
            break
        candidate = regret_greedy(instance, criterion, deadline)
        if not is_feasible(instance, candidate):
            continue
        candidate = local_search(instance, candidate, deadline)
        if best is None or total_cost(instance, candidate) < total_cost(instance, best):
            best = candidate
    return best


# -------------------------------------------------------------- LP reduction


# The first search is on a core of the pairs with the lowest floors: CORE_SHARE of them,
# and at least CORE_MIN_AGENTS per job. On yagiura2004 e20200, e20100 and chu1997 d20200,
# d10100 at 30 s (two seeds, from the agent of each job's lowest floor) it ended at 0.13 and
# 0.18, 0.10 and 0.00, 0.41 and 0.86, 0.17 and 0.36 % off; a core of 10 % at 0.08, 0.15,
# 0.63, 0.55 % and one of 35 % at 0.93, 0.08, 1.03, 0.39 %. Plain CP-SAT on the whole
# model: 0.24, 0.37, 0.92, 0.50 % in the last comparison. Over the shared set at 30 s, three
# runs of the core and then the floors gave mean gaps (engine / plain, same run) of C 0.014 /
# 0.020, 0.007 / 0.007, 0.021 / 0.046; D 0.369 / 0.727, 0.382 / 0.627, 0.423 / 0.813; E 0.053
# / 0.340, 0.069 / 0.270, 0.213 / 0.306 (the whole model first had given D 0.42-0.50 / 0.58-
# 0.76). Single instances still swing: e20200 ended at 0.13-0.26 % here, plain at 0.12-0.70 %.
# On chu1997 d20100 (four seeds each) this core ended 0.79-1.10 % off and plain 1.50-1.94 %;
# a core of 30 % 0.95-1.25 %, at least 3 agents per job 0.94-1.21 %. Stopping a stalled core
# search (no better solution for half its time) and going on from its best solution, on the
# core again or on every pair the floors allow, ended worse on D and c20200 (three seeds;
# d10200: 0.16-0.34 % against 0.16-0.21 %; e20200, core again: 0.02-0.26 % against 0.00-0.06 %).
CORE_SHARE = 0.2
CORE_MIN_AGENTS = 2
# Slack on the LP's floors, in cost units: GLOP's tolerances are far smaller, and a pair
# kept too many only costs a variable.
FLOOR_SLACK = 0.5
# The branch-and-cut phase (SCIP on the pairs the floors leave) takes over from the core
# search when that search has found nothing better for MIP_STALL_SHARE of its time (at least
# MIP_STALL_MIN_S) and the floors leave at most MIP_MAX_SHARE of the pairs; it gets
# MIP_TIME_SHARE of the time left, CP-SAT the rest. On chu1997 c20200 the core search sat at
# 2,393 from about 2 s and found the optimum (2,391) at 28.4 s of 30 or not at all; SCIP on
# the 16 % of pairs left proves it 6 s after taking over (four seeds: 9.6-17.9 s in all). On
# yagiura2004 e10100 (27 % of pairs) it proved 11,577 at 17.5-18.3 s. Where more pairs are
# left SCIP found nothing the core search would not: with 70 % allowed, e20200 ended 0.39 %
# off against 0.14 % and e20100 0.28 % against 0.04 % (same seeds); chu1997 D never
# qualifies (its floors leave nearly every pair).
MIP_MAX_SHARE = 0.3
MIP_TIME_SHARE = 0.6
MIP_MIN_S = 2.0
MIP_STALL_MIN_S = 2.0
MIP_STALL_SHARE = 0.3
HAND_OVER_CHECK_S = 0.2


@dataclass(frozen=True)
class LpRelaxation:
    """The LP relaxation of an instance and, per pair, the least a solution using it costs.

    A solution that gives job j to agent i costs at least the LP's value plus that pair's
    reduced cost (its "floor"). Pairs whose floor is above a known solution's cost can
    never be part of a better one, so they can be left out of the search.
    """

    value: float
    floor: tuple[tuple[float, ...], ...]  # floor[agent][job]; inf where the job never fits
    sorted_floors: tuple[float, ...]

    def pairs_within(
        self, upper: float, keep: list[int] | tuple[int, ...]
    ) -> list[tuple[int, int]]:
        """Pairs (agent, job) a solution costing at most ``upper`` may use, and ``keep``'s."""
        limit = upper + FLOOR_SLACK
        return [
            (i, j)
            for i, row in enumerate(self.floor)
            for j, floor in enumerate(row)
            if floor <= limit or keep[j] == i
        ]

    def core(
        self, share: float, keep: list[int] | tuple[int, ...] | None
    ) -> tuple[list[tuple[int, int]], list[int], float]:
        """The pairs of the lowest floors: ``share`` of all pairs, at least CORE_MIN_AGENTS
        per job, and ``keep``'s. Also the agent of each job's lowest floor (a hint) and the
        least floor of a pair left out: no solution that leaves the core costs less."""
        threshold = self.sorted_floors[
            min(len(self.sorted_floors) - 1, int(share * len(self.sorted_floors)))
        ]
        agents = len(self.floor)
        pairs, cheapest, outside = [], [], math.inf
        for j in range(len(self.floor[0]) if agents else 0):
            column = sorted((self.floor[i][j], i) for i in range(agents))
            cheapest.append(column[0][1])
            for rank, (floor, i) in enumerate(column):
                if floor == math.inf:
                    break  # the job never fits this agent
                if (
                    floor <= threshold
                    or rank < CORE_MIN_AGENTS
                    or (keep is not None and keep[j] == i)
                ):
                    pairs.append((i, j))
                else:
                    outside = min(outside, floor)
        return pairs, cheapest, outside

    def share_within(self, upper: float) -> float:
        """Share of the pairs a solution costing at most ``upper`` may use."""
        if not self.sorted_floors:
            return 1.0
        kept = bisect.bisect_right(self.sorted_floors, upper + FLOOR_SLACK)
        return kept / len(self.sorted_floors)


def lp_relaxation(instance: GapInstance, deadline: Deadline) -> LpRelaxation | None:
    """Solve the LP relaxation with GLOP within the deadline; None when it is not done."""
    m, n = instance.agents, instance.jobs
    cost, weight, capacity = instance.cost, instance.weight, instance.capacity
    solver = pywraplp.Solver.CreateSolver("GLOP")
    if solver is None or m == 0 or n == 0:
        return None
    x: list[list[pywraplp.Variable]] = []
    for i in range(m):
        if deadline.passed():
            return None
        x.append(
            [solver.NumVar(0.0, 1.0 if weight[i][j] <= capacity[i] else 0.0, "") for j in range(n)]
        )
    for j in range(n):
        if j % 256 == 0 and deadline.passed():
            return None
        solver.Add(solver.Sum([x[i][j] for i in range(m)]) == 1)
    for i in range(m):
        if deadline.passed():
            return None
        solver.Add(solver.Sum([weight[i][j] * x[i][j] for j in range(n)]) <= capacity[i])
    objective = solver.Objective()
    for i in range(m):
        for j in range(n):
            objective.SetCoefficient(x[i][j], cost[i][j])
    objective.SetMinimization()
    left = deadline.left()
    if left <= 0.01:
        return None
    solver.SetTimeLimit(max(1, int(left * 1000)))
    if solver.Solve() != pywraplp.Solver.OPTIMAL:
        return None
    value = objective.Value()
    floor = [
        [
            value + max(0.0, x[i][j].reduced_cost()) if weight[i][j] <= capacity[i] else math.inf
            for j in range(n)
        ]
        for i in range(m)
    ]
    duals = np.array([constraint.dual_value() for constraint in solver.constraints()[:n]])
    strengthened = lagrangian_floors(instance, duals, value, deadline)
    if strengthened is not None:
        value = max(value, strengthened[0])
        for i in range(m):
            row, better = floor[i], strengthened[1][i]
            for j in range(n):
                if better[j] > row[j]:
                    row[j] = better[j]
    frozen = tuple(tuple(row) for row in floor)
    return LpRelaxation(value, frozen, tuple(sorted(f for row in frozen for f in row)))


# Subgradient steps on the Lagrangian bound, and when to halve the step. With 80 steps and
# patience 4 chu1997 c20200 stopped at 2,389.82; with 300 and 10 it reaches 2,390.08, so its
# optimum (2,391) is proved as soon as it is found (yagiura2004 e20100: 8,430.11 against
# 8,431.16), for 0.3-1.6 s more on 20 × 200 (machine busy). 300 and 20: no stronger, twice as slow.
LAGRANGE_ITERATIONS = 300
LAGRANGE_PATIENCE = 10
LAGRANGE_MIN_STEP = 0.005
# The steps stop at this share of the time left to the LP phase: the floors, after them,
# need two knapsack tables per agent, and steps cut off by the deadline would lose them all.
LAGRANGE_STEPS_SHARE = 0.6


def _knapsack_table(
    profit: np.ndarray, weight: Sequence[int], capacity: int, items: Sequence[int]
) -> np.ndarray:
    """Best profit of the first t ``items`` within each capacity c: table[t][c]."""
    table = np.zeros((len(items) + 1, capacity + 1))
    for t, j in enumerate(items):
        row, after = table[t], table[t + 1]
        after[:] = row
        w = weight[j]
        np.maximum(after[w:], row[: capacity + 1 - w] + profit[j], out=after[w:])
    return table


def _knapsack_choice(
    profit: np.ndarray, weight: Sequence[int], capacity: int
) -> tuple[float, list[int]]:
    """0-1 knapsack over the items of positive profit: best profit and the items taken."""
    items = [j for j in range(len(profit)) if profit[j] > 0 and weight[j] <= capacity]
    table = _knapsack_table(profit, weight, capacity, items)
    chosen, c = [], capacity
    for t in range(len(items), 0, -1):
        if table[t][c] != table[t - 1][c]:
            j = items[t - 1]
            chosen.append(j)
            c -= weight[j]
    return float(table[-1][capacity]), chosen


def lagrangian_floors(
    instance: GapInstance, duals: np.ndarray, lp_value: float, deadline: Deadline
) -> tuple[float, list[list[float]]] | None:
    """A stronger bound and floors: relax "each job once" with prices, keep the knapsacks.

    With a price u_j per job, the cost of any solution is at least sum(u) minus each
    agent's best knapsack of profits u_j - c_ij. Unlike the LP, the knapsacks count whole
    jobs, which matters when an agent holds only a few (yagiura2004 E: 5 to 10). The LP's
    duals are the first prices (the bound starts at the LP's value); subgradient steps raise
    it. A pair's floor is the bound with that agent's knapsack forced to take the job.
    """
    m, n = instance.agents, instance.jobs
    cost = [np.array(row, dtype=float) for row in instance.cost]
    weight, capacity = instance.weight, instance.capacity
    target = abs(lp_value) * 1.01 + 1.0
    prices, best, best_prices = duals.copy(), -math.inf, duals.copy()
    step, patience = 2.0, 0
    steps_until = deadline.clock() + LAGRANGE_STEPS_SHARE * deadline.left()
    for iteration in range(LAGRANGE_ITERATIONS):
        if iteration > 0 and deadline.clock() >= steps_until:
            break  # the best prices so far still give valid floors
        bound, taken = float(prices.sum()), np.zeros(n)
        for i in range(m):
            if deadline.passed():
                return None
            value, chosen = _knapsack_choice(prices - cost[i], weight[i], capacity[i])
            bound -= value
            taken[chosen] += 1
        if bound > best + 1e-9:
            best, best_prices, patience = bound, prices.copy(), 0
        else:
            patience += 1
            if patience >= LAGRANGE_PATIENCE:
                step, patience = step / 2, 0
        direction = 1.0 - taken
        norm = float(direction @ direction)
        if norm == 0 or step < LAGRANGE_MIN_STEP:
            break  # every job taken once: the knapsacks are an optimal solution
        prices = prices + step * max(target - bound, 1.0) / norm * direction
    floors: list[list[float]] = []
    for i in range(m):
        if deadline.passed():
            return None
        profit = best_prices - cost[i]
        items = [j for j in range(n) if profit[j] > 0 and weight[i][j] <= capacity[i]]
        prefix = _knapsack_table(profit, weight[i], capacity[i], items)
        suffix = _knapsack_table(profit, weight[i], capacity[i], items[::-1])
        top = prefix[-1][capacity[i]]
        row = []
        for j in range(n):
            room = capacity[i] - weight[i][j]
            if room < 0:
                row.append(math.inf)
                continue
            before = bisect.bisect_left(items, j)  # positive items ahead of job j
            after = len(items) - before - (1 if before < len(items) and items[before] == j else 0)
            forced = profit[j] + float(np.max(prefix[before][: room + 1] + suffix[after][room::-1]))
            row.append(best + top - forced)
        floors.append(row)
    return best, floors


def _by_job_and_agent(
    instance: GapInstance, x: dict[tuple[int, int], Var]
) -> tuple[dict[int, list[Var]], dict[int, list[tuple[int, Var]]]]:
    """The variables of each job, and each agent's (weight, variable): the rows of a GAP model."""
    by_job: dict[int, list[Var]] = {}
    by_agent: dict[int, list[tuple[int, Var]]] = {}
    for (i, j), var in x.items():
        by_job.setdefault(j, []).append(var)
        by_agent.setdefault(i, []).append((instance.weight[i][j], var))
    return by_job, by_agent


def _pair_model(
    instance: GapInstance, pairs: list[tuple[int, int]], hint: list[int] | tuple[int, ...]
) -> tuple[cp_model.CpModel, dict[tuple[int, int], cp_model.IntVar], cp_model.LinearExpr]:
    """The GAP on ``pairs`` (agent, job) only, from ``hint``: each of their jobs once, every
    agent within capacity. Returns the model, its variables and the cost (not yet minimised)."""
    model = cp_model.CpModel()
    x = {pair: model.new_bool_var("") for pair in pairs}
    for (i, j), var in x.items():
        model.add_hint(var, hint[j] == i)
    by_job, by_agent = _by_job_and_agent(instance, x)
    for variables in by_job.values():
        model.add_exactly_one(variables)
    for i, terms in by_agent.items():
        model.add(sum(w * var for w, var in terms) <= instance.capacity[i])
    objective = sum(instance.cost[i][j] * var for (i, j), var in x.items())
    return model, x, objective


class _ReducedTrace(cp_model.CpSolverSolutionCallback):
    def __init__(self, note: Callable[[int], None]) -> None:
        super().__init__()
        self.note = note

    def on_solution_callback(self) -> None:
        self.note(round(self.objective_value))


def _search_pairs(
    instance: GapInstance,
    pairs: list[tuple[int, int]],
    hint: list[int] | tuple[int, ...],
    deadline: Deadline,
    *,
    seed: int,
    num_workers: int,
    note: Callable[[int], None],
    extra_params: CpParams = (),
    hand_over: Callable[[], bool] | None = None,
) -> tuple[list[int] | None, float | None, bool]:
    """CP-SAT on ``pairs`` only, from ``hint``, for the time left (or until ``hand_over``,
    asked a few times a second, says another phase should take over).

    Returns the best solution found (None if none), the bound on what the pairs allow and
    whether that best is proved optimal on them (inf as the bound when they allow nothing).
    """
    model, x, objective = _pair_model(instance, pairs, hint)
    model.minimize(objective)
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.num_workers = num_workers
    params.random_seed = seed
    params.max_time_in_seconds = max(0.01, deadline.left())
    apply_extra_params(params, extra_params)
    done = threading.Event()

    def watch() -> None:
        while not done.wait(HAND_OVER_CHECK_S):
            if hand_over():
                solver.stop_search()
                return

    watcher = threading.Thread(target=watch, daemon=True) if hand_over else None
    if watcher is not None:
        watcher.start()
    try:
        code = solver.solve(model, _ReducedTrace(note))
    finally:
        done.set()
        if watcher is not None:
            watcher.join()
    if code == cp_model.INFEASIBLE:
        return None, math.inf, True
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, None, False
    found = [UNASSIGNED] * instance.jobs
    for (i, j), var in x.items():
        if solver.boolean_value(var):
            found[j] = i
    if not is_feasible(instance, found):
        return None, None, False  # a job outside every pair: the pairs do not cover it
    return found, solver.best_objective_bound, code == cp_model.OPTIMAL


def search_reduced(
    instance: GapInstance,
    pairs: list[tuple[int, int]],
    best: list[int],
    deadline: Deadline,
    *,
    seed: int,
    num_workers: int,
    note: Callable[[int], None],
    extra_params: CpParams = (),
) -> tuple[list[int], float | None, bool]:
    """CP-SAT on the pairs the LP leaves, from ``best``, for the time left.

    Returns the best solution, a lower bound for the whole instance and whether it is
    proved optimal. Every solution cheaper than ``best`` uses only ``pairs``, so the reduced
    model's bound holds for the whole instance up to ``best``'s cost.
    """
    upper = total_cost(instance, best)
    found, bound, proved = _search_pairs(
        instance,
        pairs,
        best,
        deadline,
        seed=seed,
        num_workers=num_workers,
        note=note,
        extra_params=extra_params,
    )
    if found is not None and total_cost(instance, found) <= upper:
        best = found
    if bound is None:
        return best, None, False
    return best, min(float(upper), bound), proved or bound >= upper


def search_mip(
    instance: GapInstance,
    pairs: list[tuple[int, int]],
    best: list[int],
    deadline: Deadline,
) -> tuple[list[int], float | None, bool]:
    """The integer program on ``pairs`` with SCIP (branch and cut), from ``best``.

    Returns the best solution, a lower bound for the whole instance and whether it is proved
    optimal; like ``search_reduced``, ``pairs`` must hold every solution cheaper than ``best``.
    """
    upper = total_cost(instance, best)
    solver = pywraplp.Solver.CreateSolver("SCIP")
    if solver is None or deadline.left() <= MIP_MIN_S / 2:
        return best, None, False
    x = {pair: solver.BoolVar("") for pair in pairs}
    by_job, by_agent = _by_job_and_agent(instance, x)
    for variables in by_job.values():
        solver.Add(solver.Sum(variables) == 1)
    for i, terms in by_agent.items():
        solver.Add(solver.Sum([w * var for w, var in terms]) <= instance.capacity[i])
    objective = solver.Objective()
    for (i, j), var in x.items():
        objective.SetCoefficient(var, instance.cost[i][j])
    objective.SetMinimization()
    solver.SetHint(list(x.values()), [1.0 if best[j] == i else 0.0 for i, j in x])
    solver.SetNumThreads(1)
    left = deadline.left()
    if left <= 0.05:
        return best, None, False
    solver.SetTimeLimit(max(1, int(left * 1000)))
    exact = pywraplp.MPSolverParameters()
    # The default stops within 0.01 % of the bound: not a proof on integer costs.
    exact.SetDoubleParam(pywraplp.MPSolverParameters.RELATIVE_MIP_GAP, 0.0)
    code = solver.Solve(exact)
    if code not in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE):
        return best, None, False
    found = [UNASSIGNED] * instance.jobs
    for (i, j), var in x.items():
        if var.solution_value() > 0.5:
            found[j] = i
    if is_feasible(instance, found) and total_cost(instance, found) < upper:
        best, upper = found, total_cost(instance, found)
    bound = min(float(upper), objective.BestBound())
    return best, bound, upper <= math.ceil(bound - 1e-6)


# -------------------------------------------------------------- improvement (LNS)


def _solve_part(
    instance: GapInstance,
    agents: list[int],
    jobs: list[int],
    current: list[int],
    *,
    seconds: float,
    wall_s: float,
    seed: int,
) -> tuple[list[int] | None, bool]:
    """Best reassignment of ``jobs`` over ``agents`` (their jobs freed); None if not better."""
    model, x, objective = _pair_model(instance, [(i, j) for i in agents for j in jobs], current)
    before = sum(instance.cost[current[j]][j] for j in jobs)
    model.add(objective <= before - 1)  # only a better part is worth having
    model.minimize(objective)
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.num_workers = 1
    params.random_seed = seed
    # Stop on work done rather than the clock, so a seed gives the same search.
    params.max_deterministic_time = max(0.001, seconds)
    params.max_time_in_seconds = max(0.001, wall_s)
    code = solver.solve(model)
    proved = code in (cp_model.OPTIMAL, cp_model.INFEASIBLE)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, proved
    return [next(i for i in agents if solver.boolean_value(x[i, j])) for j in jobs], proved


def improve(
    instance: GapInstance,
    assignment: list[int] | tuple[int, ...],
    deadline: Deadline,
    *,
    seed: int = 0,
    lower_bound: float | None = None,
    max_rounds: int | None = None,
    on_improve: Callable[[int], None] | None = None,
    stall_s: float | None = None,
) -> list[int]:
    """Large-neighbourhood search: free the jobs of a few agents, re-solve them exactly.

    The agents are drawn with a seeded random generator and each part is solved on work
    done (not the clock), so a seed gives the same sequence of solutions. The number of
    agents grows while parts are solved to proof and shrinks when they are not.
    """
    m, n = instance.agents, instance.jobs
    current = list(assignment)
    value = total_cost(instance, current)
    if m < 2 or n == 0:
        return current
    rng = random.Random(seed)
    size = min(m, 2)
    cost = instance.cost
    cheapest = [sorted(range(m), key=lambda i, j=j: (cost[i][j], i)) for j in range(n)]
    rounds = 0
    last_gain = deadline.elapsed()
    while not deadline.passed() and (max_rounds is None or rounds < max_rounds):
        if lower_bound is not None and value <= math.ceil(lower_bound - 1e-6):
            break  # proved optimal: nothing left to gain
        if stall_s is not None and deadline.elapsed() - last_gain > stall_s:
            break  # stuck in a local optimum: the caller may search the whole model again
        rounds += 1
        # Half the parts are drawn at random; the other half start from a job that is not
        # with its cheapest agent and take the agents it would rather go to.
        misplaced = [j for j in range(n) if current[j] != cheapest[j][0]]
        if misplaced and rng.random() < RELATED_SHARE:
            job = misplaced[rng.randrange(len(misplaced))]
            agents = [current[job]]
            for i in cheapest[job]:
                if len(agents) >= size:
                    break
                if i not in agents:
                    agents.append(i)
        else:
            agents = rng.sample(range(m), size)
        agents.sort()
        chosen = set(agents)
        jobs = [j for j in range(n) if current[j] in chosen]
        if not jobs:
            continue
        seconds = min(SUB_SOLVE_S * size, max(0.001, deadline.left()))
        part, proved = _solve_part(
            instance,
            agents,
            jobs,
            current,
            seconds=seconds,
            wall_s=max(0.001, deadline.left()),
            seed=seed + rounds,
        )
        if part is not None:
            for j, agent in zip(jobs, part, strict=True):
                current[j] = agent
            value = total_cost(instance, current)
            last_gain = deadline.elapsed()
            if on_improve is not None:
                on_improve(value)
        if proved and size < min(m, MAX_PART_AGENTS):
            size += 1
        elif not proved and size > 2:
            size -= 1
    return current


# CP-SAT's own parameters for the whole-model search: the defaults. A stronger LP
# relaxation (linearization_level 2) slowed the whole-model phase on the larger instances
# (yagiura2004 e20200 after 10 s: 22,618 with it, about 22,530 without). Over the shared set
# at 30 s on an idle machine, mean gap engine / plain in the same run: with level 2,
# C 0.007/0.006, D 0.505/0.556, E 0.088/0.171; with the defaults (two runs), C 0.027/0.014
# and 0.013/0.020, D 0.396/0.722 and 0.463/0.637, E 0.179/0.356 and 0.117/0.082. Plain
# itself moves that much between runs, and e20200 decides E: more runs per setting are needed.
# On the core search (four seeds): level 2 left e20200 at 0.00-0.14 % (defaults, three
# seeds: 0.00-0.06 %) and d10100 at 0.21-0.36 % (defaults in the comparison run: 0.16 %);
# LNS workers only (use_lns_only) left d10100 at 0.28-0.61 % and d20100 at 0.78-1.13 %.
ENGINE_PARAMS: CpParams = ()


# Share of the time after the start heuristic that CP-SAT gets on the whole model (first
# solutions and the bound); the rest goes to the improvement phase. Measured on the shared
# set at 8 s (chu1997 D, yagiura2004 E, 10 and 20 agents): 0.3 left the 20-agent
# instances 6-40 % off (CP-SAT had no good solution yet to improve), 0.6 beat 1.0 (no
# improvement phase) on each of them.
SEARCH_SHARE = 0.6
# After that share the search goes on, up to the whole limit, while it is closing in on a
# proof: its gap to the bound within CLOSE_GAP and a new solution or a better bound within
# the last STALL_SHARE of the search (at least STALL_MIN_S). A fixed split cut off searches
# that plain CP-SAT finished (chu1997 c20100: optimum proved at ~27 s of 30 under load, 0.64
# points lost); searches far from their bound (D, 200 jobs: ~1.2 %) still hand over to LNS.
CLOSE_GAP = 0.006
STALL_SHARE = 0.2
STALL_MIN_S = 1.0
# When the improvement phase finds nothing better for this share of the time left (at least
# RESTART_MIN_S), the whole model is searched again from its best solution (a hint) for the
# rest: on chu1997 c20100 the parts of 2-4 agents sat at 1,251 while the optimum is 1,243.
RESTART_STALL_SHARE = 0.3
RESTART_MIN_S = 1.5
HEURISTIC_SHARE = 0.1
HEURISTIC_MAX_S = 2.0
# The LP relaxation gets at most this share of the limit (GLOP: 0.13 s at 20 × 200, the
# knapsack prices 0.3-0.8 s more). It is not tried when its pairs alone would take longer
# than that (about LP_S_PER_PAIR each: 80 × 1,600 needs 4 s, and 1 s of a 10 s limit was lost).
LP_SHARE = 0.1
LP_MAX_S = 3.0
LP_S_PER_PAIR = 3e-5

HeuristicFn = Callable[[GapInstance, Deadline], "list[int] | None"]


def _default_heuristic(instance: GapInstance, deadline: Deadline) -> list[int] | None:
    return heuristic(instance, deadline=deadline)


def keep_searching_rule(search_until: float, has_start: bool) -> KeepSearching:
    """When the whole-model search should hand over to the improvement phase (see CLOSE_GAP)."""

    def keep_searching(progress: SearchProgress, now: float) -> bool:
        if now < search_until:
            return True
        gap = progress.gap()
        if gap is None:
            # No solution of its own yet: go on, unless the start can be improved instead.
            return not has_start
        window = max(STALL_MIN_S, STALL_SHARE * (now - progress.started))
        if now - progress.last_bound <= window:
            return True  # still closing its bound: a proof may be near
        return gap <= CLOSE_GAP and now - progress.last_progress <= window

    return keep_searching


def _search_again(
    instance: GapInstance,
    best: list[int],
    bound: float | None,
    deadline: Deadline,
    seed: int,
    num_workers: int,
    extra_params: CpParams,
    note: Callable[[int], None],
) -> tuple[list[int], float | None]:
    """The whole model once more, from the best solution in hand, for the time left."""
    options = SolverOptions(
        time_limit_s=deadline.left(),
        seed=seed + 1,
        num_workers=num_workers,
        deterministic=False,
        extra_params=extra_params,
    )
    hint = {job: TaskAssignment(agent, ()) for job, agent in enumerate(best)}
    solution = solve(to_problem(instance), options, hint=hint, clock=deadline.clock)
    if solution.best_bound is not None and solution.status in ("optimal", "feasible"):
        found_bound = -solution.best_bound
        bound = found_bound if bound is None else max(bound, found_bound)
    if solution.evaluation is None:
        return best, bound
    found = [
        int(solution.assignments[j].owner)
        if solution.assignments[j].owner is not None
        else UNASSIGNED
        for j in range(instance.jobs)
    ]
    if is_feasible(instance, found) and total_cost(instance, found) < total_cost(instance, best):
        note(total_cost(instance, found))
        best = found
    return best, bound


def _search_core_then_rest(
    instance: GapInstance,
    lp: LpRelaxation,
    start: list[int] | None,
    deadline: Deadline,
    *,
    seed: int,
    num_workers: int,
    note: Callable[[int], None],
    phase: Callable[[str], None],
    extra_params: CpParams,
) -> tuple[list[int] | None, float | None]:
    """CP-SAT on the core of the lowest floors; then, from its best solution, on every pair
    the floors still allow. Returns the best solution and a bound for the whole instance."""
    phase("search")
    best = start
    pairs, cheapest, outside = lp.core(CORE_SHARE, start)
    # Wall-clock time (CP-SAT's own), read by the watcher thread.
    began = time.monotonic()
    ends = began + deadline.left()
    latest = [math.inf, began]  # the core's best cost and when it was found

    def note_core(value: int) -> None:
        if value < latest[0]:
            latest[0], latest[1] = value, time.monotonic()
        note(value)

    def hand_over() -> bool:
        now = time.monotonic()
        if latest[0] == math.inf or ends - now < MIP_MIN_S:
            return False
        if lp.share_within(latest[0]) > MIP_MAX_SHARE:
            return False
        return now - latest[1] >= max(MIP_STALL_MIN_S, MIP_STALL_SHARE * (now - began))

    found, core_bound, _ = _search_pairs(
        instance,
        pairs,
        cheapest,
        deadline,
        seed=seed,
        num_workers=num_workers,
        note=note_core,
        extra_params=extra_params,
        hand_over=hand_over,
    )
    if found is not None and (
        best is None or total_cost(instance, found) < total_cost(instance, best)
    ):
        best = found
    # A solution that leaves the core uses a pair whose floor is at least ``outside``.
    bound = None if core_bound is None else min(core_bound, outside)
    if best is None or deadline.left() <= 0.05:
        return best, bound
    if bound is not None and total_cost(instance, best) <= math.ceil(bound - 1e-6):
        return best, bound  # proved: the core holds every better solution
    phase("improve")
    found_bound, proved = None, False
    if lp.share_within(total_cost(instance, best)) <= MIP_MAX_SHARE:
        best, found_bound, proved = search_mip(
            instance,
            lp.pairs_within(total_cost(instance, best), best),
            best,
            Deadline(
                deadline.clock() + deadline.share(MIP_TIME_SHARE),
                deadline.clock,
                deadline.started,
            ),
        )
        note(total_cost(instance, best))
    if not proved and deadline.left() > 0.05:
        best, more_bound, _ = search_reduced(
            instance,
            lp.pairs_within(total_cost(instance, best), best),
            best,
            deadline,
            seed=seed,
            num_workers=num_workers,
            note=note,
            extra_params=extra_params,
        )
        if more_bound is not None:
            found_bound = more_bound if found_bound is None else max(found_bound, more_bound)
    if found_bound is not None:
        bound = found_bound if bound is None else max(bound, found_bound)
    return best, bound


def _search_whole_then_improve(
    instance: GapInstance,
    start: list[int] | None,
    deadline: Deadline,
    *,
    seed: int,
    num_workers: int,
    improve_phase: bool,
    extra_params: CpParams,
    search_share: float,
    adaptive_split: bool,
    hint_search: bool,
    trace: list[tuple[float, int]],
    note: Callable[[int], None],
    phase: Callable[[str], None],
) -> tuple[list[int] | None, str, float | None]:
    """CP-SAT on the whole model, then the improvement phase on its best solution (and the
    whole model again when that stalls). Returns the best solution, status and bound."""
    best = list(start) if start is not None else None
    status, bound = "unknown", None
    share = search_share if improve_phase else 1.0
    seconds = deadline.share(share)
    keep_searching = None
    if improve_phase and adaptive_split:
        # The rule reads the clock of the search call, which starts now.
        keep_searching = keep_searching_rule(seconds, start is not None)
        seconds = deadline.left()
    if seconds > 0.01:
        phase("search")
        # The greedy start is kept in hand, not given as a hint: on the shared set a hint
        # this far from the optimum held CP-SAT near it (E: 114 % off against 2.7 %).
        hint = None
        if start is not None and hint_search:
            hint = {job: TaskAssignment(agent, ()) for job, agent in enumerate(start)}
        options = SolverOptions(
            time_limit_s=seconds,
            seed=seed,
            num_workers=num_workers,
            deterministic=False,
            extra_params=extra_params,
        )
        solution = solve(
            to_problem(instance),
            options,
            hint=hint,
            clock=deadline.clock,
            keep_searching=keep_searching,
        )
        offset = deadline.elapsed() - solution.wall_time_s  # when the CP-SAT phase began
        for at, objective in solution.trace:
            value = round(-objective)
            if not trace or value < trace[-1][1]:
                trace.append((round(offset + at, 4), value))
        if solution.best_bound is not None:
            bound = -solution.best_bound
        if solution.status == "infeasible":
            status = "infeasible"
        elif solution.evaluation is not None:
            found = [
                int(solution.assignments[j].owner)
                if solution.assignments[j].owner is not None
                else UNASSIGNED
                for j in range(instance.jobs)
            ]
            if is_feasible(instance, found) and (
                best is None or total_cost(instance, found) <= total_cost(instance, best)
            ):
                best = found
            status = "optimal" if solution.status == "optimal" else "feasible"

    if best is not None and status not in ("optimal", "infeasible"):
        status = "feasible"
        if improve_phase and not deadline.passed():
            phase("improve")
            stall = max(RESTART_MIN_S, RESTART_STALL_SHARE * deadline.left())
            best = improve(
                instance,
                best,
                deadline,
                seed=seed,
                lower_bound=bound,
                on_improve=note,
                stall_s=stall if adaptive_split else None,
            )
            if adaptive_split and deadline.left() > RESTART_MIN_S:
                best, bound = _search_again(
                    instance, best, bound, deadline, seed, num_workers, extra_params, note
                )
    return best, status, bound


def solve_gap(
    instance: GapInstance,
    time_limit_s: float = 30.0,
    *,
    seed: int = 0,
    num_workers: int = 2,
    use_heuristic: bool = True,
    improve_phase: bool = True,
    extra_params: CpParams = ENGINE_PARAMS,
    start_heuristic: HeuristicFn | None = None,
    search_share: float = SEARCH_SHARE,
    adaptive_split: bool = True,
    hint_search: bool = False,
    lp_reduction: bool = True,
    clock: Clock | None = None,
    on_phase: Callable[[str], None] | None = None,
) -> GapResult:
    """Solve a GAP instance with the allocation engine within ``time_limit_s``.

    Phases on one deadline (see the module): the start heuristic and the LP, CP-SAT on the
    core and then on every pair the floors allow; without the LP, or when the core holds no
    solution, CP-SAT on the whole model and the large-neighbourhood search. The best
    solution of any phase is returned; "unknown" when none was found in time (never
    "infeasible" unless CP-SAT proved it).
    """
    deadline = Deadline.after(time_limit_s, clock)
    trace: list[tuple[float, int]] = []

    def phase(name: str) -> None:
        if on_phase is not None:
            on_phase(name)

    def note(value: int) -> None:
        if not trace or value < trace[-1][1]:
            trace.append((round(deadline.elapsed(), 4), value))

    phase("start")
    start = None
    if use_heuristic:
        budget = Deadline(
            min(
                deadline.at, deadline.clock() + min(HEURISTIC_MAX_S, time_limit_s * HEURISTIC_SHARE)
            ),
            deadline.clock,
            deadline.started,
        )
        start = (start_heuristic or _default_heuristic)(instance, budget)
        if start is not None and not is_feasible(instance, start):
            start = None
    heuristic_value = total_cost(instance, start) if start is not None else None
    if heuristic_value is not None:
        note(heuristic_value)
    lp = None
    lp_budget = min(LP_MAX_S, time_limit_s * LP_SHARE)
    if (
        improve_phase
        and lp_reduction
        and instance.agents * instance.jobs * LP_S_PER_PAIR < lp_budget
    ):
        lp = lp_relaxation(
            instance,
            Deadline(
                min(deadline.at, deadline.clock() + lp_budget), deadline.clock, deadline.started
            ),
        )

    best, status, bound = None, "unknown", None
    if lp is not None:
        best, bound = _search_core_then_rest(
            instance,
            lp,
            start,
            deadline,
            seed=seed,
            num_workers=num_workers,
            note=note,
            phase=phase,
            extra_params=extra_params,
        )
        if best is not None:
            status = "feasible"
    if lp is None or best is None:
        # Without the LP, or when its core held no solution: the whole model, time left.
        best, status, bound = _search_whole_then_improve(
            instance,
            start,
            deadline,
            seed=seed,
            num_workers=num_workers,
            improve_phase=improve_phase,
            extra_params=extra_params,
            search_share=search_share,
            adaptive_split=adaptive_split,
            hint_search=hint_search,
            trace=trace,
            note=note,
            phase=phase,
        )
    if best is not None and status == "feasible":
        if lp is not None:
            # The LP's (or the knapsacks') bound holds too and may be the stronger one.
            bound = lp.value if bound is None else max(bound, lp.value)
        if bound is not None and total_cost(instance, best) <= math.ceil(bound - 1e-6):
            status = "optimal"
    seconds = deadline.elapsed()
    if best is None:
        return GapResult(
            status, None, bound, seconds, heuristic_value=heuristic_value, trace=tuple(trace)
        )
    return GapResult(
        status,
        total_cost(instance, best),
        bound,
        seconds,
        tuple(best),
        heuristic_value,
        tuple(trace),
    )


class _PlainTrace(cp_model.CpSolverSolutionCallback):
    def __init__(self, started: float, into: list[tuple[float, int]]) -> None:
        super().__init__()
        self.started, self.into = started, into

    def on_solution_callback(self) -> None:
        self.into.append(
            (round(time.perf_counter() - self.started, 4), round(self.objective_value))
        )


def solve_gap_plain(
    instance: GapInstance, time_limit_s: float = 30.0, *, num_workers: int = 2, seed: int = 0
) -> GapResult:
    """The textbook model with CP-SAT's default parameters, for comparison.

    Only the number of workers (and the seed) is set, to the engine's, so both get the
    same machine."""
    started = time.perf_counter()
    m, n = instance.agents, instance.jobs
    model = cp_model.CpModel()
    x = [[model.new_bool_var(f"x_{i}_{j}") for j in range(n)] for i in range(m)]
    for j in range(n):
        model.add_exactly_one(x[i][j] for i in range(m))
    for i in range(m):
        model.add(sum(instance.weight[i][j] * x[i][j] for j in range(n)) <= instance.capacity[i])
    model.minimize(sum(instance.cost[i][j] * x[i][j] for i in range(m) for j in range(n)))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(
        0.01, time_limit_s - (time.perf_counter() - started)
    )
    solver.parameters.num_workers = num_workers
    solver.parameters.random_seed = seed
    trace: list[tuple[float, int]] = []
    code = solver.solve(model, _PlainTrace(started, trace))
    seconds = time.perf_counter() - started
    status = {
        cp_model.OPTIMAL: "optimal",
        cp_model.FEASIBLE: "feasible",
        cp_model.INFEASIBLE: "infeasible",
    }.get(code, "unknown")
    if status not in ("optimal", "feasible"):
        return GapResult(status, None, None, seconds, trace=tuple(trace))
    assignment = tuple(next(i for i in range(m) if solver.boolean_value(x[i][j])) for j in range(n))
    return GapResult(
        status,
        total_cost(instance, assignment),
        solver.best_objective_bound,
        seconds,
        assignment,
        trace=tuple(trace),
    )
