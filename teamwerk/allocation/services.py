"""Writes of the allocation assistant: start a run, do its work in the background, and
accept (part of) a proposal through the team services.

Rules kept here:
- only who may edit the school starts a run or accepts; group runs need an
  organisation-wide role;
- a proposal is never applied by itself;
- accepting re-checks that the tasks still have the owner and back-ups the proposal started
  from; if anything changed, nothing is applied (``StaleProposal``);
- one click is one transaction: every task of it is applied, or none.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from teamwerk.planning.models import PlannedTask
from teamwerk.team import services as team_services
from teamwerk.team.models import Assignment, AssignmentRole, Person
from teamwerk.tenancy.models import Organisation, School, SchoolYear
from teamwerk.tenancy.roles import Action
from teamwerk.tenancy.selectors import current_school_year, user_can

from . import problem as builder
from .models import RUN_MARGIN, ProposalDecision, ProposalRun, RunKind, RunStatus

logger = logging.getLogger(__name__)


class StaleProposal(Exception):
    """The distribution changed since the proposal was made; nothing was applied."""

    def __init__(self, task_codes: list[str]):
        self.task_codes = task_codes
        super().__init__(
            _(
                "De verdeling van %(tasks)s is veranderd sinds dit voorstel gemaakt is. Er is "
                "niets aangepast. Maak een nieuw voorstel dat van de huidige verdeling vertrekt."
            )
            % {"tasks": ", ".join(task_codes)}
        )
        self.message = str(self)


# ------------------------------------------------------------------------------- scope


def may_run(user, *, school: School | None, organisation: Organisation) -> bool:
    """Starting and accepting: EDIT on the school; for the group's plan, organisation-wide."""
    if school is not None:
        return user_can(user, Action.EDIT, school=school)
    return user_can(user, Action.EDIT, organisation=organisation)


def _require_run_rights(actor, *, school: School | None, organisation: Organisation) -> None:
    if actor is not None and not may_run(actor, school=school, organisation=organisation):
        raise PermissionDenied


# ------------------------------------------------------------------------------- start


def proposal_start(
    *,
    actor,
    organisation: Organisation,
    school: School | None,
    options: builder.ProposalOptions,
    school_year: SchoolYear | None = None,
) -> ProposalRun:
    """Queue a proposal for a school (or, without a school, for the group's plan)."""
    if school is not None and school.organisation_id != organisation.pk:
        raise ValidationError(_("Deze school hoort niet bij de organisatie."))
    _require_run_rights(actor, school=school, organisation=organisation)
    return _queue(
        actor=actor,
        organisation=organisation,
        school=school,
        school_year=school_year or current_school_year(organisation),
        kind=RunKind.PROPOSAL,
        options=options,
    )


def whatif_start(
    *,
    actor,
    school: School,
    person: Person,
    options: builder.ProposalOptions | None = None,
    school_year: SchoolYear | None = None,
) -> ProposalRun:
    """Queue "what if this person leaves?" for a school."""
    _require_run_rights(actor, school=school, organisation=school.organisation)
    if person.organisation_id != school.organisation_id:
        raise ValidationError(_("Deze persoon hoort niet bij de organisatie."))
    return _queue(
        actor=actor,
        organisation=school.organisation,
        school=school,
        school_year=school_year or current_school_year(school.organisation),
        kind=RunKind.WHAT_IF,
        options=options or builder.ProposalOptions(),
        leaving_person=person,
    )


def _queue(*, actor, organisation, school, school_year, kind, options, leaving_person=None):
    from .tasks import run_proposal

    with transaction.atomic():
        run = ProposalRun(
            organisation=organisation,
            school=school,
            school_year=school_year,
            kind=kind,
            leaving_person=leaving_person,
            requested_by=actor,
            options=options.to_json(),
        )
        run._history_user = actor
        run.save()
        # The worker must see the run: hand it over only once it is stored.
        transaction.on_commit(lambda: run_proposal.enqueue(run.pk))
    return run


# ----------------------------------------------------------------------- the work itself


