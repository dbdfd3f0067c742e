"""The choke point: each user sees exactly their own schools and organisation."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from teamwerk.accounts.models import AuditEvent, User
from teamwerk.tenancy import selectors, services
from teamwerk.tenancy.models import Membership, School, SchoolYear
from teamwerk.tenancy.roles import Action, Role

pytestmark = pytest.mark.django_db


def names(queryset) -> set[str]:
    return {school.name for school in queryset}


def test_school_roles_see_only_their_school(world):
    assert names(selectors.schools_for_user(world.users["ict_noord"])) == {"Campus Noord"}
    assert names(selectors.schools_for_user(world.users["teamlid_noord"])) == {"Campus Noord"}
    assert names(selectors.schools_for_user(world.users["directie_zuid"])) == {"Campus Zuid"}


def test_organisation_roles_see_every_school_of_their_organisation_only(world):
    expected = {"Campus Noord", "Campus Zuid", "Basisschool De Linde"}
    assert names(selectors.schools_for_user(world.users["beheerder"])) == expected
    assert names(selectors.schools_for_user(world.users["directeur"])) == expected
    assert names(selectors.schools_for_user(world.users["beheerder_stichting"])) == {
        "Het Baken",
        "De Vlinder",
    }


def test_read_only_roles_cannot_edit(world):
    for key in ("teamlid_noord", "lezer_noord"):
        assert not selectors.schools_for_user(world.users[key], Action.EDIT).exists()
    assert names(selectors.schools_for_user(world.users["ict_noord"], Action.EDIT)) == {
        "Campus Noord"
    }


def test_out_of_scope_school_is_a_404(world):
    with pytest.raises(Http404):
        selectors.school_get(world.users["directie_zuid"], world.noord.pk)
    with pytest.raises(Http404):
        selectors.school_get(world.users["beheerder_stichting"], world.noord.pk)
    assert selectors.school_get(world.users["directie_noord"], world.noord.pk) == world.noord


def test_anonymous_and_inactive_users_see_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    assert not School.objects.for_user(AnonymousUser(), Action.VIEW).exists()
    user = world.users["ict_noord"]
    user.is_active = False
    assert not School.objects.for_user(user, Action.VIEW).exists()


def test_organisation_level_rows_are_readable_by_members_but_editable_only_org_wide(world):
    year = SchoolYear.objects.create(organisation=world.organisation, start_year=2030)
    assert SchoolYear.objects.for_user(world.users["teamlid_noord"]).filter(pk=year.pk).exists()
    assert not (
        SchoolYear.objects.for_user(world.users["ict_noord"], Action.EDIT)
        .filter(pk=year.pk)
        .exists()
    )
    assert (
        SchoolYear.objects.for_user(world.users["directeur"], Action.EDIT)
        .filter(pk=year.pk)
        .exists()
    )
    assert (
        not SchoolYear.objects.for_user(world.users["beheerder_stichting"])
        .filter(pk=year.pk)
        .exists()
    )


def test_directie_cannot_grant_a_role_in_another_school(world):
    newcomer = User.objects.create_user("nieuw@example.org", "x-long-password")
    with pytest.raises(PermissionDenied):
        services.membership_grant(
            actor=world.users["directie_noord"],
            user=newcomer,
            organisation=world.organisation,
            school=world.zuid,
            role=Role.TEAMLID,
        )
    assert not Membership.objects.filter(user=newcomer).exists()


def test_directie_cannot_make_a_beheerder_and_ict_cannot_grant_at_all(world):
    newcomer = User.objects.create_user("nieuw@example.org", "x-long-password")
    with pytest.raises((PermissionDenied, ValidationError)):
        services.membership_grant(
            actor=world.users["directie_noord"],
            user=newcomer,
            organisation=world.organisation,
            school=None,
            role=Role.BEHEERDER,
        )
    with pytest.raises(PermissionDenied):
        services.membership_grant(
            actor=world.users["ict_noord"],
            user=newcomer,
            organisation=world.organisation,
            school=world.noord,
            role=Role.TEAMLID,
        )


def test_beheerder_is_always_organisation_wide(world):
    newcomer = User.objects.create_user("nieuw@example.org", "x-long-password")
    with pytest.raises(ValidationError):
        services.membership_grant(
            actor=world.users["beheerder"],
            user=newcomer,
            organisation=world.organisation,
            school=world.noord,
            role=Role.BEHEERDER,
        )


def test_school_of_another_organisation_is_refused(world):
    newcomer = User.objects.create_user("nieuw@example.org", "x-long-password")
    het_baken = School.objects.get(name="Het Baken")
    with pytest.raises(ValidationError):
        services.membership_grant(
            actor=world.users["beheerder"],
            user=newcomer,
            organisation=world.organisation,
            school=het_baken,
            role=Role.TEAMLID,
        )


def test_role_change_is_audited_and_historised(world):
    membership = world.membership("teamlid_noord")
    services.membership_change_role(
        actor=world.users["directie_noord"], membership=membership, role=Role.LEZER
    )
    membership.refresh_from_db()
    assert membership.role == Role.LEZER
    event = AuditEvent.objects.filter(kind="role.changed").latest("created_at")
    assert event.actor == world.users["directie_noord"]
    assert event.data == {"from": "teamlid", "to": "lezer"}
    latest = membership.history.latest()
    assert latest.history_user == world.users["directie_noord"]
    assert latest.role == Role.LEZER


def test_nobody_changes_their_own_role(world):
    with pytest.raises(ValidationError):
        services.membership_change_role(
            actor=world.users["directie_noord"],
            membership=world.membership("directie_noord"),
            role=Role.TEAMLID,
        )


def test_region_sets_terms_and_hours(world):
    assert world.organisation.terms["school_number"] == "Instellingsnummer"
    assert world.other_organisation.terms["school_number"] == "BRIN-nummer"
    assert world.other_organisation.terms["teacher"] == "docent"
    assert world.other_organisation.hours_per_fte == 1659


def test_school_year_runs_from_september_to_august():
    import datetime as dt

    assert SchoolYear.start_year_for(dt.date(2026, 8, 31)) == 2025
    assert SchoolYear.start_year_for(dt.date(2026, 9, 1)) == 2026
    year = SchoolYear(start_year=2026)
    assert (year.starts_on, year.ends_on) == (dt.date(2026, 9, 1), dt.date(2027, 8, 31))
    assert str(year) == "2026-2027"
