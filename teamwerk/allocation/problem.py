"""From the database to the allocation engine and back.

- ``build_problem(school, school_year, options=…)`` and ``build_group_problem(organisation,
  school_year, options=…)``: a team and its tasks as an engine ``Problem``, in a fixed number
  of queries (the team snapshot plus one for the catalogue texts).
- ``without_person(built, person_id)``: the problem of "what if this person leaves?".
- ``solve_owners_first(problem, …)``: every task gets a trekker before any task gets a
  back-up (the engine weighs an empty trekker and an empty back-up the same).
- ``result_json(built, solution)``: what ``ProposalRun.result`` stores; codes and numbers,
  no sentences (the page words them in the reader's language).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from decimal import Decimal

from django.db.models import Exists, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from teamwerk.allocation.engine import (
    HOUR_UNITS,
    Lock,
    Person,
    Problem,
    Role,
    Solution,
    SolverOptions,
    Task,
    TaskAssignment,
    Weights,
    evaluate,
    fit_score,
    knowledge_holders,
    person_load_units,
    solve,
)
from teamwerk.catalogue.models import Task as CatalogueTask
from teamwerk.planning.models import TaskPlan
from teamwerk.team.models import SOLID_EXPERTISE, Assignment, AssignmentRole, Availability
from teamwerk.team.models import Person as TeamPerson
from teamwerk.team.selectors import (
    SkillMap,
    SnapshotPerson,
    SnapshotTask,
    TeamSnapshot,
    distributable_tasks,
    task_hours,
    team_snapshot,
)
from teamwerk.tenancy.models import Organisation, School, SchoolYear

LEVELS = ("laag", "middel", "hoog")
# Points lost per change from the current distribution (a perfect fit is worth 100).
CONTINUITY_WEIGHT = {"laag": 5.0, "middel": 20.0, "hoog": 60.0}
# Points lost per hour someone carries above their fair share of the work.
BALANCE_WEIGHT = {"laag": 0.5, "middel": 2.0, "hoog": 6.0}
# A school of 80 people and 200 tasks must get its proposal within 5 seconds.
SCHOOL_TIME_LIMIT_S = 2.0
GROUP_TIME_LIMIT_S = 8.0
SOLVER_SEED = 7
# "More time" (offered when a run found no distribution in time) multiplies the limit.
MORE_TIME_FACTOR = 4
# Progress (%) of a run when each phase of the engine starts: trekkers, then back-ups.
# The run page names the phase from these numbers (selectors.progress_phase).
PHASE_PROGRESS: dict[tuple[str, str], int] = {
    ("owners", "prepare"): 15,
    ("owners", "start"): 18,
    ("owners", "search"): 22,
    ("owners", "explain"): 45,
    ("backups", "prepare"): 50,
    ("backups", "start"): 53,
    ("backups", "search"): 57,
    ("backups", "explain"): 85,
}
# Share of the time for the trekkers; the back-ups (the harder packing) get the rest.
OWNER_PHASE_SHARE = 0.4
# Above this many candidate (person, task, role) pairs the solver skips its slow presolve.
LARGE_MODEL_PAIRS = 4000


@dataclass(frozen=True)
class ProposalOptions:
    """What the user chose on the form; stored as JSON on the run."""

    keep_owners: bool = False  # every current trekker stays trekker
    locked_tasks: tuple[int, ...] = ()  # planned tasks whose trekker and back-up stay
    locked_people: tuple[int, ...] = ()  # people who keep all their current roles
    continuity: str = "middel"
    balance: str = "middel"
    allow_overload: bool = False
    more_time: bool = False  # MORE_TIME_FACTOR times the usual time limit

    def to_json(self) -> dict:
        data = asdict(self)
        data["locked_tasks"] = list(self.locked_tasks)
        data["locked_people"] = list(self.locked_people)
        return data

    @classmethod
    def from_json(cls, data: dict | None) -> ProposalOptions:
        data = data or {}

        def level(name: str) -> str:
            value = data.get(name)
            return value if value in LEVELS else "middel"

        def ids(name: str) -> tuple[int, ...]:
            return tuple(int(v) for v in data.get(name) or () if str(v).isdigit())

        return cls(
            keep_owners=bool(data.get("keep_owners")),
            locked_tasks=ids("locked_tasks"),
            locked_people=ids("locked_people"),
            continuity=level("continuity"),
            balance=level("balance"),
            allow_overload=bool(data.get("allow_overload")),
            more_time=bool(data.get("more_time")),
        )

    def weights(self) -> Weights:
        return Weights(
            continuity=CONTINUITY_WEIGHT[self.continuity],
            balance=BALANCE_WEIGHT[self.balance],
            allow_overload=self.allow_overload,
        )


@dataclass(frozen=True)
class TaskInfo:
    id: int  # planned task
    code: str
    title_nl: str
    title_en: str
    domain_code: str
    domain_nl: str
    domain_en: str
    domain_order: int
    hours: float
    needs_qualification: bool
    strategic: bool
    outsourceable: bool
    technical: bool


@dataclass(frozen=True)
class PersonInfo:
    id: int
    name: str
    hours_available: float
    qualified: bool
    in_team: bool = True  # False: holds a task here but is no longer in the team list


@dataclass(frozen=True)
class Note:
    """Something the user should know about the run (a lock that could not be kept, …)."""

    code: str
    person_id: int | None = None
    task_id: int | None = None
    value: float | None = None
    task_ids: tuple[int, ...] = ()


@dataclass
class BuiltProblem:
    problem: Problem
    tasks: dict[int, TaskInfo]
    people: dict[int, PersonInfo]
    skills: dict[tuple[int, int], tuple[int, int]]  # (person, planned task) -> (exp., motiv.)
    current: dict[int, TaskAssignment]  # as it is in the database (all back-ups)
    plan_id: int | None
    user_locks: frozenset[tuple[int, int, str]] = frozenset()
    notes: list[Note] = field(default_factory=list)
    domain_skills: dict[tuple[int, str], int] = field(default_factory=dict)  # expertise


# ------------------------------------------------------------------------- from the DB


def build_problem(
    school: School, school_year: SchoolYear, *, options: ProposalOptions
) -> BuiltProblem:
    """One school's distributable tasks and the people with ICT hours there."""
    return _build(team_snapshot(school, school_year), options)


