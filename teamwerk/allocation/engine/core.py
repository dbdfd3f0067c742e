"""The CP-SAT model shared by the school allocation and the GAP benchmark."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from ortools.sat.python import cp_model

from .clock import Clock, Deadline
from .evaluate import evaluate, person_load_units, violations
from .explain import explain_assignments, explain_uncovered, person_loads
from .prepare import (
    Prepared,
    PrepareTimeout,
    backup_units,
    fit_coef,
    fit_of,
    normalise_assignment,
    owner_units,
    points,
    prepare,
    role_units,
)
from .types import (
    Assignment,
    Id,
    Message,
    Problem,
    Role,
    Solution,
    SolverOptions,
    Status,
    TaskAssignment,
)


@dataclass
class BuiltModel:
    model: cp_model.CpModel
    owner: dict[tuple[Id, Id], cp_model.IntVar] = field(default_factory=dict)  # (task, person)
    backup: dict[tuple[Id, Id], cp_model.IntVar] = field(default_factory=dict)
    owner_missing: dict[Id, cp_model.IntVar] = field(default_factory=dict)
    backup_missing: dict[Id, cp_model.IntVar] = field(default_factory=dict)
    above_fair: dict[Id, cp_model.IntVar] = field(default_factory=dict)
    overload: dict[Id, cp_model.IntVar] = field(default_factory=dict)
    infeasible_slots: list[tuple[Id, Role]] = field(default_factory=list)


class ModelTimeout(Exception):
    """The deadline passed while the model was being built."""


def build_model(prepared: Prepared, deadline: Deadline | None = None) -> BuiltModel:
    problem = prepared.problem
    weights = problem.weights
    coef = prepared.coef
    built = BuiltModel(cp_model.CpModel())
    model = built.model
    load_terms: dict[Id, list[tuple[int, cp_model.IntVar]]] = {p.id: [] for p in problem.people}
    objective: list[tuple[int, cp_model.IntVar]] = []
    offset = 0

    for index, task in enumerate(problem.tasks):
        if index % 16 == 0 and deadline is not None and deadline.passed():
            raise ModelTimeout
        for role, candidates, variables, missing in (
            (Role.OWNER, prepared.owner_candidates, built.owner, built.owner_missing),
            (Role.BACKUP, prepared.backup_candidates, built.backup, built.backup_missing),
        ):
            if task.id not in candidates:
                continue
            slot_vars = []
            for person_id in candidates[task.id]:
                var = model.new_bool_var(f"{role.value}_{task.id}_{person_id}")
                variables[task.id, person_id] = var
                slot_vars.append(var)
                units = (owner_units if role is Role.OWNER else backup_units)(
                    problem, person_id, task
                )
                if units:
                    load_terms[person_id].append((units, var))
                objective.append((fit_coef(problem, person_id, task.id, role), var))
            if weights.allow_uncovered:
                # Slack keeps the model feasible and shows what cannot be covered.
                empty = model.new_bool_var(f"{role.value}_missing_{task.id}")
                missing[task.id] = empty
                model.add_exactly_one([*slot_vars, empty])
                objective.append((-coef.uncovered, empty))
            elif slot_vars:
                model.add_exactly_one(slot_vars)
            else:
                built.infeasible_slots.append((task.id, role))
                model.add_bool_or([])  # a slot nobody can fill: the model is infeasible

        # A back-up is there for when the owner is away, so never the owner.
        for person_id in prepared.backup_candidates.get(task.id, ()):
            own = built.owner.get((task.id, person_id))
            if own is not None:
                model.add_at_most_one(own, built.backup[task.id, person_id])

        # Continuity: a change costs coef.change; keeping x=1 earns it back.
        before = prepared.current.get(task.id, TaskAssignment())
        if task.needs_owner and before.owner is not None:
            offset -= coef.change
            var = built.owner.get((task.id, before.owner))
            if var is not None:
                objective.append((coef.change, var))
        if task.needs_backup:
            for person_id in before.backups:
                offset -= coef.change
                var = built.backup.get((task.id, person_id))
                if var is not None:
                    objective.append((coef.change, var))

    for lock in prepared.locks:
        variables = built.owner if lock.role is Role.OWNER else built.backup
        model.add(variables[lock.task_id, lock.person_id] == 1)

    for index, person in enumerate(problem.people):
        if index % 256 == 0 and deadline is not None and deadline.passed():
            raise ModelTimeout
        terms = load_terms[person.id]
        if not terms:
            continue
        load = cp_model.LinearExpr.weighted_sum([v for _, v in terms], [u for u, _ in terms])
        max_load = sum(u for u, _ in terms)
        capacity = prepared.capacity[person.id]
        if not weights.allow_overload:
            if max_load > capacity:
                model.add(load <= capacity)
        elif coef.overload and max_load > capacity:
            over = model.new_int_var(0, max_load - capacity, f"over_{person.id}")
            model.add(over >= load - capacity)
            built.overload[person.id] = over
            objective.append((-coef.overload, over))
        fair = prepared.fair[person.id]
        if coef.balance and max_load > fair:
            above = model.new_int_var(0, max_load - fair, f"above_fair_{person.id}")
            model.add(above >= load - fair)
            built.above_fair[person.id] = above
            objective.append((-coef.balance, above))

    if deadline is not None and deadline.passed():
        raise ModelTimeout
    # Maximise by writing the objective straight into the model (CP-SAT minimises: scaling
    # -1, coefficients and offset negated); ``model.maximize`` takes seconds at 100,000 terms.
    proto = model.proto.objective
    proto.vars.extend([var.index for _, var in objective])
    proto.coeffs.extend([-coefficient for coefficient, _ in objective])
    proto.offset = -offset
    proto.scaling_factor = -1
    return built


def extract(built: BuiltModel, solver: cp_model.CpSolver, prepared: Prepared) -> dict:
    result: dict[Id, TaskAssignment] = {}
    for task in prepared.problem.tasks:
        owner = next(
            (
                p
                for p in prepared.owner_candidates.get(task.id, ())
                if solver.boolean_value(built.owner[task.id, p])
            ),
            None,
        )
        backups = tuple(
            p
            for p in prepared.backup_candidates.get(task.id, ())
            if solver.boolean_value(built.backup[task.id, p])
        )
        result[task.id] = TaskAssignment(owner, backups)
    return result


def add_hint(
    built: BuiltModel, prepared: Prepared, hint: Assignment, deadline: Deadline | None = None
) -> None:
    """A complete hint (every variable) lets CP-SAT start from it straight away.

    At the deadline it stops: a partial hint still helps, and the search gets no time anyway.
    """
    problem = prepared.problem
    chosen: dict[Id, TaskAssignment] = {}
    for task in problem.tasks:
        owner, backups = hint.get(task.id) or (None, ())
        owner = owner if (task.id, owner) in built.owner else None
        backup = next((b for b in backups if (task.id, b) in built.backup and b != owner), None)
        chosen[task.id] = TaskAssignment(owner, (backup,) if backup is not None else ())
    for index, ((task_id, person_id), var) in enumerate(built.owner.items()):
        if index % 4096 == 0 and deadline is not None and deadline.passed():
            return
        built.model.add_hint(var, chosen[task_id].owner == person_id)
    for index, ((task_id, person_id), var) in enumerate(built.backup.items()):
        if index % 4096 == 0 and deadline is not None and deadline.passed():
            return
        built.model.add_hint(var, person_id in chosen[task_id].backups)
    for task_id, var in built.owner_missing.items():
        built.model.add_hint(var, chosen[task_id].owner is None)
    for task_id, var in built.backup_missing.items():
        built.model.add_hint(var, not chosen[task_id].backups)
    loads = person_load_units(problem, chosen)
    for person_id, var in built.overload.items():
        built.model.add_hint(var, max(0, loads[person_id] - prepared.capacity[person_id]))
    for person_id, var in built.above_fair.items():
        built.model.add_hint(var, max(0, loads[person_id] - prepared.fair[person_id]))


def greedy_start(
    prepared: Prepared, base: Assignment, deadline: Deadline | None = None
) -> dict[Id, TaskAssignment]:
    """A feasible first solution: locks, then what can stay from ``base``, then best fit.

    A random or outdated current distribution often breaks the hours rule; without a
    feasible start, a short time limit can end with many slots needlessly empty. At the
    deadline it stops placing: what is placed by then keeps every rule.
    """
    problem = prepared.problem
    tasks = {t.id: t for t in problem.tasks}
    left = dict(prepared.capacity)
    owners: dict[Id, Id] = {}
    backups: dict[Id, Id] = {}

    def place(task_id: Id, person_id: Id, role: Role) -> bool:
        slot = owners if role is Role.OWNER else backups
        other = backups if role is Role.OWNER else owners
        candidates = prepared.owner_candidates if role is Role.OWNER else prepared.backup_candidates
        if task_id in slot or other.get(task_id) == person_id:
            return False
        if person_id not in candidates.get(task_id, ()):
            return False
        units = role_units(problem, person_id, tasks[task_id], role)
        if units > left[person_id]:
            return False
        left[person_id] -= units
        slot[task_id] = person_id
        return True

    for lock in prepared.locks:
        place(lock.task_id, lock.person_id, lock.role)
    for task_id, value in base.items():
        if task_id in tasks:
            owner, kept_backups = normalise_assignment(value)
            if owner is not None:
                place(task_id, owner, Role.OWNER)
            for person_id in kept_backups:
                place(task_id, person_id, Role.BACKUP)
    for role, candidates in (
        (Role.OWNER, prepared.owner_candidates),
        (Role.BACKUP, prepared.backup_candidates),
    ):
        # Scarce slots first: tasks with the fewest candidates.
        for index, task_id in enumerate(sorted(candidates, key=lambda t: len(candidates[t]))):
            if index % 32 == 0 and deadline is not None and deadline.passed():
                break
            ranked = sorted(candidates[task_id], key=lambda p: -fit_of(problem, p, task_id)[0])
            for person_id in ranked:
                if place(task_id, person_id, role):
                    break
    return {
        task_id: TaskAssignment(
            owners.get(task_id), (backups[task_id],) if task_id in backups else ()
        )
        for task_id in tasks
    }


# Above this many candidate variables CP-SAT's probing and symmetry search take seconds
# before the first solution (80 × 200 with everyone eligible: all of a 10 s limit); without
# them it starts from the hint at once. Set by name in ``extra_params`` to override.
LARGE_MODEL_VARIABLES = 4000
FAST_START_PARAMS = (("cp_model_probing_level", 0), ("symmetry_level", 0))


def configure(solver: cp_model.CpSolver, options: SolverOptions, variables: int = 0) -> None:
    params = solver.parameters
    if variables > LARGE_MODEL_VARIABLES:
        given = {name for name, _ in options.extra_params}
        for name, value in FAST_START_PARAMS:
            if name not in given:
                setattr(params, name, value)
    params.max_time_in_seconds = max(0.01, float(options.time_limit_s))
    params.random_seed = int(options.seed)
    params.num_workers = max(1, int(options.num_workers))
    params.log_search_progress = options.log
    if options.deterministic and params.num_workers > 1:
        params.interleave_search = True
    if options.deterministic:
        # Stop on work done rather than the clock, so a rerun reaches the same answer.
        params.max_deterministic_time = max(0.01, float(options.time_limit_s))
    apply_extra_params(params, options.extra_params)


def apply_extra_params(params, extra: tuple[tuple[str, float | int | bool | str], ...]) -> None:
    """Set CP-SAT parameters by name, appending to the repeated ones."""
    for name, value in extra:
        if isinstance(value, str) and hasattr(getattr(params, name), "append"):
            getattr(params, name).append(value)  # repeated field, e.g. ignore_subsolvers
        else:
            setattr(params, name, value)


@dataclass
class SearchProgress:
    """What a running CP-SAT search has reached, in CP-SAT's own objective units."""

    started: float  # seconds since the deadline started, when the search began
    objective: float | None = None
    bound: float | None = None
    last_progress: float = 0.0  # seconds since the deadline started: last solution or bound
    last_bound: float = 0.0  # seconds since the deadline started: last better bound

    def gap(self) -> float | None:
        if self.objective is None or self.bound is None:
            return None
        return abs(self.objective - self.bound) / max(1.0, abs(self.objective))


