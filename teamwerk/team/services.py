"""Writes for the team. Every change goes through here: views, the import, the demo and the
optimiser (its accept path is ``distribution_apply``).

Rules kept here:
- pedagogical tasks only go to people with proof of pedagogical qualification (hard rule);
- a task has at most one trekker, and a back-up is never the trekker (also in the database);
- a save based on an old version is refused with ``ConcurrentChange``: nothing is lost, the
  caller shows both versions;
- hours over what a person has and tasks without trekker are allowed but shown as warnings
  (see selectors.task_notices / dashboard_figures).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from teamwerk.accounts.models import AuditEvent, User, normalise_email
from teamwerk.accounts.services import audit_log
from teamwerk.catalogue.models import Domain, Profile, Task
from teamwerk.core.limits import HOURS_PER_YEAR, MANDATE_BUDGET
from teamwerk.core.versions import ConcurrentChange, changed_meanwhile, check_version
from teamwerk.planning.models import PlannedTask
from teamwerk.tenancy.models import Organisation, School, SchoolYear
from teamwerk.tenancy.roles import Action
from teamwerk.tenancy.selectors import user_can
from teamwerk.tenancy.terms import active_terms

from .models import (
    Agreement,
    AgreementKind,
    Assignment,
    AssignmentRole,
    Availability,
    Competence,
    Mandate,
    Person,
)
from .selectors import is_distributable, may_assess, task_hours

MAX_HOURS = HOURS_PER_YEAR.high


def _changed_meanwhile() -> str:
    return changed_meanwhile()


# ------------------------------------------------------------------------------- scope


def _require_edit_school(actor, school: School | None, organisation: Organisation) -> None:
    """The actor may change the team of this school (or, without a school, organisation-wide)."""
    if actor is None:  # the system: demo seeder, checked imports
        return
    allowed = (
        user_can(actor, Action.EDIT, school=school)
        if school is not None
        else user_can(actor, Action.EDIT, organisation=organisation)
    )
    if not allowed:
        raise PermissionDenied


def _locked_planned_task(actor, planned_task: PlannedTask) -> PlannedTask:
    """Re-read the task inside the transaction with a row lock: two people changing the same
    task's distribution are served one after the other."""
    queryset = PlannedTask.objects.all()
    if actor is not None:
        queryset = PlannedTask.objects.for_user(actor, Action.EDIT)
    try:
        locked = queryset.select_for_update(of=("self",)).get(pk=planned_task.pk)
    except PlannedTask.DoesNotExist:
        raise PermissionDenied from None
    return PlannedTask.objects.select_related("task__domain", "plan__school_year", "school").get(
        pk=locked.pk
    )


def _fmt(value) -> str:
    text = f"{Decimal(value).normalize():f}"
    return text.replace(".", ",")


# ------------------------------------------------------------------------------ people


def _clean_email(email: str) -> str:
    email = normalise_email(email)
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationError(
                {"email": _("‘%(email)s’ is geen geldig e-mailadres.") % {"email": email}}
            )
    return email


def _check_unique_email(
    organisation: Organisation, email: str, *, exclude_pk=None, school: School | None = None
) -> None:
    """One person per address in the organisation. Someone of another school is not named:
    only who already reads their data can add them to this school (see importer.match_rows)."""
    if not email:
        return
    clash = Person.objects.filter(organisation=organisation, email=email).exclude(pk=exclude_pk)
    other = clash.first()
    if (
        other is not None
        and school is not None
        and not Availability.objects.filter(person=other, school=school).exists()
    ):
        from .importer import other_school_message

        raise ValidationError({"email": other_school_message(email)})
    if other is not None:
        raise ValidationError(
            {
                "email": _("%(name)s staat al in de teamlijst met het e-mailadres %(email)s.")
                % {"name": other.full_name, "email": email}
            }
        )


def _check_hours(hours) -> Decimal:
    try:
        hours = Decimal(hours)
    except (TypeError, ArithmeticError, ValueError):
        raise ValidationError(_("Uren moeten een getal zijn."))
    if not hours.is_finite():
        raise ValidationError(HOURS_PER_YEAR.message())
    if hours < 0:
        raise ValidationError(_("Uren kunnen niet negatief zijn."))
    if hours > MAX_HOURS:
        raise ValidationError(
            _("Meer dan %(max)s uur per jaar kan niet kloppen.") % {"max": _fmt(MAX_HOURS)}
        )
    return HOURS_PER_YEAR.validate(hours)


