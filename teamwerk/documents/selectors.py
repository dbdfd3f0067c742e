"""Reads for the documents: who may have which document, and the plain data of a document.

The data comes from the team, planning and tenancy modules through their selectors. The
documents never read self-assessments (expertise, motivation, wishes): they are not in the
data built here, so they cannot end up in a file.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from django.db.models import Sum
from django.http import Http404
from django.utils import formats
from django.utils.translation import gettext as _

from teamwerk.tenancy.models import Organisation, School, SchoolYear
from teamwerk.tenancy.roles import Action
from teamwerk.tenancy.selectors import (
    current_school_year,
    organisations_for_user,
    school_get,
    user_can,
)
from teamwerk.tenancy.terms import active_terms

from .content import Wording
from .models import (
    DocumentBundle,
    DocumentKind,
    JobDescriptionInfo,
    RecordedDocument,
    SchoolDocumentSettings,
)

ZERO = Decimal("0")


def _team():
    # The team module's public reads (imported late: the documents sit on top of the team).
    from teamwerk.team import selectors as team_selectors

    return team_selectors


# ------------------------------------------------------------------------------ formatting


def hours_text(value) -> str:
    return formats.number_format(Decimal(value or 0).normalize(), decimal_pos=None)


def day_text(value: dt.date | None) -> str:
    return formats.date_format(value, "j F Y") if value else ""


def period_text(starts_on: dt.date, ends_on: dt.date | None) -> str:
    if ends_on:
        return _("%(start)s tot en met %(end)s") % {
            "start": day_text(starts_on),
            "end": day_text(ends_on),
        }
    return _("vanaf %(start)s") % {"start": day_text(starts_on)}


def mandate_text(assignment) -> str:
    parts = [str(assignment.get_mandate_display())]
    if assignment.mandate_budget is not None:
        parts.append(
            _("budget € %(amount)s")
            % {
                "amount": formats.number_format(
                    assignment.mandate_budget, 2, use_l10n=True, force_grouping=True
                )
            }
        )
    if assignment.mandate_note:
        parts.append(assignment.mandate_note)
    return " · ".join(parts)


# --------------------------------------------------------------------------------- access


def document_school_get(user, school_id) -> School:
    """The school of a document: inside the user's scope, or 404."""
    return school_get(user, school_id, Action.VIEW)


def may_manage(user, school: School) -> bool:
    """Directie, ICT coordinator and beheerder: every document of the school, and its
    settings and recorded versions."""
    return user_can(user, Action.EDIT, school=school)


def _placed(person, school: School, school_year: SchoolYear) -> bool:
    from teamwerk.team.models import Assignment, Availability

    return (
        Availability.objects.filter(person=person, school=school, school_year=school_year).exists()
        or Assignment.objects.filter(
            person=person, school=school, planned_task__plan__school_year=school_year
        ).exists()
    )


def job_person_get(user, school: School, person_id, school_year: SchoolYear):
    """The person of a job description: a teamlid gets only their own; directie and ICT
    everyone of the school; anyone else (lezer, another school) 404."""
    person = _team().person_get(user, person_id)
    if person.organisation_id != school.organisation_id:
        raise Http404
    if not (may_manage(user, school) or (user.is_authenticated and person.user_id == user.pk)):
        raise Http404
    if not _placed(person, school, school_year):
        raise Http404
    return person


def job_people(user, school: School, school_year: SchoolYear) -> list:
    """The people whose job description the user may download at this school."""
    people = _team().people_for_school(user, school, school_year, ict_only=True)
    if may_manage(user, school):
        return people
    return [p for p in people if user.is_authenticated and p.user_id == user.pk]