# A rule polled while CP-SAT searches: given the progress and the seconds elapsed, should the
# search go on? Used by the GAP mode to hand a stalled search over to its improvement phase.
KeepSearching = Callable[[SearchProgress, float], bool]
WATCH_INTERVAL_S = 0.05


class _Trace(cp_model.CpSolverSolutionCallback):
    """Seconds since the start and objective (points) of every solution CP-SAT finds."""

    def __init__(
        self,
        deadline: Deadline,
        into: list[tuple[float, float]],
        progress: SearchProgress | None = None,
    ) -> None:
        super().__init__()
        self.deadline, self.into, self.progress = deadline, into, progress

    def on_solution_callback(self) -> None:
        now = self.deadline.elapsed()
        self.into.append((now, points(round(self.objective_value))))
        if self.progress is not None:
            self.progress.objective = self.objective_value
            self.progress.last_progress = now


def _search(
    solver: cp_model.CpSolver,
    model: cp_model.CpModel,
    deadline: Deadline,
    trace: list[tuple[float, float]],
    keep_searching: KeepSearching | None,
) -> int:
    """``solver.solve`` with the trace; with a rule, a watcher stops the search when it says so."""
    if keep_searching is None:
        return solver.solve(model, _Trace(deadline, trace))
    now = deadline.elapsed()
    progress = SearchProgress(started=now, last_progress=now, last_bound=now)

    def on_bound(bound: float) -> None:
        if progress.bound is None or bound != progress.bound:
            progress.bound = bound
            progress.last_progress = progress.last_bound = deadline.elapsed()

    solver.best_bound_callback = on_bound
    done = threading.Event()

    def watch() -> None:
        while not done.wait(WATCH_INTERVAL_S):
            if not keep_searching(progress, deadline.elapsed()):
                solver.stop_search()
                return

    watcher = threading.Thread(target=watch, name="cp-sat-watch", daemon=True)
    watcher.start()
    try:
        return solver.solve(model, _Trace(deadline, trace, progress))
    finally:
        done.set()
        watcher.join()