def person_create(
    *,
    actor,
    organisation: Organisation,
    school: School,
    school_year: SchoolYear,
    first_name: str,
    last_name: str,
    email: str = "",
    job_title: str = "",
    profile: Profile | None = None,
    pedagogically_qualified: bool = False,
    external: bool = False,
    active: bool = True,
    hours_available=Decimal("0"),
) -> Person:
    """A new person in the team list of a school, with their ICT hours for the school year.
    No account is linked here: an address never decides who someone is (see
    ``person_link_user``)."""
    if school.organisation_id != organisation.pk or school_year.organisation_id != organisation.pk:
        raise ValidationError(_("Deze school hoort niet bij de organisatie."))
    _require_edit_school(actor, school, organisation)
    email = _clean_email(email)
    hours_available = _check_hours(hours_available)
    with transaction.atomic():
        _check_unique_email(organisation, email, school=school)
        person = Person(
            organisation=organisation,
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            email=email,
            job_title=job_title.strip(),
            profile=profile,
            pedagogically_qualified=pedagogically_qualified,
            external=external,
            active=active,
        )
        person.full_clean()
        person._history_user = actor
        person.save()
        _availability_save(
            actor=actor,
            person=person,
            school=school,
            school_year=school_year,
            hours_available=hours_available,
        )
        return person


PERSON_FIELDS = {
    "first_name",
    "last_name",
    "email",
    "job_title",
    "profile",
    "pedagogically_qualified",
    "external",
    "active",
}


def person_update(
    *,
    actor,
    person: Person,
    school: School,
    school_year: SchoolYear,
    hours_available=None,
    expected_version: int | None = None,
    **fields,
) -> Person:
    """Change a person's details (and their ICT hours at this school this year).

    ``expected_version`` is the version the form was filled in on (None = no check, for the
    system); a stale one raises ``ConcurrentChange`` with the stored person.

    Removing the proof of pedagogical qualification, or making someone inactive, is refused
    while they still hold tasks that would then break the rules."""
    unknown = set(fields) - PERSON_FIELDS
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    _require_edit_school(actor, school, person.organisation)
    if (
        actor is not None
        and not Person.objects.for_user(actor, Action.EDIT).filter(pk=person.pk).exists()
    ):
        raise PermissionDenied
    if "email" in fields:
        fields["email"] = _clean_email(fields["email"])
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        if expected_version is not None:
            check_version(person.version, expected_version, current=person)
        if "email" in fields and fields["email"] != person.email:
            # A new address changes nothing about which account is this person's.
            _check_unique_email(
                person.organisation, fields["email"], exclude_pk=person.pk, school=school
            )
        held = Assignment.objects.filter(person=person).select_related("planned_task__task")
        if fields.get("pedagogically_qualified") is False and person.pedagogically_qualified:
            pedagogical = [
                a.planned_task.task.code
                for a in held
                if a.planned_task.task.needs_pedagogical_qualification
            ]
            if pedagogical:
                raise ValidationError(
                    {
                        "pedagogically_qualified": _(
                            "%(name)s heeft taken waarvoor een %(qualification)s nodig is "
                            "(%(tasks)s). Geef die eerst aan iemand anders."
                        )
                        % {
                            "name": person.full_name,
                            "tasks": ", ".join(sorted(pedagogical)),
                            "qualification": active_terms()["qualification"],
                        }
                    }
                )
        if fields.get("active") is False and person.active and held.exists():
            raise ValidationError(
                {
                    "active": _(
                        "%(name)s is nog trekker of back-up van %(count)s taken. Geef die eerst "
                        "aan iemand anders."
                    )
                    % {"name": person.full_name, "count": held.count()}
                }
            )
        for name, value in fields.items():
            setattr(person, name, value.strip() if isinstance(value, str) else value)
        person.version += 1
        person.full_clean()
        person._history_user = actor
        person.save()
        if hours_available is not None:
            _availability_save(
                actor=actor,
                person=person,
                school=school,
                school_year=school_year,
                hours_available=_check_hours(hours_available),
            )
        return person


def availability_set(
    *, actor, person: Person, school: School, school_year: SchoolYear, hours_available
) -> Availability:
    """Give a person a place in a school for a school year, with their ICT hours there."""
    _require_edit_school(actor, school, person.organisation)
    if school.organisation_id != person.organisation_id:
        raise ValidationError(_("Deze school hoort niet bij de organisatie."))
    with transaction.atomic():
        return _availability_save(
            actor=actor,
            person=person,
            school=school,
            school_year=school_year,
            hours_available=_check_hours(hours_available),
        )