def build_group_problem(
    organisation: Organisation, school_year: SchoolYear, *, options: ProposalOptions
) -> BuiltProblem:
    """The tasks of the group's plan, for everyone with ICT hours in one of the schools.

    Someone's hours for the group are what is left of their ICT hours in all schools after
    the school tasks they hold this year."""
    return _build(group_snapshot(organisation, school_year), options)


def group_snapshot(organisation: Organisation, school_year: SchoolYear) -> TeamSnapshot:
    """Like ``team.selectors.team_snapshot``, for the group's plan (school = empty)."""
    plan = TaskPlan.objects.filter(
        organisation=organisation, school__isnull=True, school_year=school_year
    ).first()
    tasks = list(distributable_tasks(plan)) if plan else []
    assignments = list(Assignment.objects.filter(planned_task__plan=plan)) if plan else []
    with_hours = Availability.objects.filter(
        person=OuterRef("pk"), school_year=school_year, hours_available__gt=0
    )
    holds_group_task = Assignment.objects.filter(person=OuterRef("pk"), planned_task__plan=plan)
    available = (
        Availability.objects.filter(person=OuterRef("pk"), school_year=school_year)
        .values("person")
        .annotate(total=Sum("hours_available"))
        .values("total")
    )
    used_in_schools = (
        Assignment.objects.filter(
            person=OuterRef("pk"),
            school__isnull=False,
            planned_task__plan__school_year=school_year,
        )
        .values("person")
        .annotate(total=Sum("hours"))
        .values("total")
    )
    zero = Value(Decimal("0"))
    people = list(
        TeamPerson.objects.filter(organisation=organisation, active=True)
        .filter(Exists(with_hours) | Exists(holds_group_task))
        .annotate(
            hours_total=Coalesce(Subquery(available), zero),
            hours_in_schools=Coalesce(Subquery(used_in_schools), zero),
        )
        .order_by("last_name", "first_name", "pk")
    )
    skills = SkillMap.for_figures([p.pk for p in people])
    owners = {a.planned_task_id: a.person_id for a in assignments if a.role == AssignmentRole.OWNER}
    backups: dict[int, list[int]] = defaultdict(list)
    for assignment in assignments:
        if assignment.role == AssignmentRole.BACKUP:
            backups[assignment.planned_task_id].append(assignment.person_id)
    group_used: dict[int, Decimal] = defaultdict(Decimal)
    for assignment in assignments:
        group_used[assignment.person_id] += assignment.hours
    return TeamSnapshot(
        school_id=None,  # type: ignore[arg-type]  # the group's plan has no school
        school_year_id=school_year.pk,
        plan_id=plan.pk if plan else None,
        people=tuple(
            SnapshotPerson(
                id=p.pk,
                name=p.full_name,
                hours_available=max(Decimal("0"), p.hours_total - p.hours_in_schools),
                hours_used=group_used.get(p.pk, Decimal("0")),
                pedagogically_qualified=p.pedagogically_qualified,
                external=p.external,
            )
            for p in people
        ),
        tasks=tuple(_snapshot_task(t) for t in tasks),
        domain_skills=dict(skills.by_domain),
        task_skills=dict(skills.by_task),
        owners=owners,
        backups={k: tuple(v) for k, v in backups.items()},
        assignment_hours={(a.planned_task_id, a.person_id): a.hours for a in assignments},
    )


