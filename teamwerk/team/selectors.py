"""Reads for the team: scoped to the user, and plain data for the dashboard and the optimiser.

Public API for other modules (the optimiser reads through these, never through the ORM):

- ``team_snapshot(school, school_year)``: the people, tasks, skills and current distribution
  of one school as frozen dataclasses.
- ``dashboard_figures(school, school_year)`` / ``organisation_figures(user, organisation)``.
- ``people_for_school(user, school, school_year)``, ``person_get``, ``planned_task_get``,
  ``distribution_as_of(user, school, when)``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext as _

from teamwerk.catalogue.models import Domain
from teamwerk.core.figures import RECRUIT_OR_OUTSOURCE, TEAM_WORK, counts_for_team, task_hours
from teamwerk.core.sensitive import mark_sensitive
from teamwerk.planning.models import PlannedTask, TaskPlan
from teamwerk.tenancy.models import School, SchoolYear
from teamwerk.tenancy.querysets import scope_for
from teamwerk.tenancy.roles import Action
from teamwerk.tenancy.selectors import current_school_year, user_can
from teamwerk.tenancy.terms import active_terms

from .models import (
    SOLID_EXPERTISE,
    Agreement,
    Assignment,
    AssignmentRole,
    Availability,
    Competence,
    Person,
)

ZERO = Decimal("0")
DECIMAL_ZERO = Value(ZERO)

# What counts as work for the own team, and its hours: one definition (core.figures).
DISTRIBUTABLE = TEAM_WORK
is_distributable = counts_for_team


# --------------------------------------------------------------------------------- people


def persons_for_user(user, action: str = Action.VIEW) -> QuerySet[Person]:
    return Person.objects.for_user(user, action)


def person_get(user, pk, action: str = Action.VIEW) -> Person:
    try:
        return (
            persons_for_user(user, action)
            .select_related("profile", "user", "organisation")
            .get(pk=pk)
        )
    except (Person.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _hours_annotations(school: School, school_year: SchoolYear) -> dict:
    available = Availability.objects.filter(
        person=OuterRef("pk"), school=school, school_year=school_year
    ).values("hours_available")[:1]
    used = (
        Assignment.objects.filter(
            person=OuterRef("pk"), school=school, planned_task__plan__school_year=school_year
        )
        .values("person")
        .annotate(total=Sum("hours"))
        .values("total")
    )
    return {
        "hours_available": Coalesce(Subquery(available), DECIMAL_ZERO),
        "hours_used": Coalesce(Subquery(used), DECIMAL_ZERO),
    }


def people_for_school(
    user, school: School, school_year: SchoolYear, *, ict_only: bool = False
) -> list[Person]:
    """People with a place in the school this year (or a task in its plan), each annotated
    with ``hours_available`` and ``hours_used`` at this school. ``ict_only`` keeps those with
    ICT hours or a task."""
    in_school = Availability.objects.filter(
        person=OuterRef("pk"), school=school, school_year=school_year
    )
    with_hours = in_school.filter(hours_available__gt=0)
    with_task = Assignment.objects.filter(
        person=OuterRef("pk"), school=school, planned_task__plan__school_year=school_year
    )
    condition = (Exists(with_hours) if ict_only else Exists(in_school)) | Exists(with_task)
    people = (
        persons_for_user(user)
        .filter(condition)
        .annotate(**_hours_annotations(school, school_year))
        .select_related("profile")
        .order_by("last_name", "first_name", "pk")
    )
    return list(people)


def previous_year_team(school: School, school_year: SchoolYear) -> tuple[SchoolYear, int] | None:
    """Last school year and how many people the school had then, when this year has nobody
    yet (a new school year has started)."""
    if Availability.objects.filter(school=school, school_year=school_year).exists():
        return None
    previous = (
        SchoolYear.objects.filter(
            organisation_id=school.organisation_id, start_year__lt=school_year.start_year
        )
        .order_by("-start_year")
        .first()
    )
    if previous is None:
        return None
    count = Availability.objects.filter(school=school, school_year=previous).count()
    return (previous, count) if count else None


def my_person(user, organisation) -> Person | None:
    """The signed-in user's own entry in the team list: only the person linked to the
    account (by the school's directie or ICT coordinator, or by accepting an invitation made
    for that person). An e-mail address never decides who you are."""
    if organisation is None or not user.is_authenticated:
        return None
    return Person.objects.filter(organisation=organisation, user=user).first()


# ------------------------------------------------------------------ who reads ratings
#
# Ratings (expertise, motivation, development wishes) are personal data. Who may read a
# person's ratings is decided here, in ``may_assess`` / ``Competence.objects.for_user`` (the
# same rule, held equal by a test), and every read of ratings goes through ``ratings_for``
# (one user's view) or ``ratings_for_figures`` (figures and the optimiser, which show no
# single rating to someone who may not read it). Both mark the response ``no-store``; a
# user's read of someone else's ratings is audited (``ratings.viewed``, once a day per
# person).


def ratings_for(user, person_ids=None) -> QuerySet[Competence]:
    """The ratings this user may read (optionally of these people only). Marks the response
    as sensitive; the callers that show them record the read (``record_ratings_read``)."""
    mark_sensitive()
    ratings = Competence.objects.for_user(user)
    if person_ids is not None:
        ratings = ratings.filter(person_id__in=list(person_ids))
    return ratings


def ratings_for_figures(person_ids) -> QuerySet[Competence]:
    """Ratings for counted figures and the optimiser, not for showing one person's answers.
    The caller has checked the user may view the school; the response is still kept out of
    caches, because figures such as "only one person knows this" are derived from them."""
    mark_sensitive()
    return Competence.objects.filter(person_id__in=list(person_ids))


def ratings_shown_from_result(user, person_ids, *, with_values: bool) -> None:
    """A stored result built from ratings (a proposal of the distribution assistant) is
    shown: the same marks as reading them. ``with_values``: the ratings themselves are on
    the page (only for who may read them), not only what follows from them."""
    mark_sensitive()
    if with_values:
        record_ratings_read(user, person_ids)


def record_ratings_read(user, person_ids) -> None:
    """Audit that ``user`` saw the ratings of these people (not their own)."""
    from .services import ratings_viewed_record

    ratings_viewed_record(actor=user, person_ids=person_ids)


def may_assess(user, person: Person) -> bool:
    """Whether the user sees and sets this person's expertise and motivation: the person
    themself, or directie / ICT of a school the person works in."""
    if not user.is_authenticated:
        return False
    member = scope_for(user, Action.VIEW)
    if person.user_id == user.pk and person.organisation_id in member.organisations:
        return True
    sensitive = scope_for(user, Action.VIEW_SENSITIVE)
    if person.organisation_id in sensitive.organisation_wide:
        return True
    return Availability.objects.filter(person=person, school_id__in=sensitive.schools).exists()


def may_link_account(user, person: Person) -> bool:
    """Whether the user may link an account to this person (or undo it): directie or ICT
    coordinator of a school the person works in, or with that role organisation-wide: people
    who already read the person's ratings. Never the person themself."""
    if not user.is_authenticated:
        return False
    sensitive = scope_for(user, Action.VIEW_SENSITIVE)
    if person.organisation_id in sensitive.organisation_wide:
        return True
    return Availability.objects.filter(person=person, school_id__in=sensitive.schools).exists()


