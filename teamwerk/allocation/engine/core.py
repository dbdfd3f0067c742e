"""The CP-SAT model shared by the school allocation and the GAP benchmark."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from .evaluate import evaluate, person_load_units
from .explain import explain_assignments, explain_uncovered, person_loads
from .prepare import (
    Prepared,
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


def build_model(prepared: Prepared) -> BuiltModel:
    problem = prepared.problem
    weights = problem.weights
    coef = prepared.coef
    built = BuiltModel(cp_model.CpModel())
    model = built.model
    load_terms: dict[Id, list[tuple[int, cp_model.IntVar]]] = {p.id: [] for p in problem.people}
    objective: list[tuple[int, cp_model.IntVar]] = []
    offset = 0

    for task in problem.tasks:
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

    for person in problem.people:
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

    expr = cp_model.LinearExpr.weighted_sum([v for _, v in objective], [c for c, _ in objective])
    model.maximize(expr + offset)
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


def add_hint(built: BuiltModel, prepared: Prepared, hint: Assignment) -> None:
    """A complete hint (every variable) lets CP-SAT start from it straight away."""
    problem = prepared.problem
    chosen: dict[Id, TaskAssignment] = {}
    for task in problem.tasks:
        owner, backups = hint.get(task.id) or (None, ())
        owner = owner if (task.id, owner) in built.owner else None
        backup = next((b for b in backups if (task.id, b) in built.backup and b != owner), None)
        chosen[task.id] = TaskAssignment(owner, (backup,) if backup is not None else ())
    for (task_id, person_id), var in built.owner.items():
        built.model.add_hint(var, chosen[task_id].owner == person_id)
    for (task_id, person_id), var in built.backup.items():
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


def greedy_start(prepared: Prepared, base: Assignment) -> dict[Id, TaskAssignment]:
    """A feasible first solution: locks, then what can stay from ``base``, then best fit.

    A random or outdated current distribution often breaks the hours rule; without a
    feasible start, a short time limit can end with many slots needlessly empty.
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
        for task_id in sorted(candidates, key=lambda t: len(candidates[t])):
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


def configure(solver: cp_model.CpSolver, options: SolverOptions) -> None:
    params = solver.parameters
    params.max_time_in_seconds = max(0.01, float(options.time_limit_s))
    params.random_seed = int(options.seed)
    params.num_workers = max(1, int(options.num_workers))
    params.log_search_progress = options.log
    if options.deterministic and params.num_workers > 1:
        params.interleave_search = True
    if options.deterministic:
        # Stop on work done rather than the clock, so a rerun reaches the same answer.
        params.max_deterministic_time = max(0.01, float(options.time_limit_s))
    for name, value in options.extra_params:
        if isinstance(value, str) and hasattr(getattr(params, name), "append"):
            getattr(params, name).append(value)  # repeated field, e.g. ignore_subsolvers
        else:
            setattr(params, name, value)


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


def solve(
    problem: Problem,
    options: SolverOptions | None = None,
    *,
    hint: Assignment | None = None,
) -> Solution:
    """Propose owners and back-ups for every task; never raises on bad input.

    The current distribution is used as the starting hint unless ``hint`` is given.
    """
    started = time.perf_counter()
    options = options or SolverOptions()
    try:
        prepared = prepare(problem)
    except (TypeError, ValueError, AttributeError, KeyError):  # objects of the wrong shape
        return Solution(
            "invalid", (Message("malformed_input"),), wall_time_s=time.perf_counter() - started
        )
    messages = list(prepared.messages)
    if not (options.time_limit_s > 0):
        messages.append(Message("invalid_time_limit", value=options.time_limit_s))
    if any(m.level == "error" for m in messages):
        return Solution("invalid", tuple(messages), wall_time_s=time.perf_counter() - started)
    if not problem.tasks:
        messages.append(Message("no_tasks", "info"))
        return finish_solution("empty", prepared, {}, messages, None, started)
    if not problem.people:
        messages.append(Message("no_people", "info"))
        empty = {t.id: TaskAssignment() for t in problem.tasks}
        return finish_solution("empty", prepared, empty, messages, None, started)

    built = build_model(prepared)
    if built.infeasible_slots:
        for task_id, role in built.infeasible_slots:
            messages.append(Message(f"{role.value}_impossible", task_id=task_id))
        return finish_solution("infeasible", prepared, {}, messages, None, started)
    start_from = hint if hint is not None else prepared.current
    if problem.weights.allow_uncovered:
        start_from = greedy_start(prepared, start_from)
    if start_from:
        add_hint(built, prepared, start_from)
    solver = cp_model.CpSolver()
    configure(solver, options)
    code = solver.solve(built.model)
    status = _STATUS.get(code)
    if status in ("optimal", "feasible"):
        assignment = extract(built, solver, prepared)
        bound = solver.best_objective_bound
        return finish_solution(status, prepared, assignment, messages, bound, started)
    if status == "infeasible" or not problem.weights.allow_uncovered:
        messages.append(Message("no_solution_found", value=float(code)))
        return finish_solution(status or "infeasible", prepared, {}, messages, None, started)
    messages.append(Message("time_limit_before_first_solution", "warning"))
    return finish_solution("feasible", prepared, _fallback(prepared), messages, None, started)


def finish_solution(
    status: Status,
    prepared: Prepared,
    assignment: dict[Id, TaskAssignment],
    messages: list[Message],
    bound_scaled: float | None,
    started: float,
) -> Solution:
    problem = prepared.problem
    if status in ("infeasible", "invalid"):
        return Solution(status, tuple(messages), wall_time_s=time.perf_counter() - started)
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
        wall_time_s=time.perf_counter() - started,
    )
