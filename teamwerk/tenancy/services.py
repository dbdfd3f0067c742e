"""Writes for organisations, schools and memberships. Each checks scope and records history."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from teamwerk.accounts.services import audit_log
from teamwerk.core.versions import check_version

from .models import (
    REGION_TERMS,
    Membership,
    Organisation,
    OrganisationKind,
    OrganisationSignup,
    School,
    SchoolYear,
)
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


# -- schools of an organisation ------------------------------------------------------------------


def _check_manage(actor, organisation: Organisation) -> None:
    if organisation.pk not in scope_for(actor, Action.MANAGE_ORGANISATION).organisation_wide:
        raise PermissionDenied


def _name_taken(organisation: Organisation, name: str, *, exclude: int | None = None) -> bool:
    schools = School.objects.filter(organisation=organisation, name__iexact=name.strip())
    if exclude is not None:
        schools = schools.exclude(pk=exclude)
    return schools.exists()


def school_add(
    *,
    actor,
    organisation: Organisation,
    name: str,
    number: str = "",
    level: str = "basis",
    ict_hours_available=0,
) -> School:
    """A beheerder adds a school to the organisation."""
    _check_manage(actor, organisation)
    name = name.strip()
    if _name_taken(organisation, name):
        raise ValidationError({"name": _("Er is al een school met deze naam.")})
    with transaction.atomic():
        school = School(
            organisation=organisation,
            name=name,
            number=number.strip(),
            level=level,
            ict_hours_available=ict_hours_available,
        )
        school.full_clean()
        school._history_user = actor
        school.save()
        audit_log(actor=actor, organisation=organisation, kind="school.added", target=school.name)
        return school


def school_update(*, actor, school: School, expected_version, **fields) -> School:
    """Rename a school or change its number, level or budget. A form opened on an older
    version is refused (``ConcurrentChange``) and nothing is saved."""
    allowed = {"name", "number", "level", "ict_hours_available"}
    if set(fields) - allowed:
        raise TypeError(f"unknown fields: {sorted(set(fields) - allowed)}")
    _check_manage(actor, school.organisation)
    with transaction.atomic():
        locked = School.objects.select_for_update().get(pk=school.pk)
        check_version(locked.version, expected_version, current=locked)
        if "name" in fields:
            fields["name"] = fields["name"].strip()
            if _name_taken(locked.organisation, fields["name"], exclude=locked.pk):
                raise ValidationError({"name": _("Er is al een school met deze naam.")})
        old_name = locked.name
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.full_clean()
        locked.version += 1
        locked._history_user = actor
        locked.save()
        audit_log(
            actor=actor,
            organisation=locked.organisation,
            kind="school.updated",
            target=locked.name,
            data={"fields": sorted(fields), "from": old_name},
        )
        return locked


def _set_archived(*, actor, school: School, archived: bool) -> School:
    _check_manage(actor, school.organisation)
    with transaction.atomic():
        locked = School.objects.select_for_update().get(pk=school.pk)
        if archived and locked.archived_at is None:
            others = School.objects.active().filter(organisation=locked.organisation)
            if not others.exclude(pk=locked.pk).exists():
                raise ValidationError(
                    _("Dit is de enige school van de organisatie: die kan niet in het archief.")
                )
            locked.archived_at = timezone.now()
        elif not archived and locked.archived_at is not None:
            locked.archived_at = None
        else:
            return locked
        locked.version += 1
        locked._history_user = actor
        locked.save()
        audit_log(
            actor=actor,
            organisation=locked.organisation,
            kind="school.archived" if archived else "school.restored",
            target=locked.name,
        )
        return locked


def school_archive(*, actor, school: School) -> School:
    """Hide a school from the switch and the group overviews; nothing of it is deleted."""
    return _set_archived(actor=actor, school=school, archived=True)


def school_restore(*, actor, school: School) -> School:
    return _set_archived(actor=actor, school=school, archived=False)


@dataclass
class SchoolRow:
    line: int
    name: str
    number: str
    errors: list[str] = field(default_factory=list)


def schools_parse(organisation: Organisation, rows: list[tuple[int, str, str]]) -> list[SchoolRow]:
    """Check a list of (line, name, number) before anything is written: every row gets its
    own errors (empty name, too long, a name that exists already or twice in the list)."""
    existing = {
        name.lower()
        for name in School.objects.filter(organisation=organisation).values_list("name", flat=True)
    }
    seen: set[str] = set()
    parsed = []
    for line, name, number in rows:
        row = SchoolRow(line=line, name=(name or "").strip(), number=(number or "").strip())
        if not row.name:
            row.errors.append(_("De naam ontbreekt."))
        elif len(row.name) > 200:
            row.errors.append(_("De naam is langer dan 200 tekens."))
        elif row.name.lower() in existing:
            row.errors.append(_("Er is al een school met deze naam."))
        elif row.name.lower() in seen:
            row.errors.append(_("Deze naam staat twee keer in de lijst."))
        if len(row.number) > 20:
            row.errors.append(_("Het nummer is langer dan 20 tekens."))
        seen.add(row.name.lower())
        parsed.append(row)
    return parsed


def schools_add_many(
    *, actor, organisation: Organisation, rows: list[tuple[int, str, str]], level: str
) -> list[School]:
    """Add every school of a checked list in one transaction, or none when a row is wrong."""
    _check_manage(actor, organisation)
    parsed = schools_parse(organisation, rows)
    if any(row.errors for row in parsed):
        raise ValidationError(_("Niet elke regel is in orde; er is niets toegevoegd."))
    try:
        with transaction.atomic():
            return [
                school_add(
                    actor=actor,
                    organisation=organisation,
                    name=row.name,
                    number=row.number,
                    level=level,
                )
                for row in parsed
            ]
    except (IntegrityError, ValidationError):
        raise ValidationError(
            _("Iemand voegde intussen een school met dezelfde naam toe; er is niets toegevoegd.")
        ) from None


# -- signing up ------------------------------------------------------------------------------


def organisation_signup_record(*, user, name: str, kind: str, region: str) -> OrganisationSignup:
    """Keep what a new account asked for; nothing else exists until the address is verified."""
    signup = OrganisationSignup(user=user, name=name.strip(), kind=kind, region=region)
    signup.full_clean(exclude=["user", "organisation"])
    signup.save()
    return signup


def organisation_signup_fulfil(*, user) -> Organisation | None:
    """Once the address of a new account is verified: its organisation is made and the
    account becomes its beheerder (a single school gets its school right away). Runs once;
    an account without a sign-up (an invited one) gets nothing."""
    with transaction.atomic():
        signup = (
            OrganisationSignup.objects.select_for_update()
            .filter(user=user, fulfilled_at__isnull=True)
            .first()
        )
        if signup is None:
            return None
        organisation = organisation_create(name=signup.name, kind=signup.kind, region=signup.region)
        membership_grant(
            actor=None, user=user, organisation=organisation, school=None, role=Role.BEHEERDER
        )
        if signup.kind == OrganisationKind.SINGLE:
            school_create(organisation=organisation, name=signup.name, level="basis")
        signup.organisation = organisation
        signup.fulfilled_at = timezone.now()
        signup.save(update_fields=["organisation", "fulfilled_at"])
        audit_log(
            actor=user,
            organisation=organisation,
            kind="organisation.created",
            target=organisation.name,
            data={"kind": signup.kind, "region": signup.region, "by": "signup"},
        )
        return organisation


def organisation_start(
    *, name: str, kind: str, region: str, admin_email: str, request=None
) -> tuple[Organisation, object]:
    """For an operator: an organisation set up by someone else. The beheerder receives an
    invitation (they choose their own password; nobody else knows it)."""
    from teamwerk.accounts.services import invitation_create

    with transaction.atomic():
        organisation = organisation_create(name=name, kind=kind, region=region)
        if kind == OrganisationKind.SINGLE:
            school_create(organisation=organisation, name=name, level="basis")
        invitation = invitation_create(
            actor=None,
            organisation=organisation,
            school=None,
            email=admin_email,
            role=Role.BEHEERDER,
            request=request,
        )
        audit_log(
            organisation=organisation,
            kind="organisation.created",
            target=organisation.name,
            data={"kind": kind, "region": region, "by": "operator"},
        )
        return organisation, invitation


# -- a new school year -------------------------------------------------------------------------


def school_year_start_next(*, actor, school: School, from_year: SchoolYear) -> SchoolYear:
    """Start the next school year of a school from this one, in one transaction: the plan
    with its choices, the people with their hours, the trekkers and back-ups that were still
    running and the agreements. What next year already has is left alone; this year is not
    changed (it stays readable as it was)."""
    from teamwerk.planning.models import TaskPlan
    from teamwerk.planning.services import plan_copy_from_year
    from teamwerk.team.models import Agreement, Assignment
    from teamwerk.team.services import (
        AGREEMENT_FIELDS,
        _new_assignment,
        _save,
        agreement_create,
        availabilities_copy_from_year,
    )

    if school.pk not in scope_for(actor, Action.EDIT).schools and (
        school.organisation_id not in scope_for(actor, Action.EDIT).organisation_wide
    ):
        raise PermissionDenied
    if from_year.organisation_id != school.organisation_id:
        raise ValidationError(_("Dit schooljaar hoort niet bij de organisatie."))
    with transaction.atomic():
        to_year = school_year_ensure(
            organisation=school.organisation, start_year=from_year.start_year + 1
        )
        carried = {"plan": False, "people": 0, "assignments": 0, "agreements": 0}
        source = TaskPlan.objects.filter(school=school, school_year=from_year).first()
        exists = TaskPlan.objects.filter(school=school, school_year=to_year).exists()
        if source is not None and not exists:
            plan = plan_copy_from_year(actor=actor, source_plan=source, school_year=to_year)
            carried["plan"] = True
            new_items = {item.task_id: item for item in plan.items.all()}
            running = Assignment.objects.filter(
                planned_task__plan=source, person__active=True
            ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=from_year.ends_on))
            for old in running.select_related("planned_task", "person"):
                item = new_items.get(old.planned_task.task_id)
                if item is None:
                    continue
                _save(
                    _new_assignment(
                        item,
                        old.person,
                        old.role,
                        hours=old.hours,
                        mandate=old.mandate,
                        mandate_budget=old.mandate_budget,
                        mandate_note=old.mandate_note,
                        starts_on=to_year.starts_on,
                    ),
                    actor,
                    "copy",
                )
                carried["assignments"] += 1
        carried["people"] = availabilities_copy_from_year(
            actor=actor, school=school, from_year=from_year, to_year=to_year
        )
        if not Agreement.objects.filter(school=school, school_year=to_year).exists():
            for old in Agreement.objects.filter(school=school, school_year=from_year):
                fields = {
                    name: getattr(old, name)
                    for name in AGREEMENT_FIELDS
                    if name not in {"kind", "text", "agreed_on"}
                }
                if old.responsible is not None and not old.responsible.active:
                    fields["responsible"] = None
                agreement_create(
                    actor=actor,
                    school=school,
                    school_year=to_year,
                    kind=old.kind,
                    text=old.text,
                    agreed_on=old.agreed_on,
                    **fields,
                )
                carried["agreements"] += 1
        audit_log(
            actor=actor,
            organisation=school.organisation,
            kind="schoolyear.started",
            target=school.name,
            data={"from": str(from_year), "to": str(to_year), **carried},
        )
        return to_year