def link_candidates(user, person: Person):
    """Accounts the user may link to this person: members of the person's organisation
    (organisation-wide, or in a school the user reads ratings of) not linked to anyone else."""
    from teamwerk.accounts.models import User
    from teamwerk.tenancy.models import Membership

    sensitive = scope_for(user, Action.VIEW_SENSITIVE)
    memberships = Membership.objects.filter(organisation_id=person.organisation_id)
    if person.organisation_id not in sensitive.organisation_wide:
        memberships = memberships.filter(
            Q(school__isnull=True) | Q(school_id__in=sensitive.schools)
        )
    taken = Person.objects.filter(
        organisation_id=person.organisation_id, user__isnull=False
    ).values("user_id")
    return (
        User.objects.filter(is_active=True, pk__in=memberships.values("user_id"))
        .exclude(pk__in=taken)
        .order_by("last_name", "first_name", "email")
    )


def assessable_person_get(user, pk) -> Person:
    """A person whose self-assessment the user may see, or 404 (a teamlid reaching another
    person's page learns nothing)."""
    person = person_get(user, pk)
    if not may_assess(user, person):
        raise Http404
    return person


def competences_of(user, person: Person) -> list[Competence]:
    """One person's ratings as the user may read them (the ratings page)."""
    rows = list(ratings_for(user, [person.pk]).select_related("domain", "task", "set_by"))
    record_ratings_read(user, [person.pk])
    return rows


def may_edit(user, school: School) -> bool:
    return user_can(user, Action.EDIT, school=school)


def may_invite(user, school: School) -> bool:
    scope = scope_for(user, Action.MANAGE_MEMBERS)
    return school.organisation_id in scope.organisation_wide or school.pk in scope.schools


# ------------------------------------------------------------------------ plan and tasks


def school_plan(school: School, school_year: SchoolYear) -> TaskPlan | None:
    return TaskPlan.objects.filter(school=school, school_year=school_year).first()


def distributable_tasks(plan: TaskPlan) -> QuerySet[PlannedTask]:
    return (
        PlannedTask.objects.filter(plan=plan)
        .filter(DISTRIBUTABLE)
        .select_related("task__domain")
        .order_by("task__domain__order", "task__code")
    )