def group_organisation_get(user, organisation_id) -> Organisation:
    try:
        return organisations_for_user(user, Action.VIEW).get(pk=organisation_id)
    except (Organisation.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def settings_for(school: School) -> SchoolDocumentSettings:
    found = SchoolDocumentSettings.objects.filter(school=school).first()
    return found or SchoolDocumentSettings(organisation_id=school.organisation_id, school=school)


def job_info_for(person, school: School) -> JobDescriptionInfo:
    found = JobDescriptionInfo.objects.filter(person=person, school=school).first()
    return found or JobDescriptionInfo(
        organisation_id=school.organisation_id, school=school, person=person
    )


def recorded_for_school(user, school: School, school_year: SchoolYear):
    return (
        RecordedDocument.objects.for_user(user, Action.EDIT)
        .filter(school=school, school_year=school_year)
        .select_related("person")
        .defer("docx", "pdf")
    )


def recorded_get(user, pk) -> RecordedDocument:
    """A recorded version: who may have the document may have its recorded versions."""
    try:
        recorded = (
            RecordedDocument.objects.for_user(user, Action.VIEW)
            .select_related("school", "school_year", "person")
            .get(pk=pk)
        )
    except (RecordedDocument.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if (
        recorded.kind == DocumentKind.JOB_DESCRIPTION
        and not may_manage(user, recorded.school)
        and recorded.person.user_id != user.pk
    ):
        raise Http404
    return recorded


def recorded_versions(school: School, school_year: SchoolYear, kind: str, person=None) -> list:
    """The recorded versions of one document, newest first (the caller checked access)."""
    return list(
        RecordedDocument.objects.filter(
            school=school, school_year=school_year, kind=kind, person=person
        )
        .select_related("recorded_by")
        .defer("docx", "pdf")
    )


def latest_recorded(school: School, school_year: SchoolYear, kind: str, person=None):
    versions = recorded_versions(school, school_year, kind, person)
    return versions[0] if versions else None


def recorded_job_people(school: School, school_year: SchoolYear, person_ids) -> set[int]:
    """Which of these people have a recorded job description at the school this year (the
    step plan's evidence for step 7: are the mandates in the job descriptions?)."""
    return set(
        RecordedDocument.objects.filter(
            school=school,
            school_year=school_year,
            kind=DocumentKind.JOB_DESCRIPTION,
            person_id__in=list(person_ids),
        ).values_list("person_id", flat=True)
    )


# ------------------------------------------------------------------------ shared header


@dataclass
class Header:
    school: str
    number_label: str
    number: str
    board_label: str
    board: str
    school_year: str
    region: str


def header_for(school: School | None, organisation: Organisation, school_year) -> Header:
    terms = organisation.terms
    return Header(
        school=school.name if school else organisation.name,
        number_label=str(terms["school_number"]),
        number=(school.number if school else "") or "—",
        board_label=str(terms["board"]),
        board=organisation.name,
        school_year=str(school_year),
        region=organisation.region,
    )


# ----------------------------------------------------------------------- job description


@dataclass
class TaskRow:
    code: str
    title: str
    hours: str
    role: str
    mandate: str
    period: str


@dataclass
class Section:
    code: str
    ref: str
    name: str
    intro: str
    condition: str
    rows: list[TaskRow] = field(default_factory=list)


@dataclass
class JobDescription:
    header: Header
    person: str
    function: str
    first_evaluator: str
    second_evaluator: str
    intro: str
    tasks_heading: str
    sections: list[Section]
    total_hours: str
    available_hours: str
    over_hours: bool
    place: str
    closing: str

    def snapshot(self) -> dict:
        """The data as recorded: compared with today's data to show what changed."""
        return {
            "fields": {
                "person": self.person,
                "function": self.function,
                "first_evaluator": self.first_evaluator,
                "second_evaluator": self.second_evaluator,
                "available_hours": self.available_hours,
            },
            "rows": {
                row.code: asdict(row) | {"section": section.ref}
                for section in self.sections
                for row in section.rows
            },
        }


def _domain_name(domain) -> str:
    return domain.name


def job_description(person, school: School, school_year: SchoolYear) -> JobDescription:
    """The job description of a person at one school (a person in two schools has two)."""
    organisation = school.organisation
    wording = Wording(organisation.region)
    overview = _team().person_overview(person, school, school_year)
    settings = settings_for(school)
    info = job_info_for(person, school)
    sections: dict[int, Section] = {}
    assignments = sorted(
        overview.owned + overview.backing,
        key=lambda a: (a.planned_task.task.domain.order, a.planned_task.task.code, a.role),
    )
    for assignment in assignments:
        task = assignment.planned_task.task
        domain = task.domain
        section = sections.get(domain.pk)
        if section is None:
            condition = ""
            if domain.code == "PED" or task.needs_pedagogical_qualification:
                condition = wording.domain("PED", "condition")
                qualification = {"qualification": active_terms()["qualification"]}
                condition += " " + (
                    _("Deze medewerker heeft een %(qualification)s.") % qualification
                    if person.pedagogically_qualified
                    else _("Deze medewerker heeft (nog) geen %(qualification)s.") % qualification
                )
            section = Section(
                code=domain.code,
                ref=domain.seed_ref,
                name=_domain_name(domain),
                intro=wording.domain(domain.code, "intro"),
                condition=condition,
            )
            sections[domain.pk] = section
        section.rows.append(
            TaskRow(
                code=task.code,
                title=task.title,
                hours=hours_text(assignment.hours),
                role=str(assignment.get_role_display()),
                mandate=mandate_text(assignment),
                period=period_text(assignment.starts_on, assignment.ends_on),
            )
        )
    return JobDescription(
        header=header_for(school, organisation, school_year),
        person=person.full_name,
        function=info.function_title or person.job_title or "—",
        first_evaluator=info.first_evaluator or settings.first_evaluator or "—",
        second_evaluator=info.second_evaluator or settings.second_evaluator or "—",
        intro=wording.text("job", "intro"),
        tasks_heading=wording.text("job", "tasks_heading"),
        sections=list(sections.values()),
        total_hours=hours_text(overview.hours_used),
        available_hours=hours_text(overview.hours_available),
        over_hours=overview.hours_used > overview.hours_available,
        place=settings.place,
        closing=wording.text("job", "closing"),
    )


# -------------------------------------------------------------------- work-distribution plan


@dataclass
class PlanTaskRow:
    section: str
    code: str
    title: str
    owner: str
    backups: str
    hours: str
    mandate: str


@dataclass
class PlanPersonRow:
    name: str
    function: str
    used: str
    available: str
    over: bool


@dataclass
class AgreementRow:
    kind: str
    text: str
    responsible: str
    agreed_on: str
    review_on: str


@dataclass
class WorkPlan:
    header: Header
    is_group: bool
    intro: str
    tasks: list[PlanTaskRow]
    people: list[PlanPersonRow]
    planned_hours: str
    assigned_hours: str
    budget: str
    over_budget: bool
    agreements: list[AgreementRow]
    needs_consent: bool  # the Netherlands: the P-MR consents to the plan
    consent_line: str
    place: str

    def snapshot(self) -> dict:
        return {
            "fields": {
                "budget": self.budget,
                "planned_hours": self.planned_hours,
                "assigned_hours": self.assigned_hours,
            },
            "rows": {row.code: asdict(row) for row in self.tasks},
            "people": {row.name: asdict(row) for row in self.people},
            "agreements": [asdict(row) for row in self.agreements],
        }


def _plan_rows(plan) -> tuple[list[PlanTaskRow], dict, Decimal, Decimal]:
    """Every distributable task of the plan with its trekker and back-ups (two queries)."""
    from teamwerk.team.models import Assignment, AssignmentRole

    team = _team()
    items = list(team.distributable_tasks(plan)) if plan else []
    held = defaultdict(list)
    for assignment in (
        Assignment.objects.filter(planned_task__in=[i.pk for i in items])
        .select_related("person")
        .order_by("role", "person__last_name", "person__first_name")
    ):
        held[assignment.planned_task_id].append(assignment)
    rows = []
    used: dict[int, Decimal] = defaultdict(lambda: ZERO)
    planned = ZERO
    assigned = ZERO
    for item in items:
        task = item.task
        owners = [a for a in held[item.pk] if a.role == AssignmentRole.OWNER]
        backups = [a for a in held[item.pk] if a.role == AssignmentRole.BACKUP]
        hours = team.task_hours(item)
        planned += hours
        for a in held[item.pk]:
            used[a.person_id] += a.hours
            assigned += a.hours
        rows.append(
            PlanTaskRow(
                section=f"{task.domain.seed_ref} {task.domain.name}",
                code=task.code,
                title=task.title,
                owner=(
                    f"{owners[0].person.full_name} ({hours_text(owners[0].hours)} u)"
                    if owners
                    else _("nog niemand")
                ),
                backups=", ".join(
                    f"{a.person.full_name} ({hours_text(a.hours)} u)" for a in backups
                )
                or "—",
                hours=hours_text(hours),
                mandate=mandate_text(owners[0]) if owners else "—",
            )
        )
    return rows, used, planned, assigned


def _agreement_rows(user, school, school_year) -> list[AgreementRow]:
    return [
        AgreementRow(
            kind=str(a.get_kind_display()),
            text=a.text,
            responsible=a.responsible.full_name if a.responsible else "—",
            agreed_on=day_text(a.agreed_on),
            review_on=day_text(a.review_on) or "—",
        )
        for a in _team().agreements_for_school(user, school, school_year)
    ]


def work_plan(user, school: School, school_year: SchoolYear) -> WorkPlan:
    team = _team()
    organisation = school.organisation
    wording = Wording(organisation.region)
    plan = team.school_plan(school, school_year)
    rows, _used, planned, assigned = _plan_rows(plan)
    people = [
        PlanPersonRow(
            name=p.full_name,
            function=p.job_title,
            used=hours_text(p.hours_used),
            available=hours_text(p.hours_available),
            over=p.hours_used > p.hours_available,
        )
        for p in team.people_for_school(user, school, school_year, ict_only=True)
    ]
    budget = school.ict_hours_available or ZERO
    return WorkPlan(
        header=header_for(school, organisation, school_year),
        is_group=False,
        intro=wording.text("plan", "intro"),
        tasks=rows,
        people=people,
        planned_hours=hours_text(planned),
        assigned_hours=hours_text(assigned),
        budget=hours_text(budget),
        over_budget=assigned > budget,
        agreements=_agreement_rows(user, school, school_year),
        needs_consent=organisation.region == "NL",
        consent_line=wording.text("plan", "consent_nl"),
        place=settings_for(school).place,
    )


def group_work_plan(user, organisation: Organisation) -> WorkPlan:
    """The plan of the group's own tasks (the task plan without a school)."""
    from teamwerk.planning.models import TaskPlan
    from teamwerk.team.models import Availability, Person

    school_year = current_school_year(organisation)
    wording = Wording(organisation.region)
    plan = TaskPlan.objects.filter(
        organisation=organisation, school__isnull=True, school_year=school_year
    ).first()
    rows, used, planned, assigned = _plan_rows(plan)
    available = dict(
        Availability.objects.filter(person_id__in=list(used), school_year=school_year)
        .values("person_id")
        .annotate(total=Sum("hours_available"))
        .values_list("person_id", "total")
    )
    people = [
        PlanPersonRow(
            name=p.full_name,
            function=p.job_title,
            used=hours_text(used[p.pk]),
            available=hours_text(available.get(p.pk, ZERO)),
            over=used[p.pk] > available.get(p.pk, ZERO),
        )
        for p in Person.objects.filter(organisation=organisation, pk__in=list(used)).order_by(
            "last_name", "first_name"
        )
    ]
    budget = (
        School.objects.filter(organisation=organisation).aggregate(t=Sum("ict_hours_available"))[
            "t"
        ]
        or ZERO
    )
    return WorkPlan(
        header=header_for(None, organisation, school_year),
        is_group=True,
        intro=wording.text("plan", "group_intro"),
        tasks=rows,
        people=people,
        planned_hours=hours_text(planned),
        assigned_hours=hours_text(assigned),
        budget=hours_text(budget),
        over_budget=assigned > budget,
        agreements=[],
        needs_consent=organisation.region == "NL",
        consent_line=wording.text("plan", "consent_nl"),
        place="",
    )


# ------------------------------------------------------------------- what changed since


FIELD_LABELS = {
    "person": lambda: _("naam"),
    "function": lambda: _("functie"),
    "first_evaluator": lambda: _("eerste evaluator"),
    "second_evaluator": lambda: _("tweede evaluator"),
    "available_hours": lambda: _("beschikbare uren"),
    "budget": lambda: _("budget"),
    "planned_hours": lambda: _("geplande uren"),
    "assigned_hours": lambda: _("toegewezen uren"),
}
ROW_LABELS = {
    "hours": lambda: _("uren"),
    "role": lambda: _("rol"),
    "mandate": lambda: _("mandaat"),
    "period": lambda: _("periode"),
    "owner": lambda: _("trekker"),
    "backups": lambda: _("back-up"),
    "title": lambda: _("titel"),
}


def changes_since(recorded: dict, current: dict) -> list[str]:
    """What differs between a recorded snapshot and today's data, in readable lines."""
    lines = []
    for name, old in recorded.get("fields", {}).items():
        new = current.get("fields", {}).get(name)
        if new != old:
            label = FIELD_LABELS.get(name, lambda n=name: n)()
            lines.append(_("%(what)s: %(old)s → %(new)s") % {"what": label, "old": old, "new": new})
    old_rows = recorded.get("rows", {})
    new_rows = current.get("rows", {})
    for code in sorted(set(old_rows) - set(new_rows)):
        lines.append(_("Taak niet meer in het document: %(task)s") % {"task": code})
    for code in sorted(set(new_rows) - set(old_rows)):
        lines.append(
            _("Nieuwe taak: %(task)s %(title)s") % {"task": code, "title": new_rows[code]["title"]}
        )
    for code in sorted(set(old_rows) & set(new_rows)):
        for key, label in ROW_LABELS.items():
            old = old_rows[code].get(key)
            new = new_rows[code].get(key)
            if old != new:
                lines.append(
                    _("%(task)s, %(what)s: %(old)s → %(new)s")
                    % {"task": code, "what": label(), "old": old, "new": new}
                )
    if recorded.get("agreements") is not None and recorded.get("agreements") != current.get(
        "agreements"
    ):
        lines.append(_("De afspraken van het team zijn gewijzigd."))
    return lines


# ----------------------------------------------------------------------------- vacancies


def recruit_tasks(school: School, school_year: SchoolYear) -> list:
    """The tasks of the school's plan marked "aanwerven" for this year (step 6)."""
    from teamwerk.planning.models import Horizon, PlannedTask, Sourcing

    return list(
        PlannedTask.objects.filter(
            plan__school=school,
            plan__school_year=school_year,
            applies=True,
            horizon__in=["", Horizon.NOW],
            sourcing=Sourcing.RECRUIT,
        )
        .select_related("task__domain")
        .order_by("task__domain__order", "task__code")
    )


def vacancies_for_school(user, school: School):
    from .models import Vacancy

    return (
        Vacancy.objects.for_user(user, Action.EDIT)
        .filter(school=school)
        .select_related("profile")
        .defer("context", "role", "profile_text", "tasks_text", "how_to_apply")
    )


def vacancy_get(user, pk):
    """A vacancy draft: for who edits the school's ICT work; anyone else 404."""
    from .models import Vacancy

    try:
        return (
            Vacancy.objects.for_user(user, Action.EDIT)
            .select_related("school__organisation", "school_year", "profile")
            .get(pk=pk)
        )
    except (Vacancy.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def vacancy_defaults(school: School, school_year: SchoolYear, planned_tasks, profile) -> dict:
    """The first text of every section, from the tasks, the profile and the standard wording."""
    organisation = school.organisation
    wording = Wording(organisation.region)
    fill = {"school": school.name, "board": organisation.name}
    team = _team()
    hours = sum((team.task_hours(item) for item in planned_tasks), ZERO)
    per_fte = Decimal(organisation.hours_per_fte or 1600)
    fte = min(Decimal("1.0"), max(Decimal("0.1"), (hours / per_fte).quantize(Decimal("0.1"))))
    competences = [
        c.get(wording.lang) or c.get("nl", "") for c in (profile.competences if profile else [])
    ]
    title = profile.name if profile else planned_tasks[0].task.title
    role = wording.text("vacancy", "role")
    if profile is not None:
        role = f"{profile.description}\n\n{role}"
    return {
        "title": title[:200],
        "context": wording.text("vacancy", "context", **fill),
        "role": role,
        "profile_text": "\n".join(f"- {c}" for c in competences),
        "tasks_text": "\n".join(
            f"- {item.task.code} {item.task.title} ({hours_text(team.task_hours(item))} u)"
            for item in planned_tasks
        ),
        "fte": fte,
        "hours_per_year": max(1, min(2000, int(hours) or 1)),
        "duration": wording.text("vacancy", "duration"),
        "presence": wording.text("vacancy", "presence"),
        "start": day_text(dt.date(school_year.start_year + 1, 9, 1)),
        "how_to_apply": wording.text("vacancy", "how_to_apply"),
        "timeline_internal": wording.text("vacancy", "timeline_internal"),
        "timeline_external": wording.text("vacancy", "timeline_external"),
    }


@dataclass
class VacancySection:
    heading: str
    lines: list[str]


@dataclass
class VacancyDocument:
    header: Header
    title: str
    sections: list[VacancySection]


def vacancy_document(vacancy) -> VacancyDocument:
    def lines(text: str) -> list[str]:
        return [line for line in text.splitlines() if line.strip()] or ["—"]

    terms = [
        _("%(label)s: %(fte)s (%(hours)s uur per schooljaar)")
        % {
            "label": str(vacancy.organisation.terms["post_size_label"]).capitalize(),
            "fte": hours_text(vacancy.fte),
            "hours": vacancy.hours_per_year,
        },
        _("Duur: %(value)s") % {"value": vacancy.duration or "—"},
        _("Aanwezigheid: %(value)s") % {"value": vacancy.presence or "—"},
        _("Start: %(value)s") % {"value": vacancy.start or "—"},
    ]
    return VacancyDocument(
        header=header_for(vacancy.school, vacancy.school.organisation, vacancy.school_year),
        title=vacancy.title,
        sections=[
            VacancySection(_("De school en haar context"), lines(vacancy.context)),
            VacancySection(_("De rol"), lines(vacancy.role)),
            VacancySection(_("Profiel en competenties"), lines(vacancy.profile_text)),
            VacancySection(_("Taken"), lines(vacancy.tasks_text)),
            VacancySection(_("Voorwaarden"), terms),
            VacancySection(_("Hoe solliciteren"), lines(vacancy.how_to_apply)),
            VacancySection(
                _("Tijdpad"),
                [
                    _("Interne ronde: %(value)s") % {"value": vacancy.timeline_internal or "—"},
                    _("Externe ronde: %(value)s") % {"value": vacancy.timeline_external or "—"},
                ],
            ),
        ],
    )


# --------------------------------------------------------------------------- house style


def may_style(user, organisation) -> bool:
    return user_can(user, Action.MANAGE_ORGANISATION, organisation=organisation)


def house_styles(organisation) -> list:
    from .models import HouseStyle

    return list(
        HouseStyle.objects.filter(organisation=organisation)
        .select_related("uploaded_by")
        .defer("docx")
        .order_by("kind")
    )


def placeholders() -> list[tuple[str, list[str]]]:
    """The placeholders each kind of template must contain (shown on the upload page)."""
    from .house_style import REQUIRED

    return [
        (str(DocumentKind(kind).label), ["{{ " + name + " }}" for name in names])
        for kind, names in REQUIRED.items()
    ]


# ----------------------------------------------------------------- bundles of a school


def bundle_get(user, pk, *, with_file: bool = False) -> DocumentBundle:
    """A school's bundle of job descriptions: for who may have every job description of that
    school (directie, ICT coordinator, organisation-wide roles); anyone else 404."""
    found = DocumentBundle.objects.for_user(user, Action.EDIT).select_related(
        "school__organisation", "school_year"
    )
    if not with_file:
        found = found.defer("content")
    try:
        bundle = found.get(pk=pk)
    except (DocumentBundle.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not may_manage(user, bundle.school):
        raise Http404
    return bundle


def bundles_for_school(user, school: School) -> dict[str, DocumentBundle]:
    """The latest bundle of each format of the school (without the file), by format."""
    if not may_manage(user, school):
        return {}
    latest: dict[str, DocumentBundle] = {}
    for bundle in (
        DocumentBundle.objects.for_user(user, Action.EDIT).filter(school=school).defer("content")
    ):
        latest.setdefault(bundle.format, bundle)
    return latest