def availabilities_copy_from_year(
    *, actor, school: School, from_year: SchoolYear, to_year: SchoolYear
) -> int:
    """A new school year starts with last year's team of the school: every active person gets
    the same place and ICT hours again (people already placed this year are left alone).
    Returns how many people were placed."""
    _require_edit_school(actor, school, school.organisation)
    if from_year.pk == to_year.pk:
        raise ValidationError(_("Kies een ander schooljaar om van over te nemen."))
    with transaction.atomic():
        placed = set(
            Availability.objects.filter(school=school, school_year=to_year).values_list(
                "person_id", flat=True
            )
        )
        count = 0
        for previous in Availability.objects.filter(
            school=school, school_year=from_year, person__active=True
        ).select_related("person"):
            if previous.person_id in placed:
                continue
            _availability_save(
                actor=actor,
                person=previous.person,
                school=school,
                school_year=to_year,
                hours_available=previous.hours_available,
            )
            count += 1
        return count


def _availability_save(*, actor, person, school, school_year, hours_available) -> Availability:
    availability = Availability.objects.filter(
        person=person, school=school, school_year=school_year
    ).first()
    if availability is not None and availability.hours_available == hours_available:
        return availability
    if availability is None:
        availability = Availability(
            organisation_id=person.organisation_id,
            person=person,
            school=school,
            school_year=school_year,
        )
    availability.hours_available = hours_available
    availability._history_user = actor
    availability.save()
    return availability


def _check_may_link(actor, person: Person) -> None:
    from .selectors import may_link_account

    if actor is not None and not may_link_account(actor, person):
        raise PermissionDenied


def person_link_user(*, actor, person: Person, user: User, invitation=None) -> Person:
    """Link an account to a person of the team list: a deliberate act of someone who already
    reads the person's ratings (directie or ICT coordinator of a school the person works in,
    or with that role for the whole organisation), or the acceptance of an invitation made
    for this person (``actor`` None, ``invitation`` given). The account must belong to a
    member of the person's organisation. Never decided by an e-mail address."""
    from teamwerk.accounts.services import audit_log
    from teamwerk.tenancy.models import Membership

    _check_may_link(actor, person)
    if (
        not user.is_active
        or not Membership.objects.filter(user=user, organisation_id=person.organisation_id).exists()
    ):
        raise ValidationError(_("Dit account is geen lid van de organisatie."))
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        if person.user_id == user.pk:
            return person
        if person.user_id is not None:
            raise ValidationError(_("Deze persoon is al aan een ander account gekoppeld."))
        if Person.objects.filter(organisation=person.organisation, user=user).exists():
            raise ValidationError(_("Dit account hoort al bij iemand anders in de teamlijst."))
        person.user = user
        person._history_user = actor or user
        person.save(update_fields=["user", "updated_at"])
        audit_log(
            actor=actor or user,
            organisation=person.organisation,
            kind="person.linked",
            target=user.email,
            data={
                "person": person.pk,
                "how": "invitation" if invitation is not None else "by_hand",
            },
        )
        return person


def person_unlink_user(*, actor, person: Person) -> Person:
    """Undo the link between a person and their account (audited); their ratings stay."""
    from teamwerk.accounts.services import audit_log

    _check_may_link(actor, person)
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        if person.user_id is None:
            return person
        email = User.objects.get(pk=person.user_id).email
        person.user = None
        person._history_user = actor
        person.save(update_fields=["user", "updated_at"])
        audit_log(
            actor=actor,
            organisation=person.organisation,
            kind="person.unlinked",
            target=email,
            data={"person": person.pk},
        )
        return person


def person_invite(*, actor, person: Person, school: School, request=None):
    """Invite the person as teamlid of the school, so they can sign in and fill in their own
    expertise. The invitation is made for this person: accepting it links the account that
    accepts it (an existing account after signing in as usual)."""
    from teamwerk.accounts.services import invitation_create

    if person.user_id is not None:
        raise ValidationError(_("%(name)s heeft al een account.") % {"name": person.full_name})
    if not person.email:
        raise ValidationError(
            _("Vul eerst een e-mailadres in voor %(name)s.") % {"name": person.full_name}
        )
    return invitation_create(
        actor=actor,
        organisation=person.organisation,
        school=school,
        email=person.email,
        role="teamlid",
        person=person,
        request=request,
    )


# -------------------------------------------------------------------------- competences


@dataclass(frozen=True)
class CompetenceEntry:
    """One answer on the expertise page; expertise and motivation None = not filled in."""

    domain: Domain
    task: Task | None
    expertise: int | None
    motivation: int | None
    development_wish: str = ""


