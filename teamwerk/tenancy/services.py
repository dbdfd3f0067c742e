"""Writes for organisations, schools and memberships. Each checks scope and records history."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from teamwerk.accounts.services import audit_log

from .models import REGION_TERMS, Membership, Organisation, School, SchoolYear
from .querysets import scope_for
from .roles import GRANTABLE_ROLES, ORGANISATION_ONLY_ROLES, Action, Role


def organisation_create(
    *,
    name: str,
    kind: str,
    region: str,
    hours_per_fte: int | None = None,
    require_mfa_for_admins: bool = True,
) -> Organisation:
    with transaction.atomic():
        organisation = Organisation(
            name=name,
            kind=kind,
            region=region,
            hours_per_fte=hours_per_fte or REGION_TERMS[region]["hours_per_fte"],
            require_mfa_for_admins=require_mfa_for_admins,
        )
        organisation.full_clean()
        organisation.save()
        return organisation


class StaleSettings(ValidationError):
    """The settings were saved by someone else after the form was opened."""


def organisation_update(
    *, actor, organisation: Organisation, expected_version: int | None = None, **fields
) -> Organisation:
    """Change the organisation's settings. ``expected_version`` is the version the form was
    opened on (None = no check); a stale one raises ``StaleSettings`` and saves nothing."""
    if organisation.pk not in scope_for(actor, Action.MANAGE_ORGANISATION).organisation_wide:
        raise PermissionDenied
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
        if expected_version is not None and organisation.version != expected_version:
            raise StaleSettings(
                _(
                    "Iemand anders heeft de instellingen intussen bewaard. Jouw wijzigingen "
                    "staan nog in het formulier: kijk ze na en bewaar opnieuw."
                ),
                code="stale",
            )
        for name, value in fields.items():
            setattr(organisation, name, value)
        organisation.full_clean()
        organisation.version += 1
        organisation._history_user = actor
        organisation.save()
        audit_log(
            actor=actor,
            organisation=organisation,
            kind="organisation.updated",
            data={"fields": sorted(fields)},
        )
        return organisation


def school_create(
    *,
    organisation: Organisation,
    name: str,
    number: str = "",
    level: str = "secundair",
    ict_hours_available: float = 0,
) -> School:
    with transaction.atomic():
        school = School(
            organisation=organisation,
            name=name,
            number=number,
            level=level,
            ict_hours_available=ict_hours_available,
        )
        school.full_clean()
        school.save()
        return school


def school_year_ensure(*, organisation: Organisation, start_year: int) -> SchoolYear:
    year, _ = SchoolYear.objects.get_or_create(organisation=organisation, start_year=start_year)
    return year


def _check_grant(actor, *, organisation: Organisation, school: School | None, role: str) -> None:
    """The actor may hand out this role at this place, or PermissionDenied."""
    if actor is None:  # system (demo seeder, invitations already checked)
        return
    scope = scope_for(actor, Action.MANAGE_MEMBERS)
    whole = organisation.pk in scope.organisation_wide
    if not whole and (school is None or school.pk not in scope.schools):
        raise PermissionDenied
    actor_roles = {
        m.role
        for m in actor.memberships.filter(organisation=organisation)
        if m.school_id in (None, getattr(school, "pk", None))
    }
    grantable = set()
    for actor_role in actor_roles:
        grantable.update(GRANTABLE_ROLES.get(actor_role, ()))
    if role not in grantable:
        raise PermissionDenied


def _validate_place(*, organisation: Organisation, school: School | None, role: str) -> None:
    if school is not None and school.organisation_id != organisation.pk:
        raise ValidationError(_("Deze school hoort niet bij de organisatie."))
    if role in ORGANISATION_ONLY_ROLES and school is not None:
        raise ValidationError(_("Een beheerder geldt altijd voor de hele organisatie."))
    if role not in Role.values:
        raise ValidationError(_("Onbekende rol."))


def membership_grant(
    *, actor, user, organisation: Organisation, school: School | None, role: str
) -> Membership:
    _validate_place(organisation=organisation, school=school, role=role)
    _check_grant(actor, organisation=organisation, school=school, role=role)
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(
            user=user, organisation=organisation, school=school, role=role
        )
        if created:
            audit_log(
                actor=actor,
                organisation=organisation,
                kind="role.granted",
                target=user.email,
                data={"role": role, "school": school.name if school else None},
            )
        user.__dict__.pop("_tenancy_memberships", None)
        return membership


def membership_change_role(*, actor, membership: Membership, role: str) -> Membership:
    _validate_place(organisation=membership.organisation, school=membership.school, role=role)
    _check_grant(actor, organisation=membership.organisation, school=membership.school, role=role)
    _check_grant(
        actor, organisation=membership.organisation, school=membership.school, role=membership.role
    )
    if membership.user_id == actor.pk:
        raise ValidationError(_("Je kunt je eigen rol niet wijzigen."))
    with transaction.atomic():
        old = membership.role
        membership.role = role
        membership._history_user = actor
        membership.save()
        audit_log(
            actor=actor,
            organisation=membership.organisation,
            kind="role.changed",
            target=membership.user.email,
            data={"from": old, "to": role},
        )
        return membership


def membership_revoke(*, actor, membership: Membership) -> None:
    _check_grant(
        actor, organisation=membership.organisation, school=membership.school, role=membership.role
    )
    if membership.user_id == actor.pk:
        raise ValidationError(_("Je kunt je eigen rol niet intrekken."))
    with transaction.atomic():
        audit_log(
            actor=actor,
            organisation=membership.organisation,
            kind="role.revoked",
            target=membership.user.email,
            data={"role": membership.role},
        )
        membership._history_user = actor
        membership.delete()


def membership_end_all(*, actor, user, organisation: Organisation) -> int:
    """End every role of the user in the organisation (someone leaves); each is audited.
    The caller has checked the actor may do this (a beheerder of the organisation)."""
    with transaction.atomic():
        ended = 0
        for membership in Membership.objects.filter(user=user, organisation=organisation):
            audit_log(
                actor=actor,
                organisation=organisation,
                kind="role.revoked",
                target=user.email,
                data={"role": membership.role},
            )
            membership._history_user = actor
            membership.delete()
            ended += 1
        user.__dict__.pop("_tenancy_memberships", None)
        return ended
