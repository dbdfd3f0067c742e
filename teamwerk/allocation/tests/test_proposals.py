"""The assistant in the app: proposals from the demo data, accepting them, what-if."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from teamwerk.allocation import services
from teamwerk.allocation.models import ProposalDecision, RunStatus
from teamwerk.allocation.problem import ProposalOptions, build_problem
from teamwerk.planning.models import PlannedTask
from teamwerk.team import services as team_services
from teamwerk.team.models import Assignment, AssignmentRole, Person
from teamwerk.team.selectors import team_snapshot
from teamwerk.tenancy.selectors import current_school_year

BACKUP_SHARE = Decimal("0.15")


def distribution(school) -> dict[int, tuple[int | None, set[int]]]:
    """Owner and back-ups per planned task of the school, as stored."""
    held: dict[int, tuple[int | None, set[int]]] = {}
    for a in Assignment.objects.filter(school=school):
        owner, backups = held.get(a.planned_task_id, (None, set()))
        if a.role == AssignmentRole.OWNER:
            owner = a.person_id
        else:
            backups = backups | {a.person_id}
        held[a.planned_task_id] = (owner, backups)
    return held


def task_entry(run, code: str) -> dict:
    return next(t for t in run.result["tasks"] if t["code"] == code)


def first_acceptable(run) -> dict:
    return next(
        t for t in run.result["tasks"] if t["changed"] and not services.drops_without_replacement(t)
    )


@pytest.fixture
def zuid_run(world, run_now):
    return run_now(actor=world.users["directie_zuid"], school=world.zuid)


# ------------------------------------------------------------------------- proposals


def test_campus_zuid_gets_a_trekker_for_every_coverable_task(world, zuid_run):
    run = zuid_run
    assert run.status == RunStatus.DONE, run.result
    snapshot = team_snapshot(world.zuid, current_school_year(world.organisation))
    people = {p.id: p for p in snapshot.people}
    tasks = {t.planned_task_id: t for t in snapshot.tasks}
    entries = {t["id"]: t for t in run.result["tasks"]}
    assert set(entries) == set(tasks)

    coverable = [
        t
        for t in snapshot.tasks
        if any(
            p.hours_available >= t.hours
            and (p.pedagogically_qualified or not t.needs_qualification)
            for p in snapshot.people
        )
    ]
    assert len(coverable) == len(snapshot.tasks) == 26
    # Half done today: 13 tasks have no trekker. The proposal covers them all.
    assert sum(1 for t in snapshot.tasks if t.planned_task_id not in snapshot.owners) == 13
    for task in coverable:
        assert entries[task.planned_task_id]["proposed"]["owner"] is not None, task.code

    # The hard rules hold on the database's own data.
    load = {pid: Decimal("0") for pid in people}
    for task_id, entry in entries.items():
        owner, backups = entry["proposed"]["owner"], entry["proposed"]["backups"]
        assert owner not in backups
        assert len(backups) <= 1
        for pid in [owner, *backups]:
            person = people[pid]
            assert person.hours_available > 0
            assert person.pedagogically_qualified or not tasks[task_id].needs_qualification
        load[owner] += tasks[task_id].hours
        for pid in backups:
            load[pid] += tasks[task_id].hours * BACKUP_SHARE
    for pid, hours in load.items():
        assert hours <= people[pid].hours_available + Decimal("0.01"), people[pid].name

    # Every choice comes with a reason, every open slot with why.
    for entry in entries.values():
        assert {r["role"] for r in entry["reasons"]} == (
            {"owner"} | ({"backup"} if entry["proposed"]["backups"] else set())
        )
        if not entry["proposed"]["backups"]:
            assert [u["role"] for u in entry["uncovered"]] == ["backup"]
            assert entry["uncovered"][0]["reasons"]


def test_a_proposal_changes_nothing_by_itself(world, run_now):
    before = distribution(world.zuid)
    run = run_now(actor=world.users["directie_zuid"], school=world.zuid)
    assert run.result["summary"]["changed"] > 0
    assert distribution(world.zuid) == before


def test_keep_owners_keeps_every_current_trekker(world, run_now):
    before = distribution(world.noord)
    run = run_now(actor=world.users["ict_noord"], school=world.noord, keep_owners=True)
    # Tom holds more trekker hours than he has: what does not fit is named, the rest stays.
    tom = Person.objects.get(email="teamlid.noord@scholengroep-demo.be")
    [note] = run.result["notes"]
    assert (note["code"], note["person_id"]) == ("lock_over_hours", tom.pk)
    released = set(note["task_ids"])
    assert released and all(before[t][0] == tom.pk for t in released)
    for entry in run.result["tasks"]:
        if entry["id"] in released:
            continue
        assert entry["proposed"]["owner"] == before[entry["id"]][0], entry["code"]
        owner_reason = next(r for r in entry["reasons"] if r["role"] == "owner")
        assert "locked" in owner_reason["codes"]


def test_locks_that_cannot_be_kept_are_reported(world, run_now):
    # Hanne has more tasks at Zuid than hours: keeping them all is impossible.
    hanne = Person.objects.get(first_name="Hanne", last_name="Vermeulen")
    run = run_now(actor=world.users["directie_zuid"], school=world.zuid, locked_people=(hanne.pk,))
    assert run.status == RunStatus.DONE
    [note] = run.result["notes"]
    assert (note["code"], note["person_id"]) == ("lock_over_hours", hanne.pk)
    assert note["task_ids"]
    # With overload allowed the same choice is kept.
    run = run_now(
        actor=world.users["directie_zuid"],
        school=world.zuid,
        locked_people=(hanne.pk,),
        allow_overload=True,
    )
    assert run.result["notes"] == []
    for entry in run.result["tasks"]:
        if entry["current"]["owner"] == hanne.pk:
            assert entry["proposed"]["owner"] == hanne.pk


def test_only_who_may_edit_starts_a_run(world):
    options = ProposalOptions()
    with pytest.raises(PermissionDenied):
        services.proposal_start(
            actor=world.users["teamlid_noord"],
            organisation=world.organisation,
            school=world.noord,
            options=options,
        )
    with pytest.raises(PermissionDenied):
        services.proposal_start(
            actor=world.users["directie_zuid"],
            organisation=world.organisation,
            school=world.noord,
            options=options,
        )
    # The group's plan: organisation-wide roles only.
    with pytest.raises(PermissionDenied):
        services.proposal_start(
            actor=world.users["directie_noord"],
            organisation=world.organisation,
            school=None,
            options=options,
        )


def test_a_failing_build_is_stored_with_a_friendly_message(world, run_now, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr("teamwerk.allocation.problem.build_problem", broken)
    run = run_now(actor=world.users["directie_zuid"], school=world.zuid)
    assert run.status == RunStatus.FAILED
    assert run.progress == 100
    assert "opnieuw" in run.message


def test_the_group_plan_gets_a_proposal_with_people_of_all_schools(world, run_now):
    run = run_now(actor=world.users["directeur"], organisation=world.organisation, school=None)
    assert run.status == RunStatus.DONE, run.result
    codes = {t["code"] for t in run.result["tasks"]}
    assert {"POL-08", "POL-09", "TEC-02", "COO-05"} <= codes
    assert all(t["proposed"]["owner"] is not None for t in run.result["tasks"])
    noord_people = set(
        Person.objects.filter(
            availabilities__school=world.noord, availabilities__hours_available__gt=0
        ).values_list("pk", flat=True)
    )
    zuid_people = set(
        Person.objects.filter(
            availabilities__school=world.zuid, availabilities__hours_available__gt=0
        ).values_list("pk", flat=True)
    )
    candidates = {p["id"] for p in run.result["people"]}
    assert candidates & noord_people and candidates & zuid_people


# ---------------------------------------------------------------------------- accept


def test_accepting_one_task_applies_it_through_the_services(world, zuid_run):
    actor = world.users["directie_zuid"]
    before = distribution(world.zuid)
    entry = first_acceptable(zuid_run)

    applied = services.proposal_accept(actor=actor, run=zuid_run, planned_task_ids=[entry["id"]])

    assert applied == [entry["id"]]
    after = distribution(world.zuid)
    assert after[entry["id"]] == (entry["proposed"]["owner"], set(entry["proposed"]["backups"]))
    assert {k: v for k, v in after.items() if k != entry["id"]} == {
        k: v for k, v in before.items() if k != entry["id"]
    }
    owner = Assignment.objects.get(planned_task_id=entry["id"], role=AssignmentRole.OWNER)
    record = owner.history.latest()
    assert record.history_user == actor
    assert "verdelingsassistent" in record.history_change_reason
    assert ProposalDecision.objects.get(run=zuid_run).planned_task_id == entry["id"]
    # Once accepted, accepting again changes nothing.
    with pytest.raises(ValidationError):
        services.proposal_accept(actor=actor, run=zuid_run, planned_task_ids=[entry["id"]])


def test_accept_all_applies_every_change_but_never_leaves_a_task_bare(world, zuid_run):
    actor = world.users["directie_zuid"]
    before = distribution(world.zuid)
    applied = services.proposal_accept(actor=actor, run=zuid_run)

    after = distribution(world.zuid)
    entries = {t["id"]: t for t in zuid_run.result["tasks"]}
    assert applied
    for task_id, entry in entries.items():
        proposed = (entry["proposed"]["owner"], set(entry["proposed"]["backups"]))
        if task_id in applied:
            assert after[task_id] == proposed
        else:
            # Unchanged, or a change that takes someone off without replacement.
            assert after.get(task_id, (None, set())) == before.get(task_id, (None, set()))
            assert not entry["changed"] or services.drops_without_replacement(entry)
    # Every task of Zuid has a trekker now.
    assert all(after[t][0] is not None for t in entries)
    assert ProposalDecision.objects.filter(run=zuid_run).count() == len(applied)


def test_a_stale_proposal_is_refused_and_nothing_is_half_applied(world, zuid_run):
    actor = world.users["directie_zuid"]
    entry = first_acceptable(zuid_run)
    # Someone changes that task by hand after the proposal was made.
    planned_task = PlannedTask.objects.get(pk=entry["id"])
    someone = (
        Person.objects.filter(availabilities__school=world.zuid, pedagogically_qualified=True)
        .exclude(pk__in=[entry["current"]["owner"] or 0, entry["proposed"]["owner"] or 0])
        .first()
    )
    team_services.assignment_set_owner(actor=actor, planned_task=planned_task, person=someone)
    before = distribution(world.zuid)

    with pytest.raises(services.StaleProposal) as stale:
        services.proposal_accept(actor=actor, run=zuid_run)
    assert entry["code"] in stale.value.message
    assert "nieuw voorstel" in stale.value.message
    assert distribution(world.zuid) == before
    assert not ProposalDecision.objects.filter(run=zuid_run).exists()

    # The other tasks can still be accepted one by one.
    other = next(
        t
        for t in zuid_run.result["tasks"]
        if t["changed"] and t["id"] != entry["id"] and not services.drops_without_replacement(t)
    )
    services.proposal_accept(actor=actor, run=zuid_run, planned_task_ids=[other["id"]])
    assert distribution(world.zuid)[other["id"]][0] == other["proposed"]["owner"]


def test_read_only_roles_cannot_accept(world, zuid_run):
    for key in ("teamlid_noord", "lezer_noord", "directie_noord"):
        with pytest.raises(PermissionDenied):
            services.proposal_accept(actor=world.users[key], run=zuid_run)


# ---------------------------------------------------------------------------- what if


def test_what_if_a_person_of_campus_noord_leaves(world, run_now):
    tom = Person.objects.get(email="teamlid.noord@scholengroep-demo.be")
    before = distribution(world.noord)
    held_as_owner = {t for t, (owner, _b) in before.items() if owner == tom.pk}
    held_as_backup = {t for t, (_o, backups) in before.items() if tom.pk in backups}
    assert held_as_owner and held_as_backup

    run = run_now(actor=world.users["ict_noord"], school=world.noord, person=tom)

    assert run.status == RunStatus.DONE, run.result
    impact = run.result["whatif"]
    assert set(impact["owner_tasks"]) == held_as_owner
    assert set(impact["backup_tasks"]) == held_as_backup
    entries = {t["id"]: t for t in run.result["tasks"]}
    for entry in entries.values():
        assert tom.pk != entry["proposed"]["owner"]
        assert tom.pk not in entry["proposed"]["backups"]
    # The rest of the team covers every task Tom led.
    for task_id in held_as_owner:
        assert entries[task_id]["proposed"]["owner"] is not None
    # …and the other trekkers stay where they are.
    moved = [
        t
        for t, (owner, _b) in before.items()
        if t not in held_as_owner and entries[t]["proposed"]["owner"] != owner
    ]
    assert moved == []
    # The question is who takes over from Tom: slots that are empty today stay empty.
    for task_id, entry in entries.items():
        owner, backups = before.get(task_id, (None, set()))
        if owner is None:
            assert entry["proposed"]["owner"] is None
        if not backups:
            assert entry["proposed"]["backups"] == []
    assert distribution(world.noord) == before  # nothing applied by itself


def test_knowledge_that_leaves_is_named(world, run_now):
    # At Zuid only Wim knows the technical work (expertise 3 in TEC).
    wim = Person.objects.get(first_name="Wim", last_name="Claes")
    run = run_now(actor=world.users["directie_zuid"], school=world.zuid, person=wim)
    impact = run.result["whatif"]
    assert impact["knowledge_domains"] == ["TEC"]
    held = {t["id"] for t in run.result["tasks"] if t["current"]["owner"] == wim.pk}
    assert held and set(impact["owner_tasks"]) == held


def test_accepting_a_what_if_takes_the_person_off_their_tasks(world, run_now):
    tom = Person.objects.get(email="teamlid.noord@scholengroep-demo.be")
    run = run_now(actor=world.users["ict_noord"], school=world.noord, person=tom)
    services.proposal_accept(actor=world.users["ict_noord"], run=run)
    assert not Assignment.objects.filter(
        person=tom, school=world.noord, role=AssignmentRole.OWNER
    ).exists()


def test_build_problem_only_makes_eligible_pairs(world):
    year = current_school_year(world.organisation)
    built = build_problem(world.zuid, year, options=ProposalOptions())
    problem = built.problem
    with_hours = {p.id for p in problem.people if p.hours_available > 0}
    for task in problem.tasks:
        assert task.allowed == with_hours
    assert all(person_id in with_hours for person_id, _task in problem.fit)