def competences_save(
    *,
    actor,
    person: Person,
    entries: Iterable[CompetenceEntry],
    expected_version: int | None = None,
) -> int:
    """Save a person's expertise and motivation in one go; returns how many answers changed.

    ``expected_version`` is the person's ``ratings_version`` the page was filled in on (None =
    no check, for the system); a stale one raises ``ConcurrentChange`` and changes nothing.

    The person themself, or directie / ICT of their school, may do this; who did it is kept
    (``set_by``, ``set_by_self``) and shown next to each answer."""
    if actor is not None and not may_assess(actor, person):
        raise PermissionDenied
    entries = list(entries)
    for entry in entries:
        if (entry.expertise is None) != (entry.motivation is None):
            raise ValidationError(
                _("Vul bij %(what)s zowel kennis als motivatie in, of geen van beide.")
                % {"what": entry.task.code if entry.task else entry.domain.name}
            )
        for value in (entry.expertise, entry.motivation):
            if value is not None and not 0 <= int(value) <= 3:
                raise ValidationError(_("Kies een waarde van 0 tot 3."))
        if entry.task is not None and entry.task.domain_id != entry.domain.pk:
            raise ValidationError(_("Deze taak hoort niet bij dit domein."))
    by_self = actor is not None and person.user_id == actor.pk
    changed = 0
    with transaction.atomic():
        locked = Person.objects.select_for_update().get(pk=person.pk)
        if expected_version is not None:
            check_version(locked.ratings_version, expected_version, current=locked)
        existing = {
            (c.domain_id, c.task_id): c
            for c in Competence.objects.select_for_update().filter(person=person).order_by()
        }
        for entry in entries:
            key = (entry.domain.pk, entry.task.pk if entry.task else None)
            current = existing.get(key)
            wish = (entry.development_wish or "").strip()
            if entry.expertise is None:
                if current is not None and not wish:
                    current._history_user = actor
                    current.delete()
                    changed += 1
                elif current is not None and current.development_wish != wish:
                    current.development_wish = wish
                    _competence_save(current, actor, by_self)
                    changed += 1
                continue
            if current is None:
                current = Competence(
                    organisation_id=person.organisation_id,
                    person=person,
                    domain=entry.domain,
                    task=entry.task,
                )
            elif (
                current.expertise == entry.expertise
                and current.motivation == entry.motivation
                and current.development_wish == wish
            ):
                continue
            current.expertise = int(entry.expertise)
            current.motivation = int(entry.motivation)
            current.development_wish = wish
            _competence_save(current, actor, by_self)
            changed += 1
        if changed:
            # One version for all of the person's answers: the next stale page is refused.
            Person.objects.filter(pk=person.pk).update(ratings_version=F("ratings_version") + 1)
        if changed:
            audit_log(
                actor=actor,
                organisation=person.organisation,
                kind="ratings.changed",
                target=person.full_name,
                data={"person": person.pk, "answers": changed, "by_self": by_self},
            )
    return changed


def _competence_save(competence: Competence, actor, by_self: bool) -> None:
    competence.set_by = actor
    competence.set_by_self = by_self
    competence._history_user = actor
    competence.full_clean(exclude=["person", "organisation", "domain", "task"])
    competence.save()


def ratings_viewed_record(*, actor, person_ids) -> int:
    """Audit that ``actor`` saw the ratings of these people: one ``ratings.viewed`` event per
    reader, person and day (a board asks who looked, not how often), in the organisation of
    the person. The reader's own ratings are not recorded. Returns how many were added."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return 0
    wanted = {int(pid) for pid in person_ids}
    if not wanted:
        return 0
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    seen = set(
        AuditEvent.objects.filter(
            actor=actor,
            kind="ratings.viewed",
            created_at__gte=today,
            data__person__in=sorted(wanted),
        ).values_list("data__person", flat=True)
    )
    missing = wanted - {int(pid) for pid in seen if pid is not None}
    if not missing:
        return 0
    people = Person.objects.filter(pk__in=missing).exclude(user=actor).order_by("pk")
    events = [
        AuditEvent(
            actor=actor,
            organisation_id=person.organisation_id,
            kind="ratings.viewed",
            target=person.full_name[:255],
            data={"person": person.pk},
        )
        for person in people.only("pk", "organisation_id", "first_name", "last_name")
    ]
    AuditEvent.objects.bulk_create(events)
    return len(events)


# ------------------------------------------------------------------------- assignments


def _check_person_for_task(person: Person, planned_task: PlannedTask) -> None:
    if person.organisation_id != planned_task.organisation_id:
        raise ValidationError(_("Deze persoon hoort niet bij de organisatie."))
    if not person.active:
        raise ValidationError(
            _("%(name)s is niet meer actief en kan geen taken krijgen.")
            % {"name": person.full_name}
        )
    if planned_task.task.needs_pedagogical_qualification and not person.pedagogically_qualified:
        raise ValidationError(
            _("%(task)s %(needs)s, en %(name)s heeft dat niet. Kies iemand die %(qualified)s is.")
            % {
                "task": planned_task.task.code,
                "name": person.full_name,
                "needs": active_terms()["needs_qualification"],
                "qualified": active_terms()["qualified"],
            }
        )


def _check_distributable(planned_task: PlannedTask) -> None:
    if not is_distributable(planned_task):
        raise ValidationError(
            _(
                "Deze taak wordt dit jaar niet door het eigen team gedaan (zie het "
                "takenoverzicht), dus je kunt ze niet verdelen."
            )
        )


def _default_start(planned_task: PlannedTask) -> dt.date:
    """Today, kept inside the plan's school year."""
    year = planned_task.plan.school_year
    today = timezone.localdate()
    if year.starts_on <= today <= year.ends_on:
        return today
    return year.starts_on