def _snapshot_task(planned_task) -> SnapshotTask:
    task = planned_task.task
    return SnapshotTask(
        planned_task_id=planned_task.pk,
        task_id=task.pk,
        domain_id=task.domain_id,
        code=task.code,
        title=task.title,
        hours=task_hours(planned_task),
        needs_qualification=task.needs_pedagogical_qualification,
        strategic=task.strategic,
        outsourceable=task.outsourceable,
        sourcing=planned_task.sourcing,
        priority=planned_task.priority,
    )


def _build(snapshot: TeamSnapshot, options: ProposalOptions) -> BuiltProblem:
    catalogue = {
        t.pk: t
        for t in CatalogueTask.objects.filter(pk__in={t.task_id for t in snapshot.tasks})
        .select_related("domain")
        .only(
            "pk",
            "code",
            "title_nl",
            "title_en",
            "technical",
            "domain__code",
            "domain__order",
            "domain__name_nl",
            "domain__name_en",
        )
    }
    tasks: dict[int, TaskInfo] = {}
    for t in snapshot.tasks:
        entry = catalogue[t.task_id]
        tasks[t.planned_task_id] = TaskInfo(
            id=t.planned_task_id,
            code=t.code,
            title_nl=entry.title_nl,
            title_en=entry.title_en or entry.title_nl,
            domain_code=entry.domain.code,
            domain_nl=entry.domain.name_nl,
            domain_en=entry.domain.name_en or entry.domain.name_nl,
            domain_order=entry.domain.order,
            hours=float(t.hours),
            needs_qualification=t.needs_qualification,
            strategic=t.strategic,
            outsourceable=t.outsourceable,
            technical=entry.technical,
        )
    people = {
        p.id: PersonInfo(p.id, p.name, float(p.hours_available), p.pedagogically_qualified)
        for p in snapshot.people
    }
    current = {
        t.planned_task_id: TaskAssignment(
            snapshot.owners.get(t.planned_task_id), snapshot.backups.get(t.planned_task_id, ())
        )
        for t in snapshot.tasks
    }
    _add_former_holders(people, current)

    # Only people with ICT hours here may get a task: the others are not variables at all.
    with_hours = frozenset(p.id for p in snapshot.people if p.hours_available > 0)
    engine_tasks = tuple(
        Task(
            id=t.planned_task_id,
            hours=float(t.hours),
            needs_owner=True,
            needs_backup=True,
            needs_qualification=t.needs_qualification,
            allowed=with_hours,
        )
        for t in snapshot.tasks
    )
    engine_people = tuple(
        Person(p.id, float(p.hours_available), p.pedagogically_qualified) for p in snapshot.people
    )
    skills: dict[tuple[int, int], tuple[int, int]] = {}
    fit: dict[tuple[int, int], float] = {}
    for person in snapshot.people:
        for task in snapshot.tasks:
            skill = snapshot.skill(person.id, task)
            if skill is None:
                continue  # no answer yet: the engine uses its default and says so
            skills[(person.id, task.planned_task_id)] = (skill.expertise, skill.motivation)
            if person.id in with_hours:
                fit[(person.id, task.planned_task_id)] = fit_score(
                    skill.expertise, skill.motivation
                )
    weights = options.weights()
    problem = Problem(
        tasks=engine_tasks,
        people=engine_people,
        fit=fit,
        current={tid: a for tid, a in current.items() if a.owner is not None or a.backups},
        weights=weights,
    )
    locks, notes = _locks(problem, options, current, people)
    domain_codes = {t.domain_id: catalogue[t.task_id].domain.code for t in snapshot.tasks}
    domain_skills = {
        (person_id, domain_codes[domain_id]): skill.expertise
        for (person_id, domain_id), skill in snapshot.domain_skills.items()
        if domain_id in domain_codes
    }
    return BuiltProblem(
        problem=replace(problem, locks=locks),
        tasks=tasks,
        people=people,
        skills=skills,
        current=current,
        plan_id=snapshot.plan_id,
        user_locks=frozenset((lock.task_id, lock.person_id, lock.role.value) for lock in locks),
        notes=notes,
        domain_skills=domain_skills,
    )


