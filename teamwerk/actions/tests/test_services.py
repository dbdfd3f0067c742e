"""The service other modules call to make actions, and who may change what."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from teamwerk.actions.models import Action, ActionSource, ActionStatus
from teamwerk.actions.services import action_create, action_progress, action_update
from teamwerk.core.versions import ConcurrentChange
from teamwerk.team.models import Person

pytestmark = pytest.mark.django_db


def _tom():
    return Person.objects.get(email="teamlid.noord@scholengroep-demo.be")


def _make(world, **extra):
    fields = {
        "user": world.users["ict_noord"],
        "organisation": world.organisation,
        "school": world.noord,
        "title": "Wachtwoordbeleid bespreken",
        "source": ActionSource.CONVERSATION,
        "source_label": "Gesprek met de i-coach",
        "source_url": "/gesprekken/1/",
        "source_ref": "conversation:1",
        "owner": _tom(),
        "due": dt.date.today() + dt.timedelta(days=7),
    }
    fields.update(extra)
    return action_create(**fields)


def test_ict_coordinator_creates_an_action_with_its_origin(world):
    action = _make(world)
    assert action.status == ActionStatus.PLAN
    assert action.owner == _tom()
    assert action.history.count() == 1
    assert action.created_by == world.users["ict_noord"]


@pytest.mark.parametrize("key", ["teamlid_noord", "lezer_noord", "directie_zuid"])
def test_who_may_not_edit_the_school_cannot_create(world, key):
    with pytest.raises(PermissionDenied):
        _make(world, user=world.users[key])


def test_group_action_needs_an_organisation_wide_role(world):
    with pytest.raises(PermissionDenied):
        _make(world, user=world.users["ict_noord"], school=None, owner=None)
    action = _make(world, user=world.users["beheerder"], school=None, owner=None)
    assert action.school is None


def test_an_external_source_address_is_refused(world):
    with pytest.raises(ValidationError):
        _make(world, source_url="https://evil.example/")
    with pytest.raises(ValidationError):
        _make(world, source_url="//evil.example/")


def test_owner_of_another_organisation_is_refused(world):
    stranger = Person.objects.filter(organisation=world.other_organisation).first()
    with pytest.raises(ValidationError):
        _make(world, owner=stranger)


def test_owner_changes_status_of_own_action_but_not_its_title(world):
    action = _make(world)
    tom = world.users["teamlid_noord"]
    action = action_progress(user=tom, action=action, status=ActionStatus.DO, notes="Bezig")
    assert (action.status, action.notes) == (ActionStatus.DO, "Bezig")
    action = action_progress(user=tom, action=action, done=True)
    assert action.done_on == dt.date.today()
    with pytest.raises(PermissionDenied):
        action_update(user=tom, action=action, title="Iets anders")


def test_teamlid_cannot_progress_someone_elses_action(world):
    action = _make(world, owner=None)
    with pytest.raises(PermissionDenied):
        action_progress(user=world.users["teamlid_noord"], action=action, status="do")


def test_stale_edit_is_refused(world):
    action = _make(world)
    ict = world.users["ict_noord"]
    action_update(user=ict, action=action, expected_version=1, title="Eerste")
    with pytest.raises(ConcurrentChange):
        action_update(user=ict, action=action, expected_version=1, title="Tweede")
    assert Action.objects.get(pk=action.pk).title == "Eerste"
