from __future__ import annotations

from .roles import Action, Role
from .selectors import has_group_view, roles_of, user_can


def tenancy(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    school = getattr(request, "school", None)
    organisation = getattr(request, "organisation", None)
    roles = (
        roles_of(user, school=school)
        if school
        else (roles_of(user, organisation=organisation) if organisation else [])
    )
    return {
        "current_school": school,
        "current_organisation": organisation,
        "my_schools": getattr(request, "schools", []),
        "my_roles": [Role(r).label for r in dict.fromkeys(roles)],
        "terms": organisation.terms if organisation else {},
        "can_manage_members": user_can(user, Action.MANAGE_MEMBERS),
        "can_view_audit": user_can(user, Action.VIEW_AUDIT),
        "can_manage_organisation": user_can(user, Action.MANAGE_ORGANISATION),
        "has_group_view": bool(organisation and has_group_view(user, organisation)),
    }
