"""Reads of organisations, schools and memberships, always scoped to the user."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from .models import Membership, Organisation, School, SchoolYear
from .querysets import memberships_of, scope_for
from .roles import Action, Role


def schools_for_user(user, action: str = Action.VIEW) -> QuerySet[School]:
    return School.objects.for_user(user, action).select_related("organisation")


def organisations_for_user(user, action: str = Action.VIEW) -> QuerySet[Organisation]:
    return Organisation.objects.for_user(user, action)


def school_get(user, pk: int, action: str = Action.VIEW) -> School:
    """A school inside the user's scope, or 404 (existence is not leaked)."""
    try:
        return schools_for_user(user, action).get(pk=pk)
    except (School.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def user_can(user, action: str, *, organisation=None, school=None) -> bool:
    """Whether the user may perform the action on this school (or organisation-wide)."""
    scope = scope_for(user, action)
    if school is not None:
        return school.organisation_id in scope.organisation_wide or school.pk in scope.schools
    if organisation is not None:
        return organisation.pk in scope.organisation_wide
    return not scope.empty


def has_group_view(user, organisation) -> bool:
    """Directie without a school and beheerders see the whole group side by side."""
    return any(
        m.organisation_id == organisation.pk
        and m.school_id is None
        and m.role in (Role.BEHEERDER, Role.DIRECTIE, Role.LEZER)
        for m in memberships_of(user)
    )


def roles_of(user, *, organisation=None, school=None) -> list[str]:
    """The roles that apply to the user for this school (its own and organisation-wide ones)."""
    roles = []
    for membership in memberships_of(user):
        if organisation is not None and membership.organisation_id != organisation.pk:
            continue
        if school is not None and membership.organisation_id != school.organisation_id:
            continue
        if school is not None and membership.school_id not in (None, school.pk):
            continue
        roles.append(membership.role)
    return roles


def memberships_for_user(user) -> QuerySet[Membership]:
    return (
        Membership.objects.for_user(user, Action.MANAGE_MEMBERS)
        .select_related("user", "school", "organisation")
        .order_by("organisation__name", "user__email", "school__name")
    )


def membership_get(user, pk: int) -> Membership:
    try:
        return memberships_for_user(user).get(pk=pk)
    except (Membership.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def current_school_year(organisation: Organisation, today: dt.date | None = None) -> SchoolYear:
    """The school year that contains today; created on first use (it is calendar data)."""
    today = today or timezone.localdate()
    year, _ = SchoolYear.objects.get_or_create(
        organisation=organisation, start_year=SchoolYear.start_year_for(today)
    )
    return year


def users_only_in(organisation: Organisation) -> set[int]:
    """Ids of users whose roles are all in this organisation (its beheerder may reset their
    second factor or end their account)."""
    elsewhere = Membership.objects.exclude(organisation=organisation).values("user_id")
    return set(
        Membership.objects.filter(organisation=organisation)
        .exclude(user_id__in=elsewhere)
        .values_list("user_id", flat=True)
    )