def _add_former_holders(people: dict[int, PersonInfo], current: dict) -> None:
    """Names of people who still hold a task here but left the team list (inactive)."""
    missing = {
        pid
        for a in current.values()
        for pid in (a.owner, *a.backups)
        if pid is not None and pid not in people
    }
    if not missing:
        return
    for person in TeamPerson.objects.filter(pk__in=missing).only("first_name", "last_name"):
        people[person.pk] = PersonInfo(person.pk, person.full_name, 0.0, False, in_team=False)


# ------------------------------------------------------------------------------- locks


def _locks(
    problem: Problem,
    options: ProposalOptions,
    current: dict[int, TaskAssignment],
    people: dict[int, PersonInfo],
) -> tuple[tuple[Lock, ...], list[Note]]:
    """The user's "keep this" choices as engine locks; what cannot be kept becomes a note."""
    wanted: list[tuple[int, int, Role]] = []
    if options.keep_owners:
        wanted += [(tid, a.owner, Role.OWNER) for tid, a in current.items() if a.owner]
    for task_id in options.locked_tasks:
        held = current.get(task_id)
        if held is None:
            continue
        if held.owner is not None:
            wanted.append((task_id, held.owner, Role.OWNER))
        wanted += [(task_id, b, Role.BACKUP) for b in held.backups[:1]]
    chosen_people = set(options.locked_people)
    for task_id, held in current.items():
        if held.owner in chosen_people:
            wanted.append((task_id, held.owner, Role.OWNER))
        wanted += [(task_id, b, Role.BACKUP) for b in held.backups if b in chosen_people]

    tasks = {t.id: t for t in problem.tasks}
    engine_people = {p.id: p for p in problem.people}
    notes: list[Note] = []
    seen: set[tuple[int, int, Role]] = set()
    backup_locked: set[int] = set()
    kept: list[Lock] = []
    for task_id, person_id, role in wanted:
        if (task_id, person_id, role) in seen:
            continue
        seen.add((task_id, person_id, role))
        task, person = tasks.get(task_id), engine_people.get(person_id)
        if task is None:
            continue
        if person is None:
            notes.append(Note("lock_not_in_team", person_id=person_id, task_id=task_id))
            continue
        if person.hours_available <= 0:
            notes.append(Note("lock_no_hours", person_id=person_id, task_id=task_id))
            continue
        if task.needs_qualification and not person.qualified:
            notes.append(Note("lock_not_qualified", person_id=person_id, task_id=task_id))
            continue
        if role is Role.BACKUP:
            if task_id in backup_locked:
                continue  # the engine plans one back-up per task
            backup_locked.add(task_id)
        kept.append(Lock(task_id, person_id, role))

    if not options.allow_overload:
        # Someone whose kept tasks exceed their hours: keep what fits (trekker roles first),
        # and say which tasks could not be kept.
        capacity = {pid: round(p.hours_available * HOUR_UNITS) for pid, p in engine_people.items()}
        used: dict[int, int] = defaultdict(int)
        total: dict[int, int] = defaultdict(int)
        dropped: dict[int, list[int]] = defaultdict(list)
        fitting: list[Lock] = []
        for lock in sorted(kept, key=lambda lock: lock.role is not Role.OWNER):
            units = _role_units(problem, tasks[lock.task_id], lock.role)
            total[lock.person_id] += units
            if used[lock.person_id] + units <= capacity[lock.person_id]:
                used[lock.person_id] += units
                fitting.append(lock)
            else:
                dropped[lock.person_id].append(lock.task_id)
        for pid in sorted(dropped):
            notes.append(
                Note(
                    "lock_over_hours",
                    person_id=pid,
                    value=total[pid] / HOUR_UNITS,
                    task_ids=tuple(dropped[pid]),
                )
            )
        kept = [lock for lock in kept if lock in fitting]
    return tuple(kept), notes