_STATUS: dict[int, Status] = {
    cp_model.OPTIMAL: "optimal",
    cp_model.FEASIBLE: "feasible",
    cp_model.INFEASIBLE: "infeasible",
    cp_model.MODEL_INVALID: "invalid",
}


def _fallback(prepared: Prepared) -> dict[Id, TaskAssignment]:
    """Locks only: always feasible when uncovered slots are allowed."""
    result = {t.id: TaskAssignment() for t in prepared.problem.tasks}
    for lock in prepared.locks:
        owner, backups = result[lock.task_id]
        if lock.role is Role.OWNER:
            result[lock.task_id] = TaskAssignment(lock.person_id, backups)
        else:
            result[lock.task_id] = TaskAssignment(owner, (*backups, lock.person_id))
    return result


# Seconds kept back for the explanation at the end: a base plus a little per candidate
# pair (measured: 1.2-2.5 s for 165,000 pairs on a loaded 2-core machine), at most a share of
# the limit.
EXPLAIN_RESERVE_S = 0.2
EXPLAIN_RESERVE_PER_PAIR_S = 1.5e-5
EXPLAIN_RESERVE_SHARE = 0.3

PHASES = ("prepare", "start", "search", "improve", "explain")
PhaseCallback = Callable[[str], None]


def _complete_start(
    problem: Problem, built: BuiltModel, start: Assignment | None
) -> dict[Id, TaskAssignment] | None:
    """``start`` as a solution in hand, if it keeps every hard rule; otherwise None."""
    if not start:
        return None
    chosen = {t.id: normalise_assignment(start.get(t.id)) for t in problem.tasks}
    for task_id, (owner, backups) in chosen.items():
        if owner is not None and (task_id, owner) not in built.owner:
            return None
        if any((task_id, b) not in built.backup for b in backups):
            return None
    return None if violations(problem, chosen) else chosen