def proposal_run_execute(*, run_id: int) -> ProposalRun | None:
    """Build the problem, solve it and store the result (the background task calls this).

    Progress is written as it goes, so the page can show it. Failures are stored with a
    message the user understands; the run never stays "busy"."""
    with transaction.atomic():
        run = (
            ProposalRun.objects.select_for_update()
            .filter(pk=run_id, status=RunStatus.QUEUED)
            .first()
        )
        if run is None:
            return None  # already done, taken by another worker, or deleted
        run.status = RunStatus.RUNNING
        run.started_at = timezone.now()
        run.progress = 5
        run.save(update_fields=["status", "started_at", "progress"])
    try:
        result = _compute(run)
    except Exception:
        logger.exception("allocation run %s failed", run.pk)
        _finish(run, RunStatus.FAILED, {"error": "unexpected"}, _unexpected_message())
        return run
    if "error" in result:
        _finish(run, RunStatus.FAILED, result, _unexpected_message())
    else:
        _finish(run, RunStatus.DONE, result, "")
    return run


def _compute(run: ProposalRun) -> dict:
    options = builder.ProposalOptions.from_json(run.options)
    if run.school_id is None:
        built = builder.build_group_problem(run.organisation, run.school_year, options=options)
        time_limit = builder.GROUP_TIME_LIMIT_S
    else:
        built = builder.build_problem(run.school, run.school_year, options=options)
        time_limit = builder.SCHOOL_TIME_LIMIT_S
    if options.more_time:
        time_limit *= builder.MORE_TIME_FACTOR
    _progress(run, 15)
    if built.plan_id is None:
        return {"error": "no_plan"}
    impact = None
    problem = built.problem
    if run.kind == RunKind.WHAT_IF:
        if run.leaving_person_id is None or run.leaving_person_id not in built.people:
            return {"error": "person_not_in_team"}
        impact = builder.leave_impact(built, run.leaving_person_id)
        problem = builder.without_person(built, run.leaving_person_id)
    solution = builder.solve_owners_first(
        problem, time_limit_s=time_limit, on_progress=lambda p: _progress(run, p)
    )
    if solution.status == "unknown":
        # Out of time before any distribution that keeps the rules: not "impossible".
        return {"error": "no_solution_yet", "time_limit_s": time_limit}
    if solution.status in ("invalid", "infeasible"):
        return {
            "error": "solver",
            "messages": [{"code": m.code, "value": m.value} for m in solution.messages],
        }
    return builder.result_json(built, solution, problem=problem, impact=impact)


def _progress(run: ProposalRun, percent: int) -> None:
    # A plain update: no history row for every step, and visible to the page at once.
    ProposalRun.objects.filter(pk=run.pk).update(progress=percent)


def _finish(run: ProposalRun, status: str, result: dict, message: str) -> None:
    if not ProposalRun.objects.filter(pk=run.pk, status=RunStatus.RUNNING).exists():
        return  # given up on meanwhile (see proposal_runs_expire): a new run may be busy
    run.status = status
    run.result = result
    run.message = message
    run.progress = 100
    run.finished_at = timezone.now()
    run._history_user = None  # the background worker, not a person
    run.save()


def interrupted_message() -> str:
    return _(
        "De berekening is onderbroken: de achtergrondverwerking stopte voor het voorstel "
        "klaar was. Er is niets veranderd. Start het voorstel opnieuw."
    )


def proposal_runs_expire() -> int:
    """Mark every run whose worker died (busy past its time limit plus a margin) as failed,
    with a message; returns how many. The run pages call this when they are read and the
    worker at start-up and with every heartbeat."""
    cutoff = timezone.now() - RUN_MARGIN
    expired = 0
    for candidate in ProposalRun.objects.filter(status=RunStatus.RUNNING, started_at__lt=cutoff):
        if not candidate.has_given_up:
            continue
        with transaction.atomic():
            run = (
                ProposalRun.objects.select_for_update()
                .filter(pk=candidate.pk, status=RunStatus.RUNNING)
                .first()
            )
            if run is None or not run.has_given_up:
                continue
            run.status = RunStatus.FAILED
            run.result = {"error": "interrupted"}
            run.message = interrupted_message()
            run.finished_at = timezone.now()
            run._history_user = None  # the system, not a person
            run.save()
            expired += 1
    if expired:
        logger.warning("marked %s allocation run(s) as interrupted", expired)
    return expired


def proposal_run_restart(*, actor, run: ProposalRun) -> ProposalRun:
    """Start a failed run again with the same choices (a new run; the old one stays)."""
    _require_run_rights(actor, school=run.school, organisation=run.organisation)
    if run.status != RunStatus.FAILED:
        raise ValidationError(_("Alleen een mislukt voorstel kan opnieuw gestart worden."))
    return _queue(
        actor=actor,
        organisation=run.organisation,
        school=run.school,
        school_year=run.school_year,
        kind=run.kind,
        options=builder.ProposalOptions.from_json(run.options),
        leaving_person=run.leaving_person,
    )