def _role_units(problem: Problem, task: Task, role: Role) -> int:
    """The engine's load of one slot, in hour units (same rounding as the engine)."""
    if role is Role.OWNER:
        return round(task.hours * HOUR_UNITS)
    return round(task.hours * problem.weights.backup_share * HOUR_UNITS)


# ----------------------------------------------------------------------------- what if


@dataclass(frozen=True)
class WhatIfImpact:
    person_id: int
    owner_tasks: tuple[int, ...]
    backup_tasks: tuple[int, ...]
    knowledge_tasks: tuple[int, ...]  # only this person masters the task (expertise >= 2)
    knowledge_domains: tuple[str, ...]  # only this person masters the domain


def leave_impact(built: BuiltProblem, person_id: int) -> WhatIfImpact:
    """What leaves with the person: the tasks they hold and what only they know well."""
    owner_tasks = tuple(tid for tid, a in built.current.items() if a.owner == person_id)
    backup_tasks = tuple(tid for tid, a in built.current.items() if person_id in a.backups)
    team = {p.id for p in built.problem.people}
    expertise = {(pid, tid): level for (pid, tid), (level, _motivation) in built.skills.items()}
    knowledge_tasks = tuple(
        t.id
        for t in built.problem.tasks
        if knowledge_holders(
            built.problem, t.id, expertise=expertise, expertise_threshold=SOLID_EXPERTISE
        )
        == [person_id]
    )
    domains = sorted({info.domain_code for info in built.tasks.values()})
    knowledge_domains = tuple(
        code
        for code in domains
        if [pid for pid in team if built.domain_skills.get((pid, code), 0) >= SOLID_EXPERTISE]
        == [person_id]
    )
    # A task of a domain that leaves as a whole is already said.
    knowledge_tasks = tuple(
        t for t in knowledge_tasks if built.tasks[t].domain_code not in knowledge_domains
    )
    return WhatIfImpact(person_id, owner_tasks, backup_tasks, knowledge_tasks, knowledge_domains)


def without_person(built: BuiltProblem, person_id: int) -> Problem:
    """The team without this person. Continuity counts heavily, so the rest of the
    distribution only moves where that lets a freed task be covered; slots that are empty
    today stay out of the question."""
    problem = built.problem
    weights = replace(
        problem.weights,
        continuity=max(problem.weights.continuity, problem.weights.uncovered_penalty / 10),
    )
    current = {
        tid: TaskAssignment(
            None if a.owner == person_id else a.owner,
            tuple(b for b in a.backups if b != person_id),
        )
        for tid, a in problem.current.items()
    }
    held = problem.current

    def what_is_asked(task: Task) -> Task:
        # Only the slots filled today are asked for: the question is who takes over, not
        # what else is missing (a normal proposal answers that).
        owner, backups = held.get(task.id, TaskAssignment())
        return replace(
            task,
            allowed=task.allowed - {person_id} if task.allowed is not None else None,
            needs_owner=task.needs_owner and owner is not None,
            needs_backup=task.needs_backup and bool(backups),
        )

    return replace(
        problem,
        people=tuple(p for p in problem.people if p.id != person_id),
        tasks=tuple(what_is_asked(t) for t in problem.tasks),
        current={tid: a for tid, a in current.items() if a.owner is not None or a.backups},
        locks=tuple(lock for lock in problem.locks if lock.person_id != person_id),
        fit={k: v for k, v in problem.fit.items() if k[0] != person_id},
        weights=weights,
    )


# ------------------------------------------------------------------------------- solve