def solve(
    problem: Problem,
    options: SolverOptions | None = None,
    *,
    hint: Assignment | None = None,
    clock: Clock | None = None,
    on_phase: PhaseCallback | None = None,
    keep_searching: KeepSearching | None = None,
) -> Solution:
    """Propose owners and back-ups for every task; never raises on bad input.

    The current distribution is used as the starting hint unless ``hint`` is given. Every
    phase works within one deadline (``options.time_limit_s`` from the call), and the
    status tells the truth: "infeasible" only when proved, "unknown" when the time ran out
    before any distribution that keeps the rules was found. The best solution in hand from
    any phase is returned.
    """
    options = options or SolverOptions()
    limit = options.time_limit_s if options.time_limit_s > 0 else 0.0
    deadline = Deadline.after(limit, clock)

    def phase(name: str) -> None:
        if on_phase is not None:
            on_phase(name)

    phase("prepare")
    try:
        prepared = prepare(problem, deadline if limit > 0 else None)
    except (TypeError, ValueError, AttributeError, KeyError):  # objects of the wrong shape
        return Solution("invalid", (Message("malformed_input"),), wall_time_s=deadline.elapsed())
    except PrepareTimeout:
        message = Message("no_solution_yet", "warning", value=options.time_limit_s)
        return Solution("unknown", (message,), wall_time_s=deadline.elapsed())
    messages = list(prepared.messages)
    if not (options.time_limit_s > 0):
        messages.append(Message("invalid_time_limit", value=options.time_limit_s))
    if any(m.level == "error" for m in messages):
        return Solution("invalid", tuple(messages), wall_time_s=deadline.elapsed())
    if not problem.tasks:
        messages.append(Message("no_tasks", "info"))
        return finish_solution("empty", prepared, {}, messages, None, deadline)
    if not problem.people:
        messages.append(Message("no_people", "info"))
        empty = {t.id: TaskAssignment() for t in problem.tasks}
        return finish_solution("empty", prepared, empty, messages, None, deadline)

    pairs = sum(map(len, prepared.owner_candidates.values())) + sum(
        map(len, prepared.backup_candidates.values())
    )
    keep = min(
        EXPLAIN_RESERVE_S + EXPLAIN_RESERVE_PER_PAIR_S * pairs, EXPLAIN_RESERVE_SHARE * limit
    )
    work = Deadline(deadline.at - keep, deadline.clock, deadline.started)
    phase("start")
    start_from = hint if hint is not None else prepared.current
    if problem.weights.allow_uncovered:
        start_from = greedy_start(prepared, start_from, work)
    try:
        built = build_model(prepared, work)
    except ModelTimeout:
        built = None
    if built is not None and built.infeasible_slots:
        for task_id, role in built.infeasible_slots:
            messages.append(Message(f"{role.value}_impossible", task_id=task_id))
        return finish_solution("infeasible", prepared, {}, messages, None, deadline)
    trace: list[tuple[float, float]] = []
    code = cp_model.UNKNOWN
    solver = None
    in_hand = None
    if built is not None:
        in_hand = _complete_start(problem, built, start_from)
        if in_hand is not None:
            trace.append((deadline.elapsed(), evaluate(problem, in_hand).objective))
        if start_from:
            add_hint(built, prepared, start_from, work)
        seconds = work.left()
        if seconds > 0.005:
            phase("search")
            solver = cp_model.CpSolver()
            variables = len(built.owner) + len(built.backup)
            configure(solver, replace(options, time_limit_s=seconds), variables)
            code = _search(solver, built.model, deadline, trace, keep_searching)
    elif problem.weights.allow_uncovered:
        in_hand = {t.id: normalise_assignment(start_from.get(t.id)) for t in problem.tasks}
        trace.append((deadline.elapsed(), evaluate(problem, in_hand).objective))
    phase("explain")
    status = _STATUS.get(code)
    if status in ("optimal", "feasible"):
        assignment = extract(built, solver, prepared)
        bound = solver.best_objective_bound
        return finish_solution(status, prepared, assignment, messages, bound, deadline, trace)
    if status in ("infeasible", "invalid"):
        messages.append(Message("no_solution_found", value=float(code)))
        return finish_solution(status, prepared, {}, messages, None, deadline, trace)
    # Out of time before CP-SAT found a solution: not proved infeasible. (CP-SAT's bound is
    # not reliable then: it reads 0 when the presolve did not finish.)
    bound = None
    if in_hand is not None:
        # The start keeps every rule: say it is the start, not that only locks are filled.
        messages.append(Message("time_limit_start_solution", "warning"))
        return finish_solution("feasible", prepared, in_hand, messages, bound, deadline, trace)
    if problem.weights.allow_uncovered:
        messages.append(Message("time_limit_before_first_solution", "warning"))
        fallback = _fallback(prepared)
        return finish_solution("feasible", prepared, fallback, messages, bound, deadline, trace)
    messages.append(Message("no_solution_yet", "warning", value=options.time_limit_s))
    return finish_solution("unknown", prepared, {}, messages, None, deadline, trace)


