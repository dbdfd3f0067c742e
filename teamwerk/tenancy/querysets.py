"""The one choke point for tenant data: ``Model.objects.for_user(user, action)``.

A model declares where its organisation and school live (``tenant_organisation_field``,
``tenant_school_field``); the queryset keeps only rows inside the user's scopes for the action.
Rows without a school (organisation-level work, e.g. the group plan) are readable by everyone
with a role in that organisation, but changed only by those whose scope is the whole
organisation.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models
from django.db.models import Q

from .roles import Action, role_allows


@dataclass
class Scope:
    organisation_wide: set[int] = field(default_factory=set)  # organisation ids
    schools: set[int] = field(default_factory=set)  # school ids
    organisations: set[int] = field(default_factory=set)  # any role here for the action

    @property
    def empty(self) -> bool:
        return not self.organisations


def memberships_of(user) -> list:
    """The user's memberships, loaded once per user object (i.e. once per request)."""
    cached = getattr(user, "_tenancy_memberships", None)
    if cached is None:
        from .models import Membership

        cached = list(Membership.objects.filter(user=user).select_related("school", "organisation"))
        user._tenancy_memberships = cached
    return cached


def scope_for(user, action: str) -> Scope:
    scope = Scope()
    if user is None or not user.is_authenticated or not user.is_active:
        return scope
    for membership in memberships_of(user):
        if not role_allows(membership.role, action):
            continue
        scope.organisations.add(membership.organisation_id)
        if membership.school_id is None:
            scope.organisation_wide.add(membership.organisation_id)
        else:
            scope.schools.add(membership.school_id)
    return scope


class TenantQuerySet(models.QuerySet):
    def for_user(self, user, action: str = Action.VIEW):
        scope = scope_for(user, action)
        if scope.empty:
            return self.none()
        org_field = self.model.tenant_organisation_field
        school_field = self.model.tenant_school_field
        condition = Q(**{f"{org_field}__in": scope.organisation_wide})
        if school_field is None:
            if action == Action.VIEW:
                condition |= Q(**{f"{org_field}__in": scope.organisations})
        else:
            condition |= Q(**{f"{school_field}__in": scope.schools})
            if action == Action.VIEW and school_field != "id":
                condition |= Q(
                    **{f"{school_field}__isnull": True, f"{org_field}__in": scope.organisations}
                )
        return self.filter(condition)