def solver_options(time_limit_s: float, problem: Problem | None = None) -> SolverOptions:
    """Fixed seed (a rerun gives the same proposal); one worker (the machine is shared)."""
    extra: tuple = ()
    if problem is not None and _pair_count(problem) > LARGE_MODEL_PAIRS:
        # On a big school CP-SAT's probing and symmetry search take seconds before the first
        # solution; without them it starts from the greedy hint at once.
        extra = (("cp_model_probing_level", 0), ("symmetry_level", 0))
    return SolverOptions(
        time_limit_s=time_limit_s, seed=SOLVER_SEED, num_workers=1, extra_params=extra
    )


def _pair_count(problem: Problem) -> int:
    everyone = len(problem.people)
    return sum(
        (everyone if t.allowed is None else len(t.allowed))
        * (int(t.needs_owner) + int(t.needs_backup))
        for t in problem.tasks
    )


def greedy_start(problem: Problem, start: dict | None = None) -> dict[int, TaskAssignment]:
    """A distribution that keeps every hard rule, for the solver to start from.

    What is locked first; then, slot by slot, the task that would lose most if it waited
    (regret) gets the person who scores best and still has the hours (score = fit, plus the
    continuity bonus for who holds it in ``start``); trekkers before back-ups; then single
    moves to a better person with hours, while they help. On a big school the solver has
    little time, so this start is most of the answer (see the bench)."""
    weights = problem.weights
    people = {p.id: p for p in problem.people}
    left = {p.id: round(p.hours_available * HOUR_UNITS) for p in problem.people}
    tasks = {t.id: t for t in problem.tasks}
    start = start or {}
    chosen: dict[Role, dict] = {Role.OWNER: {}, Role.BACKUP: {}}
    fixed: set[tuple] = set()

    for lock in problem.locks:
        task = tasks.get(lock.task_id)
        if task is not None and lock.person_id in people:
            chosen[lock.role][task.id] = lock.person_id
            left[lock.person_id] -= _role_units(problem, task, lock.role)
            fixed.add((task.id, lock.role))

    def ranked(task: Task, role: Role) -> list[tuple[float, object]]:
        held = start.get(task.id) or (None, ())
        before = {held[0]} if role is Role.OWNER else set(held[1])
        share = 1.0 if role is Role.OWNER else weights.backup_fit
        pool = people if task.allowed is None else task.allowed
        scored = [
            (
                problem.fit.get((pid, task.id), problem.default_fit) * weights.fit * share
                + (weights.continuity if pid in before else 0.0),
                pid,
            )
            for pid in pool
            if pid in people and (people[pid].qualified or not task.needs_qualification)
        ]
        return sorted(scored, key=lambda item: (-item[0], str(item[1])))

    for role in (Role.OWNER, Role.BACKUP):
        needed = [
            t
            for t in problem.tasks
            if (t.needs_owner if role is Role.OWNER else t.needs_backup)
            and (t.id, role) not in fixed
        ]
        options = {t.id: ranked(t, role) for t in needed}
        units = {t.id: _role_units(problem, t, role) for t in needed}
        mine = chosen[role]
        other = chosen[Role.BACKUP if role is Role.OWNER else Role.OWNER]

        def fits(task_id, pid, other=other, units=units) -> bool:
            return other.get(task_id) != pid and left[pid] >= units[task_id]

        waiting = {t.id for t in needed}
        while waiting:
            pick = None  # (regret, task id, person)
            for task_id in sorted(waiting, key=str):
                first = second = None
                for score, pid in options[task_id]:
                    if fits(task_id, pid):
                        if first is None:
                            first = (score, pid)
                        else:
                            second = score
                            break
                if first is None:
                    continue
                regret = first[0] - second if second is not None else float("inf")
                if pick is None or regret > pick[0]:
                    pick = (regret, task_id, first[1])
            if pick is None:
                break  # nobody left with the hours for what is still waiting
            _regret, task_id, pid = pick
            mine[task_id] = pid
            left[pid] -= units[task_id]
            waiting.discard(task_id)

        improved = True
        while improved:
            improved = False
            for task_id, pid in sorted(mine.items(), key=lambda item: str(item[0])):
                if task_id not in options:
                    continue  # locked
                score_now = next(s for s, q in options[task_id] if q == pid)
                for score, other_pid in options[task_id]:
                    if score <= score_now:
                        break
                    if fits(task_id, other_pid):
                        left[pid] += units[task_id]
                        left[other_pid] -= units[task_id]
                        mine[task_id] = other_pid
                        improved = True
                        break
    return {
        t.id: TaskAssignment(
            chosen[Role.OWNER].get(t.id),
            (chosen[Role.BACKUP][t.id],) if t.id in chosen[Role.BACKUP] else (),
        )
        for t in problem.tasks
    }