def _check_mandate(mandate: str, budget) -> Decimal | None:
    if mandate not in Mandate.values:
        raise ValidationError(_("Kies een mandaat uit de lijst."))
    if mandate != Mandate.BUDGET:
        return None
    if budget in (None, ""):
        raise ValidationError(
            {"mandate_budget": _("Vul het budget in waarbinnen deze persoon zelf beslist.")}
        )
    return MANDATE_BUDGET.validate(budget, field="mandate_budget")


def _check_period(starts_on: dt.date, ends_on: dt.date | None) -> None:
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": _("De einddatum ligt voor de begindatum.")})


def _save(assignment: Assignment, actor, reason: str = "") -> None:
    assignment._history_user = actor
    if reason:
        assignment._change_reason = reason
    assignment.save()


def _delete(assignment: Assignment, actor, reason: str = "") -> None:
    assignment._history_user = actor
    if reason:
        assignment._change_reason = reason
    assignment.delete()


def _new_assignment(planned_task, person, role, **values) -> Assignment:
    return Assignment(
        organisation_id=planned_task.organisation_id,
        school_id=planned_task.school_id,
        planned_task=planned_task,
        person=person,
        role=role,
        **values,
    )


def _save_new(assignment: Assignment, actor, reason: str = "") -> None:
    """Save a new assignment; a clash with one saved meanwhile is a concurrent change."""
    try:
        with transaction.atomic():
            _save(assignment, actor, reason)
    except IntegrityError:
        raise ConcurrentChange(_integrity_message()) from None


def _integrity_message() -> str:
    return _(
        "Iemand anders heeft de verdeling van deze taak intussen gewijzigd. Er is niets "
        "overschreven; bekijk de huidige stand en probeer opnieuw."
    )


def assignment_set_owner(
    *,
    actor,
    planned_task: PlannedTask,
    person: Person,
    hours=None,
    mandate: str | None = None,
    mandate_budget=None,
    mandate_note: str | None = None,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    expected_version: int | None = None,
    reason: str = "",
) -> Assignment:
    """Make ``person`` the trekker of the task. A back-up who becomes trekker stops being
    back-up; a previous trekker steps down (and loses the task).

    Values left None keep what the person already has, or get a sensible default for a new
    trekker: the task's hours, mandate "carries out", starting today.
    ``expected_version`` is the version of the trekker's assignment the caller saw (0 = "I saw
    no trekker"); None skips that check."""
    if mandate is not None:
        mandate_budget = _check_mandate(mandate, mandate_budget)
    with transaction.atomic():
        planned_task = _locked_planned_task(actor, planned_task)
        _check_distributable(planned_task)
        _check_person_for_task(person, planned_task)
        held = {a.person_id: a for a in Assignment.objects.filter(planned_task=planned_task)}
        owner = next((a for a in held.values() if a.role == AssignmentRole.OWNER), None)
        if expected_version is not None and (owner.version if owner else 0) != expected_version:
            raise ConcurrentChange(_changed_meanwhile(), current=owner)
        if owner is not None and owner.person_id == person.pk:
            assignment = owner
            assignment.version += 1
        else:
            if owner is not None:
                _delete(owner, actor, reason)
            assignment = held.get(person.pk)
            if assignment is None:
                assignment = _new_assignment(
                    planned_task,
                    person,
                    AssignmentRole.OWNER,
                    starts_on=_default_start(planned_task),
                )
            else:
                assignment.role = AssignmentRole.OWNER
                assignment.version += 1
            # A new trekker carries the task's hours unless told otherwise.
            assignment.hours = task_hours(planned_task)
            assignment.mandate = Mandate.EXECUTES
            assignment.mandate_budget = None
        if hours is not None:
            assignment.hours = _check_hours(hours)
        if mandate is not None:
            assignment.mandate = mandate
            assignment.mandate_budget = mandate_budget
        if mandate_note is not None:
            assignment.mandate_note = mandate_note.strip()
        if starts_on is not None:
            assignment.starts_on = starts_on
        if ends_on is not None:
            assignment.ends_on = ends_on
        _check_period(assignment.starts_on, assignment.ends_on)
        _save_new(assignment, actor, reason)
        return assignment


