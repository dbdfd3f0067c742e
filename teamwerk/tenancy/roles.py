"""Roles and what they may do. Roles are code; who holds which role where is data (Membership).

Keep docs/permissions.md in step with this table (a test compares them).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    BEHEERDER = "beheerder", _("Beheerder")
    DIRECTIE = "directie", _("Directie")
    ICT = "ict", _("ICT-coördinator")
    TEAMLID = "teamlid", _("Teamlid")
    LEZER = "lezer", _("Lezer")


class Action(models.TextChoices):
    VIEW = "view", _("ICT-werking van de school bekijken")
    EDIT = "edit", _("ICT-werking bewerken (takenoverzicht, verdeling, stappenplan)")
    VIEW_SENSITIVE = "view_sensitive", _("Zelfinschattingen van anderen bekijken en bewerken")
    MANAGE_MEMBERS = "manage_members", _("Mensen uitnodigen en rollen toekennen")
    MANAGE_ORGANISATION = "manage_organisation", _("Instellingen van de organisatie wijzigen")
    VIEW_AUDIT = "view_audit", _("Auditlog lezen")


ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.BEHEERDER: frozenset(
        {
            Action.VIEW,
            Action.EDIT,
            Action.MANAGE_MEMBERS,
            Action.MANAGE_ORGANISATION,
            Action.VIEW_AUDIT,
        }
    ),
    Role.DIRECTIE: frozenset(
        {Action.VIEW, Action.EDIT, Action.VIEW_SENSITIVE, Action.MANAGE_MEMBERS}
    ),
    Role.ICT: frozenset({Action.VIEW, Action.EDIT, Action.VIEW_SENSITIVE}),
    Role.TEAMLID: frozenset({Action.VIEW}),
    Role.LEZER: frozenset({Action.VIEW}),
}

# Roles that are always organisation-wide: a beheerder manages the whole organisation.
ORGANISATION_ONLY_ROLES = frozenset({Role.BEHEERDER})

# Which roles an inviter may hand out: nobody creates a role above their own.
GRANTABLE_ROLES: dict[str, tuple[str, ...]] = {
    Role.BEHEERDER: tuple(Role.values),
    Role.DIRECTIE: (Role.DIRECTIE, Role.ICT, Role.TEAMLID, Role.LEZER),
}


def role_allows(role: str, action: str) -> bool:
    return action in ROLE_ACTIONS.get(role, frozenset())
