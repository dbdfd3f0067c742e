"""Reads of organisations, schools and memberships, always scoped to the user."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet
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


# -- a new school year -------------------------------------------------------------------------


@dataclass
class YearPreview:
    """What starting ``to_year`` from ``from_year`` carries over for one school, and what
    someone has to look at afterwards."""

    school: School
    from_year: SchoolYear
    to_start: int
    plan_tasks: int = 0  # tasks of this year's plan that carry over with their choices
    plan_new_tasks: int = 0  # tasks new in the catalogue: join the plan, still to be decided
    plan_dropped: int = 0  # tasks the catalogue no longer offers
    plan_exists: bool = False  # next year already has a plan: the plan and trekkers stay
    has_plan: bool = False
    people: int = 0  # active people who keep their place and hours
    people_hours: Decimal = Decimal(0)
    people_inactive: int = 0  # people no longer active: not carried over
    people_placed: int = 0  # already placed in next year: left alone
    assignments: int = 0  # trekkers and back-ups that carry over
    assignments_ended: int = 0  # ended during this year: not carried over
    agreements: int = 0
    agreements_to_review: int = 0  # review date falls in the new year or has passed
    agreements_exist: bool = False

    @property
    def to_label(self) -> str:
        return f"{self.to_start}-{self.to_start + 1}"

    @property
    def anything(self) -> bool:
        return bool(self.has_plan or self.people or self.agreements)


def new_year_schools(user, organisation: Organisation) -> list[School]:
    """The schools whose next year this user may start (EDIT on the school)."""
    return list(
        School.objects.for_user(user, Action.EDIT)
        .active()
        .filter(organisation=organisation)
        .order_by("name")
    )


def new_year_preview(school: School, from_year: SchoolYear) -> YearPreview:
    """A fixed number of queries per school."""
    from teamwerk.catalogue.models import Task
    from teamwerk.planning.models import TaskPlan
    from teamwerk.team.models import Agreement, Assignment, Availability

    preview = YearPreview(school=school, from_year=from_year, to_start=from_year.start_year + 1)
    next_year = SchoolYear.objects.filter(
        organisation_id=school.organisation_id, start_year=preview.to_start
    ).first()
    plan = TaskPlan.objects.filter(school=school, school_year=from_year).first()
    preview.has_plan = plan is not None
    if next_year is not None:
        preview.plan_exists = TaskPlan.objects.filter(school=school, school_year=next_year).exists()
    if plan is not None:
        visible = set(
            Task.objects.visible_to_organisation(school.organisation).values_list("pk", flat=True)
        )
        in_plan = set(plan.items.values_list("task_id", flat=True))
        preview.plan_tasks = len(in_plan & visible)
        preview.plan_dropped = len(in_plan - visible)
        preview.plan_new_tasks = len(visible - in_plan)
        assignments = Assignment.objects.filter(planned_task__plan=plan)
        running = Q(ends_on__isnull=True) | Q(ends_on__gte=from_year.ends_on)
        preview.assignments = assignments.filter(running, person__active=True).count()
        preview.assignments_ended = assignments.count() - preview.assignments
    placed = set()
    if next_year is not None:
        placed = set(
            Availability.objects.filter(school=school, school_year=next_year).values_list(
                "person_id", flat=True
            )
        )
    for availability in Availability.objects.filter(
        school=school, school_year=from_year
    ).select_related("person"):
        if not availability.person.active:
            preview.people_inactive += 1
        elif availability.person_id in placed:
            preview.people_placed += 1
        else:
            preview.people += 1
            preview.people_hours += availability.hours_available
    agreements = Agreement.objects.filter(school=school, school_year=from_year)
    preview.agreements = agreements.count()
    preview.agreements_to_review = agreements.filter(
        review_on__lte=dt.date(preview.to_start + 1, 8, 31)
    ).count()
    if next_year is not None:
        preview.agreements_exist = Agreement.objects.filter(
            school=school, school_year=next_year
        ).exists()
    return preview


def school_year_overview(school: School, school_year: SchoolYear) -> dict:
    """A read-only look at one school year of a school: its people and hours, who leads which
    task and the agreements. Earlier years stay readable this way."""
    from teamwerk.planning.models import TaskPlan
    from teamwerk.team.models import Agreement, Assignment, Availability

    plan = TaskPlan.objects.filter(school=school, school_year=school_year).first()
    return {
        "plan": plan,
        "people": list(
            Availability.objects.filter(school=school, school_year=school_year)
            .select_related("person")
            .order_by("person__last_name", "person__first_name")
        ),
        "owners": list(
            Assignment.objects.filter(planned_task__plan=plan, role="owner")
            .select_related("person", "planned_task__task")
            .order_by("planned_task__task__code")
        )
        if plan
        else [],
        "agreements": list(
            Agreement.objects.filter(school=school, school_year=school_year).order_by("kind")
        ),
    }


def schools_of_organisation(organisation: Organisation) -> list[School]:
    """Every school of the organisation for its beheerder, archived ones last."""
    return list(School.objects.filter(organisation=organisation).order_by("archived_at", "name"))


# -- the setup checklist on the home page ------------------------------------------------------


@dataclass
class SetupItem:
    key: str
    label: str
    help: str
    url: str
    done: bool


@dataclass
class SetupChecklist:
    organisation: Organisation
    items: list[SetupItem]

    @property
    def done(self) -> int:
        return sum(item.done for item in self.items)

    @property
    def complete(self) -> bool:
        return all(item.done for item in self.items)

    @property
    def next_item(self) -> SetupItem | None:
        return next((item for item in self.items if not item.done), None)


def setup_checklist(user, organisation: Organisation | None) -> SetupChecklist | None:
    """The first steps of a new organisation, each ticked from the data, for whoever manages
    it; None once everything is done (or for anyone else). A fixed number of queries."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from teamwerk.accounts.models import Invitation
    from teamwerk.planning.models import TaskPlan
    from teamwerk.team.models import Availability

    if organisation is None or not user_can(
        user, Action.MANAGE_ORGANISATION, organisation=organisation
    ):
        return None
    year = current_school_year(organisation)
    schools = list(School.objects.active().filter(organisation=organisation))
    roles = set(
        Membership.objects.filter(
            organisation=organisation, role__in=[Role.DIRECTIE, Role.ICT]
        ).values_list("role", flat=True)
    ) | set(
        Invitation.objects.filter(
            organisation=organisation,
            role__in=[Role.DIRECTIE, Role.ICT],
            accepted_at__isnull=True,
            cancelled_at__isnull=True,
            declined_at__isnull=True,
            expires_at__gt=timezone.now(),
        ).values_list("role", flat=True)
    )
    school_ids = {s.pk for s in schools}
    with_people = set(
        Availability.objects.filter(school_id__in=school_ids, school_year=year).values_list(
            "school_id", flat=True
        )
    )
    with_plan = set(
        TaskPlan.objects.filter(school_id__in=school_ids, school_year=year).values_list(
            "school_id", flat=True
        )
    )
    terms = organisation.terms
    items = [
        SetupItem(
            "schools",
            _("Scholen toevoegen"),
            _("Eén voor één, of plak een lijst met naam en %(number)s.")
            % {"number": terms["school_number"]},
            reverse("schools"),
            bool(schools),
        ),
        SetupItem(
            "year",
            _("Schooljaar %(year)s: ICT-uren per school") % {"year": year},
            _("Hoeveel uren maakt elke school dit schooljaar vrij voor ICT-coördinatie?"),
            reverse("schools"),
            bool(schools) and all(s.ict_hours_available > 0 for s in schools),
        ),
        SetupItem(
            "invite",
            _("De directie en de ICT-coördinator uitnodigen"),
            _("Zij krijgen een mail met een link om hun account te maken."),
            reverse("members"),
            {Role.DIRECTIE, Role.ICT} <= roles,
        ),
        SetupItem(
            "people",
            _("Mensen inlezen"),
            _("Het team van elke school met hun ICT-uren, uit een Excel-bestand."),
            reverse("team_import"),
            bool(schools) and school_ids <= with_people,
        ),
        SetupItem(
            "plan",
            _("Het takenoverzicht starten vanuit de catalogus"),
            _("Per school: welke ICT-taken zijn van toepassing?"),
            reverse("plan_list"),
            bool(schools) and school_ids <= with_plan,
        ),
    ]
    checklist = SetupChecklist(organisation=organisation, items=items)
    return None if checklist.complete else checklist