def _solve_from(
    problem: Problem, time_limit_s: float, hint: dict, on_phase: Callable[[str], None] | None = None
) -> Solution:
    """Solve from a start, and never end up worse than that start: if time runs out before
    the solver beats it, the start itself is explained and returned."""
    options = solver_options(time_limit_s, problem)
    solution = solve(problem, options, hint=hint, on_phase=on_phase)
    if solution.status not in ("optimal", "feasible"):
        return solution
    start_value = evaluate(problem, hint).objective
    if solution.objective is not None and solution.objective >= start_value:
        return solution
    every_slot = tuple(
        Lock(task_id, person_id, role)
        for task_id, (owner, backups) in hint.items()
        for person_id, role in [(owner, Role.OWNER)] + [(b, Role.BACKUP) for b in backups]
        if person_id is not None
    )
    explained = solve(replace(problem, locks=every_slot), options)
    if explained.status not in ("optimal", "feasible"):
        return solution
    # Fixed by us, not proven best: say "the best found", not "optimal".
    return replace(explained, status="feasible", best_bound=None, gap_pct=None)


def solve_owners_first(
    problem: Problem,
    *,
    time_limit_s: float,
    on_progress: Callable[[int], None] | None = None,
) -> Solution:
    """Trekkers first, then back-ups in the hours that are left.

    The engine counts an empty trekker and an empty back-up as the same loss, so in a tight
    school it would leave a task without trekker to give two others a back-up. Solving the
    trekkers first (back-ups switched off) and then the back-ups with those trekkers kept
    makes "every task that can have a trekker gets one" hold. Each phase starts from a
    greedy distribution that already keeps every rule, so even a big school has a good
    proposal within the time limit.
    """
    owner_locks = [lock for lock in problem.locks if lock.role is Role.OWNER]
    backup_locks = [lock for lock in problem.locks if lock.role is Role.BACKUP]
    reserved: dict[int, int] = defaultdict(int)  # hour units held by kept back-ups
    not_owner_of: dict[int, set] = defaultdict(set)
    tasks = {t.id: t for t in problem.tasks}
    for lock in backup_locks:
        reserved[lock.person_id] += _role_units(problem, tasks[lock.task_id], Role.BACKUP)
        not_owner_of[lock.task_id].add(lock.person_id)

    def owner_task(task: Task) -> Task:
        allowed = task.allowed
        if task.id in not_owner_of:
            everyone = frozenset(p.id for p in problem.people)
            allowed = (everyone if allowed is None else allowed) - not_owner_of[task.id]
        return replace(task, needs_backup=False, allowed=allowed)

    owners_problem = replace(
        problem,
        tasks=tuple(owner_task(t) for t in problem.tasks),
        people=tuple(
            replace(
                p,
                hours_available=max(
                    0, round(p.hours_available * HOUR_UNITS) - reserved.get(p.id, 0)
                )
                / HOUR_UNITS,
            )
            if p.id in reserved
            else p
            for p in problem.people
        ),
        locks=tuple(owner_locks),
    )
    current = {
        tid: TaskAssignment(*a) if not isinstance(a, TaskAssignment) else a
        for tid, a in problem.current.items()
    }

    def phase_progress(role: str) -> Callable[[str], None] | None:
        if on_progress is None:
            return None
        return lambda phase: on_progress(PHASE_PROGRESS[role, phase])

    first = _solve_from(
        owners_problem,
        time_limit_s * OWNER_PHASE_SHARE,
        greedy_start(owners_problem, {t: (a.owner, ()) for t, a in current.items()}),
        phase_progress("owners"),
    )
    if first.status == "unknown":
        return first  # no distribution yet: say so, rather than spend the time again
    if first.status not in ("optimal", "feasible"):
        return solve(problem, solver_options(time_limit_s, problem))
    chosen_owners = tuple(
        Lock(task_id, a.owner, Role.OWNER)
        for task_id, a in first.assignments.items()
        if a.owner is not None
    )
    backups_problem = replace(problem, locks=chosen_owners + tuple(backup_locks))
    start = {
        t.id: (
            first.assignments.get(t.id, TaskAssignment()).owner,
            current.get(t.id, TaskAssignment()).backups,
        )
        for t in problem.tasks
    }
    second = _solve_from(
        backups_problem,
        time_limit_s * (1 - OWNER_PHASE_SHARE),
        greedy_start(backups_problem, start),
        phase_progress("backups"),
    )
    if on_progress:
        on_progress(90)
    if second.status not in ("optimal", "feasible"):
        return solve(problem, solver_options(time_limit_s, problem))
    return second