def _unexpected_message() -> str:
    return _("Het voorstel kon niet gemaakt worden. Probeer het opnieuw.")


# ------------------------------------------------------------------------------ accept


def drops_without_replacement(entry: dict) -> bool:
    """The proposal takes the trekker or the back-up away and puts nobody in their place."""
    current, proposed = entry["current"], entry["proposed"]
    return bool(
        (current["owner"] is not None and proposed["owner"] is None)
        or (current["backups"] and not proposed["backups"])
    )


def proposal_accept(
    *, actor, run: ProposalRun, planned_task_ids: Iterable[int] | None = None
) -> list[int]:
    """Apply the proposal for the given tasks (None = every task that changes and is not
    accepted yet) through ``team.services.distribution_apply``; returns the task ids applied.

    All or nothing: a task whose distribution changed since the proposal (``StaleProposal``)
    or a rule the team services refuse (``ValidationError``, ``ConcurrentChange``) leaves
    every task of this click as it was."""
    _require_run_rights(actor, school=run.school, organisation=run.organisation)
    if run.status != RunStatus.DONE or not run.result or "tasks" not in run.result:
        raise ValidationError(_("Dit voorstel is nog niet klaar, of het is mislukt."))
    entries = {entry["id"]: entry for entry in run.result["tasks"]}
    with transaction.atomic():
        run = ProposalRun.objects.select_for_update().get(pk=run.pk)
        accepted = set(run.decisions.values_list("planned_task_id", flat=True))
        if planned_task_ids is None:
            # "Accept all" never leaves a task without the trekker or back-up it has: that
            # is a choice to make task by task, with the warning in view.
            wanted = [
                e
                for e in entries.values()
                if e["changed"] and e["id"] not in accepted and not drops_without_replacement(e)
            ]
        else:
            ids = list(dict.fromkeys(int(i) for i in planned_task_ids))
            if any(i not in entries for i in ids):
                raise ValidationError(_("Deze taak hoort niet bij dit voorstel."))
            wanted = [entries[i] for i in ids if i not in accepted]
        if not wanted:
            raise ValidationError(_("Er is niets meer te aanvaarden: dit is al gebeurd."))
        ids = [e["id"] for e in wanted]
        planned = {
            pt.pk: pt
            for pt in PlannedTask.objects.filter(
                pk__in=ids, organisation=run.organisation, school=run.school
            ).select_related("task__domain", "plan__school_year", "school")
        }
        now_held: dict[int, tuple[int | None, set[int]]] = {i: (None, set()) for i in ids}
        for assignment in Assignment.objects.filter(planned_task_id__in=ids):
            owner, backups = now_held[assignment.planned_task_id]
            if assignment.role == AssignmentRole.OWNER:
                owner = assignment.person_id
            else:
                backups.add(assignment.person_id)
            now_held[assignment.planned_task_id] = (owner, backups)
        stale = [
            e["code"]
            for e in wanted
            if e["id"] not in planned
            or now_held[e["id"]] != (e["current"]["owner"], set(e["current"]["backups"]))
        ]
        if stale:
            raise StaleProposal(stale)
        person_ids = {
            pid
            for e in wanted
            for pid in (e["proposed"]["owner"], *e["proposed"]["backups"])
            if pid is not None
        }
        people = {
            p.pk: p for p in Person.objects.filter(organisation=run.organisation, pk__in=person_ids)
        }
        if set(people) != person_ids:
            raise StaleProposal([e["code"] for e in wanted])
        reason = _("Voorstel van de verdelingsassistent van %(date)s") % {
            "date": formats.date_format(timezone.localtime(run.created_at), "SHORT_DATE_FORMAT")
        }
        for entry in wanted:
            if not entry["changed"]:
                continue  # accepting "stays as it is" only records the decision
            proposed = entry["proposed"]
            team_services.distribution_apply(
                actor=actor,
                planned_task=planned[entry["id"]],
                owner=people[proposed["owner"]] if proposed["owner"] is not None else None,
                backups=[people[pid] for pid in proposed["backups"]],
                reason=reason,
            )
        bulk_create_with_history(
            [
                ProposalDecision(
                    organisation_id=run.organisation_id,
                    school_id=run.school_id,
                    run=run,
                    planned_task_id=entry["id"],
                    accepted_by=actor,
                )
                for entry in wanted
            ],
            ProposalDecision,
            default_user=actor,
        )
    return ids
