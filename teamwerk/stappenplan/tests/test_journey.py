"""Journeys and answers: the timeline, permissions, staleness of step 8, and the demo."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from teamwerk.stappenplan import selectors, services
from teamwerk.stappenplan.demo import seed
from teamwerk.stappenplan.models import Answer, Journey
from teamwerk.stappenplan.route import default_route, next_review
from teamwerk.tenancy.models import School

pytestmark = pytest.mark.django_db


def _journey(school) -> Journey:
    return services.journey_ensure(school=school)


def _state(school):
    return selectors.position_for(_journey(school))


# --- the demo -----------------------------------------------------------------------------


def test_demo_schools_stand_at_different_steps(world):
    noord = _state(world.noord)
    assert (noord.position.current_step, noord.position.state) == (8, "complete")
    assert noord.evaluated_on is not None  # evaluated within the review interval

    zuid = _state(world.zuid)
    assert (zuid.position.current_step, zuid.position.state) == (7, "open")
    done = sum(1 for item in zuid.position.checklist if item.answer is True)
    assert 0 < done < len(zuid.position.checklist)  # the checklist is half done

    linde = _state(School.objects.get(name="Basisschool De Linde"))
    assert (linde.position.current_step, linde.position.state) == (2, "blocked")

    baken = _state(School.objects.get(name="Het Baken"))
    assert baken.position.current_step == 5 and baken.position.variant == "school"


def test_demo_history_has_several_people_and_a_changed_answer(world):
    entries = selectors.timeline(_journey(world.noord))
    people = {e.answer.answered_by.email for e in entries}
    assert {"directie.noord@scholengroep-demo.be", "ict.noord@scholengroep-demo.be"} <= people
    changed = [e for e in entries if e.changed]
    assert {e.answer.check_code for e in changed} == {"S3.policy_plan", "S5.tailored"}
    replaced = [e for e in entries if e.superseded and e.answer.check_code == "S3.policy_plan"]
    assert [e.answer.value for e in replaced] == [False]  # the old "no" is still there
    days = {timezone.localdate(e.answer.answered_at) for e in entries}
    assert (max(days) - min(days)).days > 90  # spread over the past months


def test_group_journey_of_the_demo_answered_pooling_yes(world):
    group = Journey.objects.get(organisation=world.organisation, school=None)
    latest = selectors.latest_answers([group.pk])[group.pk]
    assert latest["S4.pooling"].value is True
    assert latest["S4.pooling"].answered_by == world.users["directeur"]


def test_seeding_twice_changes_nothing(world):
    from teamwerk.core.demo import seed_demo

    before = list(Answer.objects.order_by("pk").values_list("pk", "check_code", "value"))
    seed_demo()
    context = {
        "schools": {s.name: s for s in School.objects.all()},
        "organisations": {
            world.organisation.name: world.organisation,
            world.other_organisation.name: world.other_organisation,
        },
    }
    seed(context)
    after = list(Answer.objects.order_by("pk").values_list("pk", "check_code", "value"))
    assert after == before
    assert Journey.objects.filter(school=world.noord).count() == 1


# --- recording answers --------------------------------------------------------------------


def test_a_new_answer_keeps_the_old_one_in_the_timeline(world):
    journey = _journey(world.zuid)
    actor = world.users["directie_zuid"]
    services.answer_record(
        actor=actor,
        journey=journey,
        check_code="S7.mandates",
        value=False,
        note="Eerst bespreken op het MT.",
    )
    services.answer_record(actor=actor, journey=journey, check_code="S7.mandates", value=True)

    rows = Answer.objects.filter(journey=journey, check_code="S7.mandates")
    assert sorted(rows.values_list("value", flat=True)) == [False, True]
    state = selectors.position_for(journey)
    assert state.current["S7.mandates"].value is True
    newest = selectors.timeline(journey, codes=["S7.mandates"])
    assert newest[0].changed and newest[0].previous.note == "Eerst bespreken op het MT."
    assert newest[1].superseded
    # Each answer is its own row in the history too (never an update in place).
    assert all(a.history.count() == 1 for a in rows)


def test_unknown_check_is_refused_and_nothing_is_saved(world):
    journey = _journey(world.noord)
    before = Answer.objects.count()
    with pytest.raises(ValidationError):
        services.answer_record(
            actor=world.users["ict_noord"], journey=journey, check_code="S9.nothing", value=True
        )
    assert Answer.objects.count() == before


def test_too_long_note_and_future_date_are_refused(world):
    journey = _journey(world.noord)
    actor = world.users["ict_noord"]
    with pytest.raises(ValidationError):
        services.answer_record(
            actor=actor, journey=journey, check_code="S1.awareness", value=True, note="x" * 2001
        )
    with pytest.raises(ValidationError):
        services.answer_record(
            actor=actor,
            journey=journey,
            check_code="S1.awareness",
            value=True,
            answered_at=timezone.now() + dt.timedelta(days=1),
        )


@pytest.mark.parametrize("user_key", ["teamlid_noord", "lezer_noord", "directie_zuid"])
def test_who_may_not_edit_the_school_cannot_answer(world, user_key):
    with pytest.raises(PermissionDenied):
        services.answer_record(
            actor=world.users[user_key],
            journey=_journey(world.noord),
            check_code="S1.awareness",
            value=False,
        )


def test_only_organisation_wide_roles_answer_for_the_group(world):
    group = services.journey_ensure(organisation=world.organisation)
    with pytest.raises(PermissionDenied):
        services.answer_record(
            actor=world.users["directie_noord"],
            journey=group,
            check_code="S4.pooling",
            value=False,
        )
    answer = services.answer_record(
        actor=world.users["beheerder"], journey=group, check_code="S4.pooling", value=False
    )
    assert answer.school is None and answer.organisation == world.organisation


def test_the_group_only_answers_step_4(world):
    group = services.journey_ensure(organisation=world.organisation)
    with pytest.raises(ValidationError):
        services.answer_record(
            actor=world.users["directeur"], journey=group, check_code="S5.tailored", value=True
        )


def test_journey_ensure_is_one_per_school_and_one_per_group(world):
    assert _journey(world.noord).pk == _journey(world.noord).pk
    group = services.journey_ensure(organisation=world.organisation)
    assert group.pk == services.journey_ensure(organisation=world.organisation).pk
    assert group.is_group_journey


def test_reading_a_journey_of_another_school_is_404(world):
    with pytest.raises(Http404):
        selectors.journey_for_school(world.users["directie_zuid"], world.noord)


# --- step 8 recurs ------------------------------------------------------------------------


def test_an_evaluation_older_than_the_interval_asks_to_evaluate_again(world):
    journey = _journey(world.noord)
    route = default_route()
    evaluated = timezone.localdate(
        selectors.position_for(journey).current["S8.evaluated"].answered_at
    )
    due = next_review(route, evaluated)

    just_before = selectors.position_for(journey, today=due - dt.timedelta(days=1))
    assert just_before.position.state == "complete"
    assert just_before.next_review_on == due

    on_due_date = selectors.position_for(journey, today=due)
    assert (on_due_date.position.current_step, on_due_date.position.state) == (8, "open")
    assert on_due_date.position.open_check.code == "S8.evaluated"
    assert "S8.evaluated" in on_due_date.stale
    # The older steps still count: only the recurring step opens again.
    assert on_due_date.position.statuses[7] == "done"


def test_latest_answer_wins_also_within_the_same_second(world):
    journey = _journey(world.zuid)
    moment = timezone.now() - dt.timedelta(minutes=1)
    actor = world.users["directie_zuid"]
    for value in (True, False):
        services.answer_record(
            actor=actor, journey=journey, check_code="S7.backup", value=value, answered_at=moment
        )
    assert selectors.position_for(journey).current["S7.backup"].value is False