# ---------------------------------------------------------------------------- to JSON


def result_json(
    built: BuiltProblem,
    solution: Solution,
    *,
    problem: Problem | None = None,
    impact: WhatIfImpact | None = None,
) -> dict:
    """The run's result as plain JSON: per task the current and proposed people, the reasons
    (codes and numbers), what stays uncovered and why; everyone's hours before and after."""
    problem = problem or built.problem
    reasons: dict[int, list[dict]] = defaultdict(list)
    for reason in solution.reasons:
        codes = list(reason.codes)
        if (
            "locked" in codes
            and (
                reason.task_id,
                reason.person_id,
                reason.role.value,
            )
            not in built.user_locks
        ):
            codes.remove("locked")  # kept by the owners-first phase, not by the user
        skill = built.skills.get((reason.person_id, reason.task_id))
        reasons[reason.task_id].append(
            {
                "role": reason.role.value,
                "person": reason.person_id,
                "codes": codes,
                "fit": reason.fit,
                "fit_rank": reason.fit_rank,
                "eligible_count": reason.eligible_count,
                "best_fit": reason.best_fit,
                "hours_available": reason.hours_available,
                "hours_after": reason.hours_after,
                "hours_left": reason.hours_left,
                "previous": reason.previous_person_id,
                "expertise": skill[0] if skill else None,
                "motivation": skill[1] if skill else None,
            }
        )
    uncovered: dict[int, list[dict]] = defaultdict(list)
    for slot in solution.uncovered:
        uncovered[slot.task_id].append({"role": slot.role.value, "reasons": list(slot.reasons)})

    tasks = []
    for info in sorted(built.tasks.values(), key=lambda t: (t.domain_order, t.code, t.id)):
        before = built.current.get(info.id, TaskAssignment())
        after = solution.assignments.get(info.id, TaskAssignment())
        tasks.append(
            {
                **asdict(info),
                "current": {"owner": before.owner, "backups": list(before.backups)},
                "proposed": {"owner": after.owner, "backups": list(after.backups)},
                "changed": before.owner != after.owner or set(before.backups) != set(after.backups),
                "reasons": reasons.get(info.id, []),
                "uncovered": uncovered.get(info.id, []),
            }
        )

    loads = {load.person_id: load for load in solution.loads}
    before_units = person_load_units(built.problem, built.problem.current)
    people = []
    for person in sorted(built.people.values(), key=lambda p: p.name):
        load = loads.get(person.id)
        before = load.hours_before if load else before_units.get(person.id, 0) / HOUR_UNITS
        people.append(
            {
                **asdict(person),
                "before": before,
                "after": load.hours_after if load else 0.0,
            }
        )
    owners_needed = len(tasks)
    result = {
        "status": solution.status,
        "objective": solution.objective,
        "best_bound": solution.best_bound,
        "gap_pct": solution.gap_pct,
        "evaluation": asdict(solution.evaluation) if solution.evaluation else None,
        "wall_time_s": round(solution.wall_time_s, 3),
        "plan_id": built.plan_id,
        "messages": [
            {"code": m.code, "level": m.level, "value": m.value} for m in solution.messages
        ],
        "notes": [asdict(note) for note in built.notes],
        "tasks": tasks,
        "people": people,
        "summary": {
            "tasks": owners_needed,
            "with_owner": sum(1 for t in tasks if t["proposed"]["owner"] is not None),
            "with_backup": sum(1 for t in tasks if t["proposed"]["backups"]),
            "had_owner": sum(1 for t in tasks if t["current"]["owner"] is not None),
            "had_backup": sum(1 for t in tasks if t["current"]["backups"]),
            "changed": sum(1 for t in tasks if t["changed"]),
        },
    }
    if impact is not None:
        result["whatif"] = asdict(impact)
    return result