def assignment_add_backup(
    *,
    actor,
    planned_task: PlannedTask,
    person: Person,
    hours=0,
    starts_on: dt.date | None = None,
    reason: str = "",
) -> Assignment:
    """Add a back-up to the task; the trekker can never be its own back-up."""
    with transaction.atomic():
        planned_task = _locked_planned_task(actor, planned_task)
        _check_distributable(planned_task)
        _check_person_for_task(person, planned_task)
        current = Assignment.objects.filter(planned_task=planned_task, person=person).first()
        if current is not None and current.role == AssignmentRole.OWNER:
            raise ValidationError(
                _(
                    "%(name)s is al trekker van deze taak. Een back-up moet iemand anders zijn, "
                    "zodat de taak doorgaat als de trekker uitvalt."
                )
                % {"name": person.full_name}
            )
        if current is not None:
            return current
        assignment = _new_assignment(
            planned_task,
            person,
            AssignmentRole.BACKUP,
            hours=_check_hours(hours or 0),
            mandate=Mandate.EXECUTES,
            starts_on=starts_on or _default_start(planned_task),
        )
        _save_new(assignment, actor, reason)
        return assignment


def assignment_update(
    *,
    actor,
    assignment: Assignment,
    hours,
    mandate: str,
    mandate_budget=None,
    mandate_note: str = "",
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    expected_version: int | None = None,
) -> Assignment:
    """Change hours, mandate or period of one assignment (optimistic: ``expected_version``)."""
    hours = _check_hours(hours)
    mandate_budget = _check_mandate(mandate, mandate_budget)
    _check_period(starts_on, ends_on)
    with transaction.atomic():
        _locked_planned_task(actor, assignment.planned_task)
        current = Assignment.objects.select_for_update().filter(pk=assignment.pk).order_by().first()
        if current is None:
            raise ConcurrentChange(
                _("Deze toewijzing bestaat niet meer: iemand heeft ze intussen weggehaald.")
            )
        if expected_version is not None and current.version != expected_version:
            raise ConcurrentChange(_changed_meanwhile(), current=current)
        current.hours = hours
        current.mandate = mandate
        current.mandate_budget = mandate_budget
        current.mandate_note = mandate_note.strip()
        current.starts_on = starts_on
        current.ends_on = ends_on
        current.version += 1
        _save(current, actor)
        return current


def assignment_remove(
    *, actor, assignment: Assignment, expected_version: int | None = None, reason: str = ""
) -> None:
    with transaction.atomic():
        _locked_planned_task(actor, assignment.planned_task)
        current = Assignment.objects.select_for_update().filter(pk=assignment.pk).order_by().first()
        if current is None:
            return  # already gone: the result the caller wanted
        if expected_version is not None and current.version != expected_version:
            raise ConcurrentChange(_changed_meanwhile(), current=current)
        _delete(current, actor, reason)


def assignment_set_role(
    *,
    actor,
    planned_task: PlannedTask,
    person: Person,
    role: str | None,
    expected_token: str | None = None,
) -> Assignment | None:
    """What a click in the matrix does: make the person trekker, back-up, or take them off.

    ``expected_token`` is the task's distribution as the user saw it
    (selectors.distribution_token); if anybody changed the task since, nothing is changed."""
    from .selectors import distribution_token

    if role not in (AssignmentRole.OWNER, AssignmentRole.BACKUP, None, ""):
        raise ValidationError(_("Onbekende rol."))
    with transaction.atomic():
        planned_task = _locked_planned_task(actor, planned_task)
        held = list(Assignment.objects.filter(planned_task=planned_task))
        if expected_token is not None and distribution_token(held) != expected_token:
            raise ConcurrentChange(_integrity_message())
        current = next((a for a in held if a.person_id == person.pk), None)
        if not role:
            if current is not None:
                _delete(current, actor)
            return None
        if current is not None and current.role == role:
            return current
        if role == AssignmentRole.OWNER:
            return assignment_set_owner(actor=actor, planned_task=planned_task, person=person)
        # trekker -> back-up: the task is left without trekker (shown as a warning), and the
        # task's hours go with the trekker role.
        if current is not None:
            _check_person_for_task(person, planned_task)
            current.role = AssignmentRole.BACKUP
            current.hours = Decimal("0")
            current.version += 1
            _save(current, actor)
            return current
        return assignment_add_backup(actor=actor, planned_task=planned_task, person=person)