def planned_task_get(user, pk, action: str = Action.VIEW) -> PlannedTask:
    try:
        return (
            PlannedTask.objects.for_user(user, action)
            .select_related("task__domain", "plan__school_year", "school", "organisation")
            .get(pk=pk)
        )
    except (PlannedTask.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def assignment_get(user, pk, action: str = Action.VIEW) -> Assignment:
    try:
        return (
            Assignment.objects.for_user(user, action)
            .select_related(
                "person", "planned_task__task__domain", "planned_task__plan__school_year", "school"
            )
            .get(pk=pk)
        )
    except (Assignment.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def distribution_token(assignments) -> str:
    """A fingerprint of a task's distribution as someone saw it: changes whenever anybody
    adds, removes or edits one of its assignments."""
    parts = sorted(f"{a.pk}.{a.version}" for a in assignments)
    return ",".join(parts) or "-"


def task_assignments(planned_task: PlannedTask) -> list[Assignment]:
    return list(
        Assignment.objects.filter(planned_task=planned_task)
        .select_related("person")
        .order_by("role", "person__last_name", "person__first_name")
    )


# ------------------------------------------------------------------------------ skills


@dataclass(frozen=True)
class Skill:
    expertise: int
    motivation: int


class SkillMap:
    """Expertise and motivation per person, by domain and by task; a task-level answer wins."""

    def __init__(self, rows):
        self.by_domain: dict[tuple[int, int], Skill] = {}
        self.by_task: dict[tuple[int, int], Skill] = {}
        for person_id, domain_id, task_id, expertise, motivation in rows:
            skill = Skill(expertise, motivation)
            if task_id is None:
                self.by_domain[(person_id, domain_id)] = skill
            else:
                self.by_task[(person_id, task_id)] = skill

    FIELDS = ("person_id", "domain_id", "task_id", "expertise", "motivation")

    @classmethod
    def readable(cls, user, person_ids) -> SkillMap:
        """The ratings of these people that the user may read, to show them (audited)."""
        skills = cls(ratings_for(user, list(person_ids)).values_list(*cls.FIELDS))
        shown = {pid for pid, _domain in skills.by_domain} | {pid for pid, _t in skills.by_task}
        record_ratings_read(user, shown)
        return skills

    @classmethod
    def for_figures(cls, person_ids) -> SkillMap:
        """All ratings of these people, for counted figures and the optimiser."""
        return cls(ratings_for_figures(person_ids).values_list(*cls.FIELDS))

    def for_task(self, person_id: int, task_id: int, domain_id: int) -> Skill | None:
        return self.by_task.get((person_id, task_id)) or self.by_domain.get((person_id, domain_id))

    def solid(self, person_id: int, task_id: int, domain_id: int) -> bool:
        skill = self.for_task(person_id, task_id, domain_id)
        return skill is not None and skill.expertise >= SOLID_EXPERTISE


# ---------------------------------------------------------------------------- notices


@dataclass(frozen=True)
class Notice:
    """A warning in plain language, shown where the user edits and on the dashboard."""

    level: str  # "danger", "warning", "info"
    text: str


def hours_notice(person: Person, used: Decimal, available: Decimal) -> Notice | None:
    if used <= available:
        return None
    if available == 0:
        return Notice(
            "danger",
            _("%(name)s heeft %(used)s uur taken, maar geen ICT-uren op deze school.")
            % {"name": person.full_name, "used": _num(used)},
        )
    return Notice(
        "danger",
        _(
            "%(name)s heeft %(used)s uur taken maar %(available)s uur beschikbaar: "
            "%(over)s uur te veel."
        )
        % {
            "name": person.full_name,
            "used": _num(used),
            "available": _num(available),
            "over": _num(used - available),
        },
    )


def task_notices(
    planned_task: PlannedTask, assignments: list[Assignment], hours_by_person: dict
) -> list[Notice]:
    """What is wrong or missing in one task's distribution."""
    notices = []
    owners = [a for a in assignments if a.role == AssignmentRole.OWNER]
    backups = [a for a in assignments if a.role == AssignmentRole.BACKUP]
    if not is_distributable(planned_task) and assignments:
        notices.append(
            Notice(
                "warning",
                _(
                    "Volgens het takenoverzicht doet het eigen team deze taak dit jaar niet "
                    "(meer). Haal de toewijzingen weg of pas het takenoverzicht aan."
                ),
            )
        )
    if not owners:
        notices.append(Notice("danger", _("Deze taak heeft nog geen trekker.")))
    if not backups:
        notices.append(
            Notice("warning", _("Nog geen back-up: als de trekker uitvalt, ligt de taak stil."))
        )
    for assignment in assignments:
        used, available = hours_by_person.get(assignment.person_id, (ZERO, ZERO))
        notice = hours_notice(assignment.person, used, available)
        if notice:
            notices.append(notice)
        if (
            planned_task.task.needs_pedagogical_qualification
            and not assignment.person.pedagogically_qualified
        ):
            notices.append(
                Notice(
                    "danger",
                    _("%(name)s heeft geen %(qualification)s, en deze taak vraagt dat.")
                    % {
                        "name": assignment.person.full_name,
                        "qualification": active_terms()["qualification"],
                    },
                )
            )
    return notices


def _num(value) -> str:
    value = Decimal(value).normalize()
    text = f"{value:f}"
    return text.replace(".", ",")


# ----------------------------------------------------------------------------- matrix


@dataclass
class MatrixRow:
    planned_task: PlannedTask
    hours: Decimal
    owner_id: int | None
    backup_ids: list[int]
    token: str
    notices: list[Notice]
    assignments: list[Assignment]


@dataclass
class MatrixGroup:
    domain: Domain
    rows: list[MatrixRow]


@dataclass
class Matrix:
    plan: TaskPlan | None
    people: list[Person]
    groups: list[MatrixGroup]
    skills: SkillMap | None
    hours_by_person: dict[int, tuple[Decimal, Decimal]]
    task_count: int = 0
    without_owner: int = 0
    over_hours: list[Person] = field(default_factory=list)


def distribution_matrix(
    user, school: School, school_year: SchoolYear, *, everyone: bool = False
) -> Matrix:
    """Tasks × people of one school: rows grouped by domain, cells with the roles.

    A fixed number of queries whatever the number of people or tasks."""
    plan = school_plan(school, school_year)
    people = people_for_school(user, school, school_year, ict_only=not everyone)
    hours_by_person = {p.pk: (p.hours_used, p.hours_available) for p in people}
    if plan is None:
        return Matrix(None, people, [], None, hours_by_person)
    tasks = list(distributable_tasks(plan))
    assignments = list(Assignment.objects.filter(planned_task__plan=plan).select_related("person"))
    by_task: dict[int, list[Assignment]] = defaultdict(list)
    for assignment in assignments:
        by_task[assignment.planned_task_id].append(assignment)
    # People who hold a task of a row that is no longer distributable still count for hours.
    skills = (
        SkillMap.readable(user, [p.pk for p in people])
        if user_can(user, Action.VIEW_SENSITIVE, school=school)
        else None
    )
    groups: list[MatrixGroup] = []
    without_owner = 0
    for planned_task in tasks:
        held = by_task.get(planned_task.pk, [])
        row = _matrix_row(planned_task, held, hours_by_person)
        if row.owner_id is None:
            without_owner += 1
        domain = planned_task.task.domain
        if not groups or groups[-1].domain.pk != domain.pk:
            groups.append(MatrixGroup(domain, []))
        groups[-1].rows.append(row)
    over = [p for p in people if p.hours_used > p.hours_available]
    return Matrix(
        plan,
        people,
        groups,
        skills,
        hours_by_person,
        task_count=len(tasks),
        without_owner=without_owner,
        over_hours=over,
    )


def _matrix_row(planned_task: PlannedTask, held: list, hours_by_person: dict) -> MatrixRow:
    """The same row for the whole matrix and for the one row an htmx change sends back."""
    return MatrixRow(
        planned_task=planned_task,
        hours=task_hours(planned_task),
        owner_id=next((a.person_id for a in held if a.role == AssignmentRole.OWNER), None),
        backup_ids=[a.person_id for a in held if a.role == AssignmentRole.BACKUP],
        token=distribution_token(held),
        notices=task_notices(planned_task, held, hours_by_person),
        assignments=held,
    )


def matrix_row(user, planned_task: PlannedTask, school_year: SchoolYear) -> tuple:
    """One row of the matrix after an htmx change: the row and the people whose hours moved."""
    school = planned_task.school
    held = task_assignments(planned_task)
    people = people_for_school(user, school, school_year, ict_only=True)
    hours_by_person = {p.pk: (p.hours_used, p.hours_available) for p in people}
    for assignment in held:
        hours_by_person.setdefault(assignment.person_id, (ZERO, ZERO))
    row = _matrix_row(planned_task, held, hours_by_person)
    skills = (
        SkillMap.readable(user, [p.pk for p in people])
        if user_can(user, Action.VIEW_SENSITIVE, school=school)
        else None
    )
    return row, people, skills


# ----------------------------------------------------------------------- person / task


@dataclass
class Candidate:
    person: Person
    skill: Skill | None
    hours_left: Decimal
    qualified: bool
    role: str | None


def task_candidates(
    user, planned_task: PlannedTask, people: list[Person], assignments: list[Assignment]
) -> list[Candidate]:
    """Who can and wants to do this task, best first, among ``people`` (from
    people_for_school), with the ratings the user may read."""
    people = [p for p in people if p.hours_available > 0 or p.hours_used > 0]
    skills = SkillMap.readable(user, [p.pk for p in people])
    roles = {a.person_id: a.role for a in assignments}
    task = planned_task.task
    candidates = []
    for person in people:
        if not person.active:
            continue
        skill = skills.for_task(person.pk, task.pk, task.domain_id)
        candidates.append(
            Candidate(
                person=person,
                skill=skill,
                hours_left=person.hours_available - person.hours_used,
                qualified=person.pedagogically_qualified
                or not task.needs_pedagogical_qualification,
                role=roles.get(person.pk),
            )
        )

    def rank(candidate: Candidate):
        skill = candidate.skill or Skill(-1, -1)
        return (
            not candidate.qualified,
            -(skill.expertise + skill.motivation),
            -skill.expertise,
            -candidate.hours_left,
            candidate.person.last_name,
        )

    return sorted(candidates, key=rank)


@dataclass
class PersonOverview:
    person: Person
    hours_available: Decimal
    hours_used: Decimal
    owned: list[Assignment]
    backing: list[Assignment]
    partners: dict[int, list[Assignment]]  # planned task id -> the other people on it
    notices: list[Notice]
    other_schools: list[Availability]

    @property
    def used_percent(self) -> int:
        if self.hours_available <= 0:
            return 100 if self.hours_used > 0 else 0
        return min(100, round(self.hours_used / self.hours_available * 100))


def person_overview(person: Person, school: School, school_year: SchoolYear) -> PersonOverview:
    """A person's tasks at this school: what they lead, where they back up, with whom."""
    own = list(
        Assignment.objects.filter(
            person=person, school=school, planned_task__plan__school_year=school_year
        )
        .select_related("planned_task__task__domain")
        .order_by("planned_task__task__domain__order", "planned_task__task__code")
    )
    task_ids = [a.planned_task_id for a in own]
    partners: dict[int, list[Assignment]] = defaultdict(list)
    for other in (
        Assignment.objects.filter(planned_task_id__in=task_ids)
        .exclude(person=person)
        .select_related("person")
        .order_by("role", "person__last_name")
    ):
        partners[other.planned_task_id].append(other)
    for assignment in own:
        others = partners.get(assignment.planned_task_id, [])
        assignment.other_owner = next((o for o in others if o.role == AssignmentRole.OWNER), None)
        assignment.other_backups = [o for o in others if o.role == AssignmentRole.BACKUP]
    availabilities = list(
        Availability.objects.filter(person=person, school_year=school_year).select_related("school")
    )
    here = next((a for a in availabilities if a.school_id == school.pk), None)
    available = here.hours_available if here else ZERO
    used = sum((a.hours for a in own), ZERO)
    notices = []
    notice = hours_notice(person, used, available)
    if notice:
        notices.append(notice)
    for assignment in own:
        task = assignment.planned_task.task
        if task.needs_pedagogical_qualification and not person.pedagogically_qualified:
            notices.append(
                Notice(
                    "danger",
                    _("%(task)s %(needs)s.")
                    % {"task": task.code, "needs": active_terms()["needs_qualification"]},
                )
            )
    return PersonOverview(
        person=person,
        hours_available=available,
        hours_used=used,
        owned=[a for a in own if a.role == AssignmentRole.OWNER],
        backing=[a for a in own if a.role == AssignmentRole.BACKUP],
        partners=dict(partners),
        notices=notices,
        other_schools=[a for a in availabilities if a.school_id != school.pk],
    )


# ------------------------------------------------------------------------- agreements


def agreements_for_school(user, school: School, school_year: SchoolYear) -> QuerySet[Agreement]:
    return (
        Agreement.objects.for_user(user)
        .filter(school=school, school_year=school_year)
        .select_related("responsible")
        .order_by("kind", "agreed_on", "pk")
    )


def agreement_get(user, pk, action: str = Action.VIEW) -> Agreement:
    try:
        return (
            Agreement.objects.for_user(user, action)
            .select_related("responsible", "school", "school_year")
            .get(pk=pk)
        )
    except (Agreement.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# -------------------------------------------------------------------------- dashboard


@dataclass
class TaskLine:
    planned_task: PlannedTask
    hours: Decimal
    owner: Person | None
    backups: list[Person]


@dataclass
class PersonLine:
    person: Person
    hours_available: Decimal
    hours_used: Decimal

    @property
    def over(self) -> Decimal:
        return self.hours_used - self.hours_available


@dataclass
class DashboardFigures:
    school: School
    school_year: SchoolYear
    has_plan: bool = False
    tasks: list[TaskLine] = field(default_factory=list)
    people: list[PersonLine] = field(default_factory=list)
    no_owner: list[TaskLine] = field(default_factory=list)
    no_backup: list[TaskLine] = field(default_factory=list)
    over_hours: list[PersonLine] = field(default_factory=list)
    single_knowledge_tasks: list[TaskLine] = field(default_factory=list)
    single_knowledge_domains: list[tuple[Domain, Person]] = field(default_factory=list)
    recruit_outsource: list[PlannedTask] = field(default_factory=list)
    no_expertise: list[TaskLine] = field(default_factory=list)
    hours_needed: Decimal = ZERO
    hours_assigned: Decimal = ZERO
    hours_available: Decimal = ZERO

    @property
    def task_count(self) -> int:
        return len(self.tasks)

    @property
    def with_owner(self) -> int:
        return self.task_count - len(self.no_owner)

    @property
    def with_backup(self) -> int:
        return self.task_count - len(self.no_backup)

    @property
    def owner_share(self) -> float:
        return self.with_owner / self.task_count if self.task_count else 0.0

    @property
    def backup_share(self) -> float:
        return self.with_backup / self.task_count if self.task_count else 0.0

    @property
    def step6_count(self) -> int:
        return len(self.recruit_outsource) + len(self.no_expertise)

    @property
    def single_knowledge_count(self) -> int:
        return len(self.single_knowledge_tasks) + len(self.single_knowledge_domains)

    @property
    def school_budget(self) -> Decimal:
        return Decimal(self.school.ict_hours_available)


def dashboard_figures(school: School, school_year: SchoolYear) -> DashboardFigures:
    """The figures of one school (the caller checked the user may view the school)."""
    return figures_for_schools([school], {school.organisation_id: school_year})[school.pk]


def organisation_figures(user, organisation) -> list[DashboardFigures]:
    """Every school of the organisation the user may see, side by side, in a fixed number of
    queries."""
    schools = list(
        School.objects.for_user(user).active().filter(organisation=organisation).order_by("name")
    )
    year = current_school_year(organisation)
    figures = figures_for_schools(schools, {organisation.pk: year})
    return [figures[s.pk] for s in schools]


class _ExpertIndex:
    """Who in a school's active staff knows a task or a domain well (``SkillMap.solid``),
    read per school and domain once instead of per person for every task: a group of 50
    schools asks it for 2,600 tasks."""

    def __init__(self, staff: dict[int, list[int]], skills: SkillMap):
        self.staff = {school_id: set(people) for school_id, people in staff.items()}
        self.skills = skills
        self.by_domain: dict[tuple[int, int], set[int]] = {}
        self.task_rated: dict[int, dict[int, Skill]] = defaultdict(dict)
        for (person_id, task_id), skill in skills.by_task.items():
            self.task_rated[task_id][person_id] = skill

    def domain(self, school_id: int, domain_id: int) -> set[int]:
        """Staff with a solid rating for the domain as a whole."""
        key = (school_id, domain_id)
        found = self.by_domain.get(key)
        if found is None:
            found = {
                pid
                for pid in self.staff.get(school_id, ())
                if (skill := self.skills.by_domain.get((pid, domain_id)))
                and skill.expertise >= SOLID_EXPERTISE
            }
            self.by_domain[key] = found
        return found

    def task(self, school_id: int, task_id: int, domain_id: int) -> set[int]:
        """Staff who know the task well: a rating for the task wins over the domain's."""
        rated = self.task_rated.get(task_id)
        if not rated:
            return self.domain(school_id, domain_id)
        staff = self.staff.get(school_id, set())
        experts = {pid for pid in self.domain(school_id, domain_id) if pid not in rated}
        experts.update(
            pid
            for pid, skill in rated.items()
            if pid in staff and skill.expertise >= SOLID_EXPERTISE
        )
        return experts


def figures_for_schools(
    schools: list[School], years: dict[int, SchoolYear]
) -> dict[int, DashboardFigures]:
    result = {
        s.pk: DashboardFigures(school=s, school_year=years[s.organisation_id]) for s in schools
    }
    if not schools:
        return result
    school_ids = [s.pk for s in schools]
    year_ids = [y.pk for y in years.values()]
    plans = {
        p.school_id: p
        for p in TaskPlan.objects.filter(school_id__in=school_ids, school_year_id__in=year_ids)
    }
    for school_id in plans:
        result[school_id].has_plan = True
    planned = list(
        PlannedTask.objects.filter(plan_id__in=[p.pk for p in plans.values()])
        .filter(DISTRIBUTABLE | RECRUIT_OR_OUTSOURCE)
        .select_related("task__domain")
        .order_by("task__domain__order", "task__code")
    )
    assignments = list(
        Assignment.objects.filter(planned_task__plan_id__in=[p.pk for p in plans.values()])
        .select_related("person")
        .order_by("person__last_name", "person__first_name")
    )
    availabilities = list(
        Availability.objects.filter(school_id__in=school_ids, school_year_id__in=year_ids)
        .select_related("person")
        .order_by("person__last_name", "person__first_name")
    )
    skills = SkillMap.for_figures({a.person_id for a in availabilities})

    owners: dict[int, Person] = {}
    backups: dict[int, list[Person]] = defaultdict(list)
    used: dict[tuple[int, int], Decimal] = defaultdict(lambda: ZERO)
    for assignment in assignments:
        if assignment.role == AssignmentRole.OWNER:
            owners[assignment.planned_task_id] = assignment.person
        else:
            backups[assignment.planned_task_id].append(assignment.person)
        used[(assignment.school_id, assignment.person_id)] += assignment.hours
    staff: dict[int, list[int]] = defaultdict(list)
    for availability in availabilities:
        figures = result[availability.school_id]
        person = availability.person
        if person.active:
            staff[availability.school_id].append(person.pk)
        line = PersonLine(
            person,
            availability.hours_available,
            used.get((availability.school_id, person.pk), ZERO),
        )
        if line.hours_available > 0 or line.hours_used > 0:
            figures.people.append(line)
        figures.hours_available += line.hours_available
        if line.hours_used > line.hours_available:
            figures.over_hours.append(line)

    domains_seen: dict[int, dict[int, Domain]] = defaultdict(dict)
    owners_by_domain: dict[tuple[int, int], set[int]] = defaultdict(set)
    experts_of = _ExpertIndex(staff, skills)
    for planned_task in planned:
        figures = result[planned_task.school_id]
        if not is_distributable(planned_task):
            figures.recruit_outsource.append(planned_task)
            continue
        task = planned_task.task
        line = TaskLine(
            planned_task,
            task_hours(planned_task),
            owners.get(planned_task.pk),
            backups.get(planned_task.pk, []),
        )
        figures.tasks.append(line)
        figures.hours_needed += line.hours
        domains_seen[planned_task.school_id][task.domain_id] = task.domain
        if line.owner is not None:
            owners_by_domain[(planned_task.school_id, task.domain_id)].add(line.owner.pk)
        if line.owner is None:
            figures.no_owner.append(line)
        if not line.backups:
            figures.no_backup.append(line)
        experts = experts_of.task(planned_task.school_id, task.pk, task.domain_id)
        if not experts:
            figures.no_expertise.append(line)
        elif line.owner is not None and experts == {line.owner.pk}:
            figures.single_knowledge_tasks.append(line)
    assignments_of: dict[int, list[Assignment]] = defaultdict(list)
    for assignment in assignments:
        assignments_of[assignment.school_id].append(assignment)
    for school_id, figures in result.items():
        here = assignments_of[school_id]
        figures.hours_assigned = sum((a.hours for a in here), ZERO)
        people_here = {p.person.pk: p.person for p in figures.people}
        people_here.update({a.person_id: a.person for a in here})
        for domain in domains_seen[school_id].values():
            experts = experts_of.domain(school_id, domain.pk)
            if len(experts) != 1:
                continue
            (expert,) = experts
            if expert in owners_by_domain[(school_id, domain.pk)]:
                figures.single_knowledge_domains.append((domain, people_here[expert]))
    return result


# -------------------------------------------------------------------- for the optimiser


@dataclass(frozen=True)
class SnapshotPerson:
    id: int
    name: str
    hours_available: Decimal
    hours_used: Decimal
    pedagogically_qualified: bool
    external: bool


@dataclass(frozen=True)
class SnapshotTask:
    planned_task_id: int
    task_id: int
    domain_id: int
    code: str
    title: str
    hours: Decimal
    needs_qualification: bool
    strategic: bool
    outsourceable: bool
    sourcing: str
    priority: int | None


@dataclass(frozen=True)
class TeamSnapshot:
    """One school's team and tasks as plain data: what the optimiser needs, nothing more."""

    school_id: int
    school_year_id: int
    plan_id: int | None
    people: tuple[SnapshotPerson, ...]
    tasks: tuple[SnapshotTask, ...]
    domain_skills: dict[tuple[int, int], Skill]  # (person id, domain id)
    task_skills: dict[tuple[int, int], Skill]  # (person id, catalogue task id)
    owners: dict[int, int]  # planned task id -> person id
    backups: dict[int, tuple[int, ...]]  # planned task id -> person ids
    assignment_hours: dict[tuple[int, int], Decimal]  # (planned task id, person id)

    def skill(self, person_id: int, task: SnapshotTask) -> Skill | None:
        return self.task_skills.get((person_id, task.task_id)) or self.domain_skills.get(
            (person_id, task.domain_id)
        )


def team_snapshot(school: School, school_year: SchoolYear) -> TeamSnapshot:
    """Active people with ICT hours (or a task), active distributable tasks, skills, and the
    current owners and back-ups. The caller checks that the user may view the school."""
    plan = school_plan(school, school_year)
    in_school = Availability.objects.filter(
        person=OuterRef("pk"), school=school, school_year=school_year, hours_available__gt=0
    )
    with_task = Assignment.objects.filter(
        person=OuterRef("pk"), school=school, planned_task__plan__school_year=school_year
    )
    people = list(
        Person.objects.filter(organisation_id=school.organisation_id, active=True)
        .filter(Exists(in_school) | Exists(with_task))
        .annotate(**_hours_annotations(school, school_year))
        .order_by("last_name", "first_name", "pk")
    )
    tasks = list(distributable_tasks(plan)) if plan else []
    assignments = list(Assignment.objects.filter(planned_task__plan=plan)) if plan else []
    skills = SkillMap.for_figures([p.pk for p in people])
    owners = {a.planned_task_id: a.person_id for a in assignments if a.role == AssignmentRole.OWNER}
    backups: dict[int, list[int]] = defaultdict(list)
    for assignment in assignments:
        if assignment.role == AssignmentRole.BACKUP:
            backups[assignment.planned_task_id].append(assignment.person_id)
    return TeamSnapshot(
        school_id=school.pk,
        school_year_id=school_year.pk,
        plan_id=plan.pk if plan else None,
        people=tuple(
            SnapshotPerson(
                id=p.pk,
                name=p.full_name,
                hours_available=p.hours_available,
                hours_used=p.hours_used,
                pedagogically_qualified=p.pedagogically_qualified,
                external=p.external,
            )
            for p in people
        ),
        tasks=tuple(
            SnapshotTask(
                planned_task_id=t.pk,
                task_id=t.task_id,
                domain_id=t.task.domain_id,
                code=t.task.code,
                title=t.task.title,
                hours=task_hours(t),
                needs_qualification=t.task.needs_pedagogical_qualification,
                strategic=t.task.strategic,
                outsourceable=t.task.outsourceable,
                sourcing=t.sourcing,
                priority=t.priority,
            )
            for t in tasks
        ),
        domain_skills=dict(skills.by_domain),
        task_skills=dict(skills.by_task),
        owners=owners,
        backups={k: tuple(v) for k, v in backups.items()},
        assignment_hours={(a.planned_task_id, a.person_id): a.hours for a in assignments},
    )


# ---------------------------------------------------------------------------- history


@dataclass
class PastTask:
    planned_task: PlannedTask
    owner_then: str
    backups_then: list[str]
    owner_now: str
    backups_now: list[str]

    @property
    def changed(self) -> bool:
        return self.owner_then != self.owner_now or sorted(self.backups_then) != sorted(
            self.backups_now
        )


def distribution_as_of(user, school: School, when: dt.datetime) -> list[PastTask]:
    """Owners and back-ups of every task of the school's plan as they were at ``when``, next
    to today's, from the history tables."""
    if not user_can(user, Action.VIEW, school=school):
        raise Http404
    then_records = list(
        Assignment.history.filter(school=school, history_date__lte=when)
        .latest_of_each()
        .exclude(history_type="-")
        .select_related("person")
    )
    now = list(Assignment.objects.filter(school=school).select_related("person"))
    task_ids = {r.planned_task_id for r in then_records} | {a.planned_task_id for a in now}
    tasks = (
        PlannedTask.objects.filter(pk__in=task_ids)
        .select_related("task__domain", "plan__school_year")
        .order_by("-plan__school_year__start_year", "task__domain__order", "task__code")
    )

    def collect(records):
        owners: dict[int, str] = {}
        backups: dict[int, list[str]] = defaultdict(list)
        for record in records:
            name = record.person.full_name if record.person_id else "?"
            if record.role == AssignmentRole.OWNER:
                owners[record.planned_task_id] = name
            else:
                backups[record.planned_task_id].append(name)
        return owners, backups

    owners_then, backups_then = collect(then_records)
    owners_now, backups_now = collect(now)
    return [
        PastTask(
            planned_task=t,
            owner_then=owners_then.get(t.pk, ""),
            backups_then=sorted(backups_then.get(t.pk, [])),
            owner_now=owners_now.get(t.pk, ""),
            backups_now=sorted(backups_now.get(t.pk, [])),
        )
        for t in tasks
    ]


@dataclass
class Change:
    when: dt.datetime
    who: str
    kind: str  # "+", "~", "-"
    person: str
    role: str
    task_code: str
    task_title: str
    details: list[str]
    reason: str


TRACKED_FIELDS = (
    "role",
    "hours",
    "mandate",
    "mandate_budget",
    "mandate_note",
    "starts_on",
    "ends_on",
)


def distribution_changes(user, school: School, *, limit: int = 50) -> list[Change]:
    """The latest changes to the school's distribution, newest first, with what changed."""
    if not user_can(user, Action.VIEW, school=school):
        raise Http404
    records = list(
        Assignment.history.filter(school=school)
        .select_related("person", "history_user", "planned_task__task")
        .order_by("-history_date", "-history_id")[:limit]
    )
    ids = {r.id for r in records}
    earlier: dict[int, list] = defaultdict(list)
    if records:
        for record in (
            Assignment.history.filter(id__in=ids, history_date__lte=records[0].history_date)
            .order_by("history_date", "history_id")
            .only("history_id", "id", "history_date", *TRACKED_FIELDS)
        ):
            earlier[record.id].append(record)
    labels = {
        "role": _("rol"),
        "hours": _("uren"),
        "mandate": _("mandaat"),
        "mandate_budget": _("budget"),
        "mandate_note": _("toelichting"),
        "starts_on": _("vanaf"),
        "ends_on": _("tot en met"),
    }
    changes = []
    for record in records:
        details = []
        if record.history_type == "~":
            chain = earlier[record.id]
            position = next(
                (i for i, r in enumerate(chain) if r.history_id == record.history_id), 0
            )
            previous = chain[position - 1] if position > 0 else None
            if previous is not None:
                for name in TRACKED_FIELDS:
                    before, after = getattr(previous, name), getattr(record, name)
                    if before != after:
                        details.append(
                            f"{labels[name]}: {_display(name, before)} → {_display(name, after)}"
                        )
        user_obj = record.history_user
        changes.append(
            Change(
                when=record.history_date,
                who=(user_obj.get_full_name() or user_obj.email) if user_obj else _("het systeem"),
                kind=record.history_type,
                person=record.person.full_name if record.person_id else "?",
                role=AssignmentRole(record.role).label,
                task_code=record.planned_task.task.code,
                task_title=record.planned_task.task.title,
                details=details,
                reason=record.history_change_reason or "",
            )
        )
    return changes


def _display(name: str, value) -> str:
    from .models import Mandate

    if value in (None, ""):
        return "—"
    if name == "role":
        return str(AssignmentRole(value).label)
    if name == "mandate":
        return str(Mandate(value).label)
    if isinstance(value, Decimal):
        return _num(value)
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    return str(value)