def finish_solution(
    status: Status,
    prepared: Prepared,
    assignment: dict[Id, TaskAssignment],
    messages: list[Message],
    bound_scaled: float | None,
    started: float | Deadline,
    trace: list[tuple[float, float]] | None = None,
) -> Solution:
    problem = prepared.problem
    clock = started.clock if isinstance(started, Deadline) else time.perf_counter
    if isinstance(started, Deadline):
        started = started.started
    trace = tuple(trace or ())
    if status in ("infeasible", "invalid", "unknown"):
        return Solution(status, tuple(messages), wall_time_s=clock() - started, trace=trace)
    evaluation = evaluate(problem, assignment)
    best_bound = gap_pct = None
    if status == "optimal":
        best_bound, gap_pct = evaluation.objective, 0.0
    elif bound_scaled is not None:
        best_bound = points(round(bound_scaled))
        gap = max(0.0, best_bound - evaluation.objective)
        gap_pct = 100.0 * gap / max(abs(evaluation.objective), 1e-9)
    return Solution(
        status=status,
        messages=tuple(messages),
        assignments=assignment,
        evaluation=evaluation,
        objective=evaluation.objective,
        best_bound=best_bound,
        gap_pct=gap_pct,
        loads=person_loads(problem, prepared.current, assignment),
        reasons=explain_assignments(prepared, assignment),
        uncovered=explain_uncovered(prepared, assignment),
        wall_time_s=clock() - started,
        trace=trace,
    )