def distribution_apply(
    *,
    actor,
    planned_task: PlannedTask,
    owner: Person | None,
    backups: Iterable[Person],
    hours=None,
    mandate: str | None = None,
    reason: str = "",
) -> list[Assignment]:
    """Replace the trekker and back-ups of one task in one transaction (the optimiser's accept
    path). People who keep their role keep their hours, mandate and period; ``hours`` and
    ``mandate`` change the trekker's. All or nothing: any broken rule changes nothing."""
    backups = list(backups)
    backup_ids = [p.pk for p in backups]
    if len(set(backup_ids)) != len(backup_ids):
        raise ValidationError(_("Iemand staat twee keer als back-up."))
    if owner is not None and owner.pk in backup_ids:
        raise ValidationError(
            _("%(name)s kan niet tegelijk trekker en back-up zijn.") % {"name": owner.full_name}
        )
    if mandate is not None and mandate not in Mandate.values:
        raise ValidationError(_("Kies een mandaat uit de lijst."))
    with transaction.atomic():
        planned_task = _locked_planned_task(actor, planned_task)
        wanted = ([owner] if owner is not None else []) + backups
        if wanted:
            _check_distributable(planned_task)
        for person in wanted:
            _check_person_for_task(person, planned_task)
        held = {a.person_id: a for a in Assignment.objects.filter(planned_task=planned_task)}
        keep_ids = {p.pk for p in wanted}
        # Remove first, so the one-trekker and one-role rules hold at every step.
        for person_id, assignment in list(held.items()):
            if person_id not in keep_ids:
                _delete(assignment, actor, reason)
                del held[person_id]
        previous_owner = next((a for a in held.values() if a.role == AssignmentRole.OWNER), None)
        if previous_owner is not None and (owner is None or previous_owner.person_id != owner.pk):
            # The task's hours go with the trekker role; a back-up starts without.
            previous_owner.role = AssignmentRole.BACKUP
            previous_owner.hours = Decimal("0")
            previous_owner.version += 1
            _save(previous_owner, actor, reason)
        result = []
        if owner is not None:
            assignment = held.get(owner.pk)
            if assignment is None:
                assignment = _new_assignment(
                    planned_task,
                    owner,
                    AssignmentRole.OWNER,
                    hours=task_hours(planned_task) if hours is None else _check_hours(hours),
                    mandate=mandate or Mandate.EXECUTES,
                    starts_on=_default_start(planned_task),
                )
                _save(assignment, actor, reason)
            else:
                changed = assignment.role != AssignmentRole.OWNER
                assignment.role = AssignmentRole.OWNER
                if hours is not None:
                    changed |= assignment.hours != _check_hours(hours)
                    assignment.hours = _check_hours(hours)
                elif assignment.hours == 0:
                    assignment.hours = task_hours(planned_task)
                    changed = True
                if mandate is not None and mandate != assignment.mandate:
                    assignment.mandate = mandate
                    if mandate != Mandate.BUDGET:
                        assignment.mandate_budget = None
                    changed = True
                if changed:
                    assignment.version += 1
                    _save(assignment, actor, reason)
            result.append(assignment)
        for person in backups:
            assignment = held.get(person.pk)
            if assignment is None:
                assignment = _new_assignment(
                    planned_task,
                    person,
                    AssignmentRole.BACKUP,
                    hours=Decimal("0"),
                    mandate=Mandate.EXECUTES,
                    starts_on=_default_start(planned_task),
                )
                _save(assignment, actor, reason)
            elif assignment.role != AssignmentRole.BACKUP:
                assignment.role = AssignmentRole.BACKUP
                assignment.version += 1
                _save(assignment, actor, reason)
            result.append(assignment)
        return result


# -------------------------------------------------------------------------- agreements


AGREEMENT_FIELDS = {
    "kind",
    "text",
    "documentation_location",
    "meeting_rhythm",
    "channel",
    "agreed_on",
    "review_on",
    "responsible",
}


def _clean_agreement(agreement: Agreement) -> None:
    if agreement.kind != AgreementKind.DOCUMENTATION:
        agreement.documentation_location = ""
    if agreement.kind != AgreementKind.ORGANISATION:
        agreement.meeting_rhythm = ""
        agreement.channel = ""
    agreement.text = (agreement.text or "").strip()
    if agreement.review_on and agreement.agreed_on and agreement.review_on < agreement.agreed_on:
        raise ValidationError(
            {"review_on": _("De datum om de afspraak te herbekijken ligt voor de afspraakdatum.")}
        )
    responsible = agreement.responsible
    if responsible is not None and responsible.organisation_id != agreement.organisation_id:
        raise ValidationError({"responsible": _("Deze persoon hoort niet bij de organisatie.")})
    agreement.full_clean()


def agreement_create(
    *, actor, school: School, school_year: SchoolYear, kind: str, text: str, agreed_on, **fields
) -> Agreement:
    unknown = set(fields) - AGREEMENT_FIELDS
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    _require_edit_school(actor, school, school.organisation)
    with transaction.atomic():
        agreement = Agreement(
            organisation_id=school.organisation_id,
            school=school,
            school_year=school_year,
            kind=kind,
            text=text,
            agreed_on=agreed_on,
            **fields,
        )
        _clean_agreement(agreement)
        agreement._history_user = actor
        agreement.save()
        return agreement


def agreement_update(
    *, actor, agreement: Agreement, expected_version: int | None = None, **fields
) -> Agreement:
    unknown = set(fields) - AGREEMENT_FIELDS
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    _require_edit_school(actor, agreement.school, agreement.organisation)
    with transaction.atomic():
        current = Agreement.objects.select_for_update().filter(pk=agreement.pk).first()
        if current is None:
            raise ConcurrentChange(_("Deze afspraak bestaat niet meer."))
        if expected_version is not None and current.version != expected_version:
            raise ConcurrentChange(_changed_meanwhile(), current=current)
        for name, value in fields.items():
            setattr(current, name, value)
        _clean_agreement(current)
        current.version += 1
        current._history_user = actor
        current.save()
        return current


def agreement_delete(*, actor, agreement: Agreement, expected_version: int | None = None) -> None:
    _require_edit_school(actor, agreement.school, agreement.organisation)
    with transaction.atomic():
        current = Agreement.objects.select_for_update().filter(pk=agreement.pk).first()
        if current is None:
            return
        if expected_version is not None and current.version != expected_version:
            raise ConcurrentChange(_changed_meanwhile(), current=current)
        current._history_user = actor
        current.delete()


# ------------------------------------------------------------------------------ import


def people_import_apply(
    *, actor, school: School, school_year: SchoolYear, rows, filename: str = ""
) -> dict:
    """Write checked import rows (importer.PersonRow) in one transaction: a row whose e-mail
    address belongs to someone who works in this school updates that person, an unknown
    address (also one of another organisation) is a new person, and someone of another
    school of the organisation is attached only by a user who already reads their ratings
    (``importer.match_rows``); any other row is refused. Any error rolls everything back.
    The import is audited in the organisation (``people.imported``)."""
    from .importer import Match, RowError, match_rows

    organisation = school.organisation
    _require_edit_school(actor, school, organisation)
    profiles = {p.code: p for p in Profile.objects.all()}
    created = updated = attached = 0
    with transaction.atomic():
        matches, refused = match_rows(actor=actor, school=school, rows=rows)
        if refused:
            raise RowError(refused[0].row, refused[0].message)
        existing = {
            p.email: p
            for p in Person.objects.filter(
                organisation=organisation, email__in=[r.email for r in rows if r.email]
            )
        }
        for row in rows:
            values = {
                "first_name": row.first_name,
                "last_name": row.last_name,
                "job_title": row.job_title,
                "profile": profiles.get(row.profile_code) if row.profile_code else None,
                "pedagogically_qualified": row.pedagogically_qualified,
                "external": row.external,
            }
            match = matches[row.row]
            try:
                if match == Match.NEW:
                    person_create(
                        actor=actor,
                        organisation=organisation,
                        school=school,
                        school_year=school_year,
                        email=row.email,
                        hours_available=row.hours_available,
                        **values,
                    )
                    created += 1
                elif match == Match.ATTACH:
                    # Someone of another school, added on purpose by who reads their ratings:
                    # a place (and hours) in this school; their details stay as they are.
                    availability_set(
                        actor=actor,
                        person=existing[row.email],
                        school=school,
                        school_year=school_year,
                        hours_available=row.hours_available,
                    )
                    attached += 1
                else:
                    person_update(
                        actor=actor,
                        person=existing[row.email],
                        school=school,
                        school_year=school_year,
                        hours_available=row.hours_available,
                        **values,
                    )
                    updated += 1
            except ValidationError as error:
                raise RowError(row.row, " ".join(error.messages)) from None
        counts = {"created": created, "updated": updated, "attached": attached}
        audit_log(
            actor=actor,
            organisation=organisation,
            kind="people.imported",
            target=f"{school.name} · {school_year}",
            data={"school": school.pk, "rows": len(rows), **counts, "file": filename[:100]},
        )
    return counts
