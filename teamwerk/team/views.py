"""Pages of Team & verdeling. Reads through selectors, writes through services."""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal
from functools import wraps
from io import BytesIO

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from teamwerk.accounts.services import audit_log
from teamwerk.catalogue.models import Domain, Profile
from teamwerk.core.figures import MEANINGS
from teamwerk.core.forms import service_errors_to_form
from teamwerk.core.http import no_store
from teamwerk.core.versions import differences, with_version
from teamwerk.tenancy.models import School
from teamwerk.tenancy.roles import Action
from teamwerk.tenancy.selectors import current_school_year, has_group_view, user_can
from teamwerk.tenancy.terms import terms_of as _terms

from . import charts, selectors, services
from .forms import (
    AGREEMENT_HINTS,
    AgreementForm,
    AsOfForm,
    AssignmentForm,
    BackupForm,
    CompetenceForm,
    ImportForm,
    OwnerForm,
    PersonAccountForm,
    PersonForm,
)
from .importer import (
    ImportRefused,
    Match,
    PersonRow,
    RowError,
    match_rows,
    parse_people,
    profile_spellings,
    read_table,
)
from .matrix import CellLabels, columns_for, row_cells
from .models import AgreementKind, Assignment, AssignmentRole, Availability, Mandate, Person

PLANNING_URL = "/takenoverzicht/"
IMPORT_SESSION_KEY = "team_import"


# ------------------------------------------------------------------------------ helpers


def school_page(view):
    """Pages about the school chosen with the school switch (and its current school year)."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        school = request.school
        if school is None:
            return render(request, "team/no_school.html")
        school_year = current_school_year(school.organisation)
        return view(request, school, school_year, *args, **kwargs)

    return wrapped


def _require_edit(user, school) -> None:
    """Inside the school but read-only (teamlid, lezer): 403. Outside was already 404."""
    if not selectors.may_edit(user, school):
        raise PermissionDenied


def _person_school(request, person: Person, school_year) -> School:
    """The school to show a person in: the current one if they work there, else one of
    theirs that the user may see."""
    places = list(
        Availability.objects.filter(person=person, school_year=school_year)
        .select_related("school__organisation")
        .order_by("school__name")
    )
    visible = [a.school for a in places if user_can(request.user, Action.VIEW, school=a.school)]
    if request.school is not None and request.school in visible:
        return request.school
    if visible:
        return visible[0]
    if request.school is not None and request.school.organisation_id == person.organisation_id:
        return request.school
    raise Http404


def _base(school, school_year, **extra) -> dict:
    return {"school": school, "school_year": school_year, **extra}


# ---------------------------------------------------------------------------- dashboard


def _dashboard_charts(figures) -> dict:
    def url(kind):
        return reverse("team_dashboard_list", args=[kind])

    coverage = charts.share_chart(
        "chart-coverage",
        _("Taken met een trekker en een back-up"),
        _("Van de %(count)s taken die het eigen team dit jaar doet.")
        % {"count": figures.task_count},
        [
            charts.ShareBar(
                _("Met trekker"), figures.with_owner, figures.task_count, url("zonder-trekker")
            ),
            charts.ShareBar(
                _("Met back-up"),
                figures.with_backup,
                figures.task_count,
                url("zonder-back-up"),
                "success",
            ),
        ],
        of=_("van"),
    )
    hours = charts.value_chart(
        "chart-hours",
        _("Uren nodig tegenover uren beschikbaar"),
        _("Uren per schooljaar: wat de taken vragen, wat verdeeld is en wat de mensen hebben."),
        [
            charts.ValueBar(
                MEANINGS["hours_needed"].label,
                figures.hours_needed,
                url("uren"),
                "neutral",
                _("uur"),
            ),
            charts.ValueBar(
                MEANINGS["hours_divided"].label,
                figures.hours_assigned,
                url("uren"),
                "primary",
                _("uur"),
            ),
            charts.ValueBar(
                MEANINGS["hours_available"].label,
                figures.hours_available,
                url("uren"),
                "danger" if figures.hours_available < figures.hours_needed else "success",
                _("uur"),
            ),
            charts.ValueBar(
                MEANINGS["budget"].label, figures.school_budget, url("uren"), "neutral", _("uur")
            ),
        ],
    )
    people = sorted(
        figures.people, key=lambda p: (-(p.hours_used - p.hours_available), p.person.last_name)
    )
    load = charts.load_chart(
        "chart-load",
        _("Uren per persoon"),
        _("Lichte balk: uren die iemand heeft; donkere balk: uren van de taken. Rood = te veel."),
        [
            charts.LoadBar(
                p.person.full_name,
                p.hours_used,
                p.hours_available,
                reverse("team_person", args=[p.person.pk]),
            )
            for p in people
        ],
        unit=_("u"),
        over_word=_("te veel"),
    )
    return {"chart_coverage": coverage, "chart_hours": hours, "chart_load": load}


@school_page
def dashboard(request, school, school_year):
    figures = selectors.dashboard_figures(school, school_year)
    context = _base(school, school_year, figures=figures, **_dashboard_charts(figures))
    context["group_view"] = has_group_view(request.user, school.organisation)
    return render(request, "team/dashboard.html", context)


DASHBOARD_LISTS = {
    "zonder-trekker": gettext_lazy("Taken zonder trekker"),
    "zonder-back-up": gettext_lazy("Taken zonder back-up"),
    "boven-uren": gettext_lazy("Mensen boven hun uren"),
    "kennis-bij-een-persoon": gettext_lazy("Kennis bij één persoon"),
    "uren": gettext_lazy("Uren nodig en beschikbaar"),
    "aanwerven-uitbesteden": gettext_lazy("Aanwerven of uitbesteden (stap 6)"),
    "geen-expertise": gettext_lazy("Taken waarvoor niemand de kennis heeft (stap 6)"),
}


@school_page
def dashboard_list(request, school, school_year, kind: str):
    if kind not in DASHBOARD_LISTS:
        raise Http404
    figures = selectors.dashboard_figures(school, school_year)
    titles = {k: str(v) for k, v in DASHBOARD_LISTS.items()}
    # Who is the only expert comes from self-assessments: only directie and ICT see names.
    sensitive = user_can(request.user, Action.VIEW_SENSITIVE, school=school)
    return render(
        request,
        "team/dashboard_list.html",
        _base(
            school, school_year, figures=figures, kind=kind, title=titles[kind], sensitive=sensitive
        ),
    )


@login_required
def organisation_dashboard(request):
    organisation = request.organisation
    if organisation is None or not has_group_view(request.user, organisation):
        raise Http404
    all_figures = selectors.organisation_figures(request.user, organisation)
    rows = []
    for index, figures in enumerate(all_figures):
        rows.append(
            {
                "figures": figures,
                "owner_meter": charts.meter(
                    f"m-o-{index}",
                    _("%(school)s: %(part)s van %(whole)s taken met trekker")
                    % {
                        "school": figures.school.name,
                        "part": figures.with_owner,
                        "whole": figures.task_count,
                    },
                    figures.with_owner,
                    figures.task_count,
                ),
                "backup_meter": charts.meter(
                    f"m-b-{index}",
                    _("%(school)s: %(part)s van %(whole)s taken met back-up")
                    % {
                        "school": figures.school.name,
                        "part": figures.with_backup,
                        "whole": figures.task_count,
                    },
                    figures.with_backup,
                    figures.task_count,
                    tone="success",
                ),
            }
        )
    totals = {
        "tasks": sum(f.task_count for f in all_figures),
        "with_owner": sum(f.with_owner for f in all_figures),
        "with_backup": sum(f.with_backup for f in all_figures),
        "over_hours": sum(len(f.over_hours) for f in all_figures),
        "single": sum(f.single_knowledge_count for f in all_figures),
        "hours_needed": sum(f.hours_needed for f in all_figures),
        "hours_available": sum(f.hours_available for f in all_figures),
        "step6": sum(len(f.recruit_outsource) + len(f.no_expertise) for f in all_figures),
    }
    chart = charts.share_chart(
        "chart-schools",
        _("Taken met een trekker per school"),
        _("Per school: hoeveel van de taken van het eigen team een trekker hebben."),
        [
            charts.ShareBar(f.school.name, f.with_owner, f.task_count, tone="primary")
            for f in all_figures
        ],
        of=_("van"),
    )
    return render(
        request,
        "team/organisation.html",
        {
            "organisation": organisation,
            "rows": rows,
            "totals": totals,
            "chart_schools": chart,
            "school_year": current_school_year(organisation),
        },
    )


# ------------------------------------------------------------------------------- matrix


def _cell_url_template() -> str:
    return (
        reverse("team_matrix_cell", args=[987654321, 123456789])
        .replace("987654321", "{t}")
        .replace("123456789", "{p}")
    )


@school_page
def matrix(request, school, school_year):
    everyone = request.GET.get("iedereen") == "1"
    problems_only = request.GET.get("problemen") == "1"
    data = selectors.distribution_matrix(request.user, school, school_year, everyone=everyone)
    editable = selectors.may_edit(request.user, school)
    labels = CellLabels.current(_terms(request))
    columns = columns_for(data.people)
    groups = []
    for group in data.groups:
        rows = [
            (row, row_cells(row, columns, data.skills, labels=labels))
            for row in group.rows
            if not problems_only or row.owner_id is None or not row.backup_ids
        ]
        if rows:
            groups.append((group.domain, rows))
    return render(
        request,
        "team/matrix.html",
        _base(
            school,
            school_year,
            data=data,
            groups=groups,
            editable=editable,
            everyone=everyone,
            problems_only=problems_only,
            cell_url=_cell_url_template(),
            planning_url=PLANNING_URL,
            column_count=len(data.people) + 1,
        ),
    )


def _cell_context(request, planned_task, person, school_year, **extra) -> dict:
    held = selectors.task_assignments(planned_task)
    current = next((a for a in held if a.person_id == person.pk), None)
    owner = next((a for a in held if a.role == AssignmentRole.OWNER), None)
    people = selectors.people_for_school(
        request.user, planned_task.school, school_year, ict_only=False
    )
    hours = next(((p.hours_used, p.hours_available) for p in people if p.pk == person.pk), None)
    used, available = hours or (selectors.ZERO, selectors.ZERO)
    task_hours = selectors.task_hours(planned_task)
    skill = None
    if user_can(request.user, Action.VIEW_SENSITIVE, school=planned_task.school):
        skills = selectors.SkillMap.readable(request.user, [person.pk])
        skill = skills.for_task(person.pk, planned_task.task_id, planned_task.task.domain_id)
    after_owner = used - (current.hours if current else 0) + task_hours
    return {
        "planned_task": planned_task,
        "person": person,
        "current": current,
        "owner": owner,
        "token": selectors.distribution_token(held),
        "used": used,
        "available": available,
        "task_hours": task_hours,
        "after_owner": after_owner,
        "would_be_over": after_owner > available and (current is None or not current.is_owner),
        "skill": skill,
        "qualified": person.pedagogically_qualified
        or not planned_task.task.needs_pedagogical_qualification,
        "roles": AssignmentRole,
        **extra,
    }


@login_required
def matrix_cell(request, task_pk: int, person_pk: int):
    planned_task = selectors.planned_task_get(request.user, task_pk)
    person = selectors.person_get(request.user, person_pk)
    if planned_task.school_id is None or person.organisation_id != planned_task.organisation_id:
        raise Http404
    _require_edit(request.user, planned_task.school)
    school_year = planned_task.plan.school_year
    status = 200
    extra: dict = {}
    if request.method == "POST":
        role = request.POST.get("role", "")
        try:
            services.assignment_set_role(
                actor=request.user,
                planned_task=planned_task,
                person=person,
                role=role or None,
                expected_token=request.POST.get("token"),
            )
        except services.ConcurrentChange as change:
            status = 422
            extra = {"conflict": change.message, "wanted_role": role}
        except ValidationError as error:
            status = 422
            extra = {"error": " ".join(error.messages)}
        else:
            extra = {"saved": True}
        if not request.htmx:
            if status == 200:
                messages.success(request, _("De verdeling is bewaard."))
            else:
                messages.error(request, extra.get("conflict") or extra.get("error"))
            return redirect("team_task", planned_task.pk)
    context = _cell_context(request, planned_task, person, school_year, **extra)
    if request.htmx:
        if request.method == "POST":
            context.update(_row_refresh(request, planned_task, school_year))
        return render(request, "team/matrix.html#cell-editor", context, status=status)
    return render(request, "team/matrix_cell.html", context, status=status)


def _row_refresh(request, planned_task, school_year) -> dict:
    """Out-of-band pieces after a change: the task's row and the hours in the header."""
    row, people, skills = selectors.matrix_row(request.user, planned_task, school_year)
    # The row keeps the matrix's columns: the page told us which people it shows.
    shown = request.POST.get("columns", "")
    wanted = [int(pk) for pk in shown.split(",") if pk.isdigit()]
    if wanted:
        by_pk = {
            p.pk: p
            for p in selectors.people_for_school(
                request.user, planned_task.school, school_year, ict_only=False
            )
        }
        people = [by_pk[pk] for pk in wanted if pk in by_pk]
    labels = CellLabels.current(_terms(request))
    cells = row_cells(row, columns_for(people), skills, labels=labels)
    return {"oob_row": row, "oob_cells": cells, "oob_people": people}


# ------------------------------------------------------------------------------- task


@login_required
def task_detail(request, pk: int):
    planned_task = selectors.planned_task_get(request.user, pk)
    if planned_task.school_id is None:
        raise Http404
    school = planned_task.school
    school_year = planned_task.plan.school_year
    held = selectors.task_assignments(planned_task)
    editable = selectors.may_edit(request.user, school)
    people = selectors.people_for_school(request.user, school, school_year)
    hours_by_person = {p.pk: (p.hours_used, p.hours_available) for p in people}
    owner = next((a for a in held if a.role == AssignmentRole.OWNER), None)
    context = _base(
        school,
        school_year,
        planned_task=planned_task,
        assignments=held,
        owner=owner,
        backups=[a for a in held if a.role == AssignmentRole.BACKUP],
        notices=selectors.task_notices(planned_task, held, hours_by_person)
        if selectors.is_distributable(planned_task) or held
        else [],
        distributable=selectors.is_distributable(planned_task),
        hours=selectors.task_hours(planned_task),
        hours_by_person=hours_by_person,
        editable=editable,
        planning_url=PLANNING_URL,
    )
    undo = request.session.get(OWNER_UNDO_KEY)
    if editable and undo and undo.get("task") == planned_task.pk:
        context["owner_undo"] = undo
    if user_can(request.user, Action.VIEW_SENSITIVE, school=school):
        context["candidates"] = selectors.task_candidates(request.user, planned_task, people, held)
    if editable:
        context["owner_form"] = OwnerForm(
            user=request.user,
            school=school,
            school_year=school_year,
            initial={
                "person": owner.person_id,
                "hours": owner.hours,
                "mandate": owner.mandate,
                "mandate_budget": owner.mandate_budget,
                "mandate_note": owner.mandate_note,
                "starts_on": owner.starts_on,
                "ends_on": owner.ends_on,
                "version": owner.version,
            }
            if owner
            else {"mandate": Mandate.EXECUTES, "version": 0},
            prefix="owner",
        )
        context["backup_form"] = BackupForm(
            user=request.user, school=school, school_year=school_year, prefix="backup"
        )
    return render(request, "team/task.html", context)


def _task_for_edit(request, pk):
    planned_task = selectors.planned_task_get(request.user, pk)
    if planned_task.school_id is None:
        raise Http404
    _require_edit(request.user, planned_task.school)
    return planned_task


@login_required
@require_POST
def task_set_owner(request, pk: int):
    planned_task = _task_for_edit(request, pk)
    form = _task_form(request, planned_task, OwnerForm, "owner")
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("team_task", pk)
    data = form.cleaned_data
    current = (
        Assignment.objects.filter(planned_task=planned_task, role=AssignmentRole.OWNER)
        .select_related("person")
        .first()
    )
    replacing = current is not None and current.person_id != data["person"].pk
    if replacing and request.POST.get("confirm") != "1":
        # Nothing silent: replacing a trekker first shows both people side by side.
        return render(
            request,
            "team/owner_confirm.html",
            _owner_comparison(request, planned_task, current, data["person"]),
        )
    try:
        assignment = services.assignment_set_owner(
            actor=request.user,
            planned_task=planned_task,
            person=data["person"],
            hours=data.get("hours"),
            mandate=data["mandate"],
            mandate_budget=data.get("mandate_budget"),
            mandate_note=data.get("mandate_note") or "",
            starts_on=data.get("starts_on"),
            ends_on=data.get("ends_on"),
            expected_version=data.get("version"),
        )
    except services.ConcurrentChange as change:
        messages.error(request, change.message)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("%(name)s is nu trekker van deze taak.") % {"name": data["person"].full_name}
        )
        if replacing:
            # One step back is offered on the task page: the previous trekker with their
            # hours, mandate and period, as they were.
            request.session[OWNER_UNDO_KEY] = {
                "task": planned_task.pk,
                "name": current.person.full_name,
                "fields": {
                    "owner-person": current.person_id,
                    "owner-hours": str(current.hours),
                    "owner-mandate": current.mandate,
                    "owner-mandate_budget": ""
                    if current.mandate_budget is None
                    else str(current.mandate_budget),
                    "owner-mandate_note": current.mandate_note,
                    "owner-starts_on": current.starts_on.isoformat(),
                    "owner-ends_on": current.ends_on.isoformat() if current.ends_on else "",
                    "owner-version": assignment.version,
                    "confirm": "1",
                },
            }
    return redirect("team_task", pk)


OWNER_UNDO_KEY = "team_owner_undo"


def _owner_comparison(request, planned_task, current, new_person) -> dict:
    """Both people of a trekker change: their knowledge of the task (for who may read
    ratings) and their hours at this school."""
    school = planned_task.school
    school_year = planned_task.plan.school_year
    hours = {
        p.pk: p
        for p in selectors.people_for_school(request.user, school, school_year)
        if p.pk in (current.person_id, new_person.pk)
    }
    sensitive = user_can(request.user, Action.VIEW_SENSITIVE, school=school)
    skills = (
        selectors.SkillMap.readable(request.user, [current.person_id, new_person.pk])
        if sensitive
        else None
    )
    task = planned_task.task
    task_hours = selectors.task_hours(planned_task)

    def side(person, *, gains: bool):
        annotated = hours.get(person.pk)
        used = annotated.hours_used if annotated else Decimal("0")
        available = annotated.hours_available if annotated else Decimal("0")
        after = used + task_hours if gains else max(Decimal("0"), used - current.hours)
        return {
            "person": person,
            "skill": skills.for_task(person.pk, task.pk, task.domain_id) if skills else None,
            "used": used,
            "available": available,
            "after": after,
            "over_after": after > available,
        }

    return _base(
        school,
        school_year,
        planned_task=planned_task,
        before=side(current.person, gains=False),
        after=side(new_person, gains=True),
        sensitive=sensitive,
        task_hours=task_hours,
        posted=[(k, v) for k, v in request.POST.items() if k != "csrfmiddlewaretoken"],
    )


@login_required
@require_POST
def task_add_backup(request, pk: int):
    planned_task = _task_for_edit(request, pk)
    form = _task_form(request, planned_task, BackupForm, "backup")
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("team_task", pk)
    try:
        services.assignment_add_backup(
            actor=request.user,
            planned_task=planned_task,
            person=form.cleaned_data["person"],
            hours=form.cleaned_data.get("hours") or 0,
        )
    except services.ConcurrentChange as change:
        messages.error(request, change.message)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(name)s is nu back-up van deze taak.")
            % {"name": form.cleaned_data["person"].full_name},
        )
    return redirect("team_task", pk)


def _task_form(request, planned_task, form_class, prefix: str):
    """A trekker or back-up form of the task page, bound to what was posted."""
    return form_class(
        request.POST,
        user=request.user,
        school=planned_task.school,
        school_year=planned_task.plan.school_year,
        prefix=prefix,
    )


def _form_errors(form) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


# ------------------------------------------------------------------------- assignment


@login_required
def assignment_edit(request, pk: int):
    assignment = selectors.assignment_get(request.user, pk)
    _require_edit(request.user, assignment.school)
    conflict = None
    if request.method == "POST":
        form = AssignmentForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.assignment_update(
                    actor=request.user,
                    assignment=assignment,
                    hours=data["hours"],
                    mandate=data["mandate"],
                    mandate_budget=data.get("mandate_budget"),
                    mandate_note=data.get("mandate_note") or "",
                    starts_on=data["starts_on"],
                    ends_on=data.get("ends_on"),
                    expected_version=data.get("version"),
                )
            except services.ConcurrentChange as change:
                conflict = change
                if change.current is None:
                    messages.error(request, change.message)
                    return redirect("team_task", assignment.planned_task_id)
                # Keep what the user typed; the next save goes over the current version.
                post = request.POST.copy()
                post["version"] = change.current.version
                form = AssignmentForm(post)
                form.is_valid()
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for field, errors in error.message_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, error)
            else:
                messages.success(request, _("Bewaard."))
                return redirect("team_task", assignment.planned_task_id)
    else:
        form = AssignmentForm(
            initial={
                "hours": assignment.hours,
                "mandate": assignment.mandate,
                "mandate_budget": assignment.mandate_budget,
                "mandate_note": assignment.mandate_note,
                "starts_on": assignment.starts_on,
                "ends_on": assignment.ends_on,
                "version": assignment.version,
            }
        )
    return render(
        request,
        "team/assignment_form.html",
        {
            "assignment": assignment,
            "form": form,
            "conflict": conflict,
            "theirs": conflict.current if conflict else None,
        },
        status=409 if conflict else 200,
    )


@login_required
@require_POST
def assignment_remove(request, pk: int):
    assignment = selectors.assignment_get(request.user, pk)
    _require_edit(request.user, assignment.school)
    version = request.POST.get("version")
    try:
        services.assignment_remove(
            actor=request.user,
            assignment=assignment,
            expected_version=int(version) if version and version.isdigit() else None,
        )
    except services.ConcurrentChange as change:
        messages.error(request, change.message)
    else:
        messages.success(
            request,
            _("%(name)s is geen %(role)s meer van deze taak.")
            % {"name": assignment.person.full_name, "role": assignment.get_role_display().lower()},
        )
    return redirect("team_task", assignment.planned_task_id)


# ------------------------------------------------------------------------------ people


@school_page
def people(request, school, school_year):
    everyone = request.GET.get("iedereen") == "1"
    people = selectors.people_for_school(request.user, school, school_year, ict_only=not everyone)
    counts = {}
    for assignment in Assignment.objects.filter(
        school=school, planned_task__plan__school_year=school_year
    ).only("person_id", "role"):
        owned, backing = counts.get(assignment.person_id, (0, 0))
        if assignment.role == AssignmentRole.OWNER:
            owned += 1
        else:
            backing += 1
        counts[assignment.person_id] = (owned, backing)
    rows = [(p, *counts.get(p.pk, (0, 0))) for p in people]
    return render(
        request,
        "team/people.html",
        _base(
            school,
            school_year,
            rows=rows,
            everyone=everyone,
            editable=selectors.may_edit(request.user, school),
            sensitive=user_can(request.user, Action.VIEW_SENSITIVE, school=school),
            my_person=selectors.my_person(request.user, school.organisation),
            previous=selectors.previous_year_team(school, school_year) if not rows else None,
        ),
    )


@school_page
@require_POST
def people_copy_year(request, school, school_year):
    _require_edit(request.user, school)
    previous = selectors.previous_year_team(school, school_year)
    if previous is None:
        messages.info(request, _("Er is niets over te nemen."))
        return redirect("team_people")
    count = services.availabilities_copy_from_year(
        actor=request.user, school=school, from_year=previous[0], to_year=school_year
    )
    messages.success(
        request,
        _("%(count)s mensen overgenomen uit %(year)s, met hun ICT-uren. Pas aan wat verandert.")
        % {"count": count, "year": previous[0]},
    )
    return redirect("team_people")


@school_page
def person_create(request, school, school_year):
    _require_edit(request.user, school)
    form = PersonForm(request.POST or None, terms=_terms(request))
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(
                actor=request.user,
                organisation=school.organisation,
                school=school,
                school_year=school_year,
                # A new person has no stored version to compare with.
                **{k: v for k, v in form.cleaned_data.items() if k != "version"},
            )
        except ValidationError as error:
            service_errors_to_form(form, error)
        else:
            messages.success(
                request, _("%(name)s staat in de teamlijst.") % {"name": person.full_name}
            )
            return redirect("team_person", person.pk)
    return render(request, "team/person_form.html", _base(school, school_year, form=form))


@login_required
def person_detail(request, pk: int):
    person = selectors.person_get(request.user, pk)
    school_year = current_school_year(person.organisation)
    school = _person_school(request, person, school_year)
    overview = selectors.person_overview(person, school, school_year)
    return render(
        request,
        "team/person.html",
        _base(
            school,
            school_year,
            person=person,
            overview=overview,
            is_me=person.user_id == request.user.pk,
            may_assess=selectors.may_assess(request.user, person),
            editable=selectors.may_edit(request.user, school),
            may_invite=selectors.may_invite(request.user, school),
            may_link=selectors.may_link_account(request.user, person),
        ),
    )


@login_required
def person_edit(request, pk: int):
    person = selectors.person_get(request.user, pk)
    school_year = current_school_year(person.organisation)
    school = _person_school(request, person, school_year)
    _require_edit(request.user, school)
    if not selectors.persons_for_user(request.user, Action.EDIT).filter(pk=person.pk).exists():
        raise PermissionDenied
    availability = Availability.objects.filter(
        person=person, school=school, school_year=school_year
    ).first()
    initial = {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": person.email,
        "job_title": person.job_title,
        "profile": person.profile_id,
        "pedagogically_qualified": person.pedagogically_qualified,
        "external": person.external,
        "active": person.active,
        "hours_available": availability.hours_available if availability else 0,
        "version": person.version,
    }
    form = PersonForm(request.POST or None, initial=initial, terms=_terms(request))
    conflict, stored = None, []
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        hours = data.pop("hours_available")
        version = data.pop("version", None) or 0
        try:
            services.person_update(
                actor=request.user,
                person=person,
                school=school,
                school_year=school_year,
                hours_available=hours,
                expected_version=version,
                **data,
            )
        except services.ConcurrentChange as change:
            # Keep the user's input, based on the stored version; show what differs.
            conflict = change
            current = change.current
            availability = Availability.objects.filter(
                person=current, school=school, school_year=school_year
            ).first()
            form = PersonForm(with_version(request.POST, current.version), terms=_terms(request))
            form.is_valid()
            stored = differences(
                form,
                {
                    "first_name": current.first_name,
                    "last_name": current.last_name,
                    "email": current.email,
                    "job_title": current.job_title,
                    "profile": current.profile_id,
                    "pedagogically_qualified": current.pedagogically_qualified,
                    "external": current.external,
                    "active": current.active,
                    "hours_available": availability.hours_available if availability else 0,
                },
            )
        except ValidationError as error:
            service_errors_to_form(form, error)
        else:
            messages.success(request, _("Bewaard."))
            return redirect("team_person", person.pk)
    return render(
        request,
        "team/person_form.html",
        _base(school, school_year, form=form, person=person, conflict=conflict, differences=stored),
        status=409 if conflict else 200,
    )


@login_required
@require_POST
def person_invite(request, pk: int):
    person = selectors.person_get(request.user, pk)
    school_year = current_school_year(person.organisation)
    school = _person_school(request, person, school_year)
    if not selectors.may_invite(request.user, school):
        raise PermissionDenied
    try:
        invitation = services.person_invite(
            actor=request.user, person=person, school=school, request=request
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied:
        messages.error(request, _("Je mag op deze school niemand uitnodigen."))
    else:
        if invitation is None:
            messages.success(
                request,
                _("%(name)s had al een account; het is nu gekoppeld.") % {"name": person.full_name},
            )
        else:
            messages.success(
                request,
                _(
                    "Uitnodiging verstuurd naar %(email)s. Na het aanmelden ziet %(name)s "
                    "de eigen taken."
                )
                % {"email": person.email, "name": person.first_name},
            )
    return redirect("team_person", person.pk)


@school_page
def my_tasks(request, school, school_year):
    person = _linked_self(request, school)
    if person is None:
        return render(request, "team/not_in_team.html", _base(school, school_year))
    return redirect("team_person", person.pk)


@school_page
@no_store
def my_competences(request, school, school_year):
    person = _linked_self(request, school)
    if person is None:
        return render(request, "team/not_in_team.html", _base(school, school_year))
    return redirect("team_competences", person.pk)


def _linked_self(request, school) -> Person | None:
    """The person linked to the user's account, if any (never found by e-mail address)."""
    return selectors.my_person(request.user, school.organisation)


@login_required
def person_account(request, pk: int):
    """Link an account to this person, or undo the link: directie and ICT coordinators of the
    person's school only (they already read the person's ratings)."""
    person = selectors.person_get(request.user, pk)
    if not selectors.may_link_account(request.user, person):
        raise PermissionDenied
    school_year = current_school_year(person.organisation)
    school = _person_school(request, person, school_year)
    candidates = selectors.link_candidates(request.user, person)
    form = PersonAccountForm(
        request.POST if "user" in request.POST else None, candidates=candidates
    )
    if request.method == "POST":
        try:
            if "unlink" in request.POST:
                services.person_unlink_user(actor=request.user, person=person)
                messages.success(
                    request,
                    _("%(name)s is niet langer aan een account gekoppeld.")
                    % {"name": person.full_name},
                )
                return redirect("team_person", person.pk)
            if form.is_valid():
                services.person_link_user(
                    actor=request.user, person=person, user=form.cleaned_data["user"]
                )
                messages.success(
                    request,
                    _("%(name)s is nu gekoppeld aan het account %(email)s.")
                    % {"name": person.full_name, "email": form.cleaned_data["user"].email},
                )
                return redirect("team_person", person.pk)
        except ValidationError as error:
            form.add_error(None, error)
    return render(
        request,
        "team/person_account.html",
        _base(school, school_year, person=person, form=form),
    )


# ------------------------------------------------------------------------- competences


@login_required
@no_store
def competences(request, pk: int):
    person = selectors.assessable_person_get(request.user, pk)
    school_year = current_school_year(person.organisation)
    school = _person_school(request, person, school_year)
    plan = selectors.school_plan(school, school_year)
    tasks = [pt.task for pt in selectors.distributable_tasks(plan)] if plan else []
    domains = list(Domain.objects.order_by("order", "code"))
    existing = {(c.domain_id, c.task_id): c for c in selectors.competences_of(request.user, person)}
    form = CompetenceForm(
        request.POST or None,
        domains=domains,
        tasks=tasks,
        existing=existing,
        version=person.ratings_version,
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.competences_save(
                actor=request.user,
                person=person,
                entries=form.entries(),
                expected_version=form.cleaned_data.get("version") or 0,
            )
        except services.ConcurrentChange as change:
            # Keep what the user chose; show next to it what is stored now.
            conflict = change
            existing = {
                (c.domain_id, c.task_id): c for c in selectors.competences_of(request.user, person)
            }
            form = CompetenceForm(
                with_version(request.POST, change.current.ratings_version),
                domains=domains,
                tasks=tasks,
                existing=existing,
            )
            form.is_valid()
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if changed:
                messages.success(request, _("Bewaard. Bedankt!"))
            else:
                messages.info(request, _("Er was niets veranderd."))
            return redirect("team_competences", person.pk)
    return render(
        request,
        "team/competences.html",
        _base(
            school,
            school_year,
            person=person,
            form=form,
            rows=form.rows(),
            is_me=person.user_id == request.user.pk,
            conflict=conflict,
        ),
        status=409 if conflict else 200,
    )


# ------------------------------------------------------------------------------ import


def _profiles():
    return list(Profile.objects.all())


@school_page
def people_import(request, school, school_year):
    _require_edit(request.user, school)
    form = ImportForm(request.POST or None, request.FILES or None)
    context = _base(school, school_year, form=form)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            table = read_table(upload.name, upload.read())
        except ImportRefused as refused:
            context["refused"] = str(refused)
        else:
            profiles = _profiles()
            result = parse_people(table, profiles=profile_spellings(profiles))
            context["result"] = result
            matches: dict[int, str] = {}
            if result.ok:
                matches, refused = match_rows(actor=request.user, school=school, rows=result.rows)
                result.problems.extend(refused)
            if result.ok:
                token = secrets.token_urlsafe(16)
                request.session[IMPORT_SESSION_KEY] = {
                    "token": token,
                    "school": school.pk,
                    "school_year": school_year.pk,
                    "filename": upload.name[:100],
                    "rows": [r.to_json() for r in result.rows],
                }
                kinds = [matches[r.row] for r in result.rows]
                context.update(
                    token=token,
                    preview=[(r, matches[r.row]) for r in result.rows],
                    profile_names={p.code: p.name for p in profiles},
                    new_count=kinds.count(Match.NEW),
                    update_count=kinds.count(Match.UPDATE),
                    attach_count=kinds.count(Match.ATTACH),
                )
    return render(request, "team/import.html", context)


@school_page
@require_POST
def people_import_confirm(request, school, school_year):
    _require_edit(request.user, school)
    stored = request.session.get(IMPORT_SESSION_KEY)
    if (
        not stored
        or stored.get("token") != request.POST.get("token")
        or stored.get("school") != school.pk
        or stored.get("school_year") != school_year.pk
    ):
        messages.error(
            request,
            _(
                "Deze voorvertoning is verlopen of hoort bij een andere school. "
                "Laad het bestand opnieuw op."
            ),
        )
        return redirect("team_import")
    rows = [PersonRow.from_json(r) for r in stored["rows"]]
    try:
        counts = services.people_import_apply(
            actor=request.user,
            school=school,
            school_year=school_year,
            rows=rows,
            filename=stored.get("filename", ""),
        )
    except RowError as error:
        messages.error(request, _("Er is niets ingelezen. %(error)s") % {"error": error})
        return redirect("team_import")
    del request.session[IMPORT_SESSION_KEY]
    messages.success(
        request,
        _("Ingelezen: %(created)s nieuwe personen, %(updated)s bijgewerkt.") % counts,
    )
    if counts.get("attached"):
        messages.info(
            request,
            _("%(attached)s personen uit een andere school hebben nu ook een plaats hier.")
            % counts,
        )
    return redirect("team_people")


@login_required
def people_import_template(request):
    from openpyxl import Workbook

    from .importer import template_rows

    if not user_can(request.user, Action.EDIT):
        raise PermissionDenied
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Mensen")
    for row in template_rows():
        sheet.append(row)
    profiles = workbook.create_sheet(_("Rolprofielen"))
    profiles.append([_("Code"), _("Naam")])
    for profile in Profile.objects.order_by("name_nl"):
        profiles.append([profile.code, profile.name])
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="teamwerk-mensen.xlsx"'
    audit_log(
        actor=request.user,
        organisation=request.organisation,
        kind="people.template_downloaded",
        target="teamwerk-mensen.xlsx",
    )
    return response


# -------------------------------------------------------------------------- agreements


@school_page
def agreements(request, school, school_year):
    items = list(selectors.agreements_for_school(request.user, school, school_year))
    by_kind = [
        (kind, label, AGREEMENT_HINTS[kind], [a for a in items if a.kind == kind])
        for kind, label in AgreementKind.choices
    ]
    today = timezone.localdate()
    return render(
        request,
        "team/agreements.html",
        _base(
            school,
            school_year,
            by_kind=by_kind,
            editable=selectors.may_edit(request.user, school),
            today=today,
        ),
    )


@school_page
def agreement_create(request, school, school_year):
    _require_edit(request.user, school)
    kind = request.GET.get("soort")
    if kind not in AgreementKind.values:
        kind = AgreementKind.KNOWLEDGE
    form = AgreementForm(
        request.POST or None,
        user=request.user,
        school=school,
        school_year=school_year,
        initial={"kind": kind, "agreed_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_create(
                actor=request.user, school=school, school_year=school_year, **form.values()
            )
        except ValidationError as error:
            service_errors_to_form(form, error)
        else:
            messages.success(request, _("De afspraak is bewaard."))
            return redirect("team_agreements")
    return render(request, "team/agreement_form.html", _base(school, school_year, form=form))


@login_required
def agreement_edit(request, pk: int):
    agreement = selectors.agreement_get(request.user, pk)
    _require_edit(request.user, agreement.school)
    school, school_year = agreement.school, agreement.school_year
    initial = {
        "kind": agreement.kind,
        "text": agreement.text,
        "documentation_location": agreement.documentation_location,
        "meeting_rhythm": agreement.meeting_rhythm,
        "channel": agreement.channel,
        "agreed_on": agreement.agreed_on,
        "review_on": agreement.review_on,
        "responsible": agreement.responsible_id,
        "version": agreement.version,
    }
    form = AgreementForm(
        request.POST or None,
        user=request.user,
        school=school,
        school_year=school_year,
        initial=initial,
    )
    theirs = None
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_update(
                actor=request.user,
                agreement=agreement,
                # A form without a version cannot prove it saw the stored agreement.
                expected_version=form.cleaned_data.get("version") or 0,
                **form.values(),
            )
        except services.ConcurrentChange as change:
            theirs = change.current
            form.add_error(None, change.message)
            if theirs is not None:
                post = request.POST.copy()
                post["version"] = theirs.version
                form.data = post
        except ValidationError as error:
            service_errors_to_form(form, error)
        else:
            messages.success(request, _("De afspraak is bewaard."))
            return redirect("team_agreements")
    return render(
        request,
        "team/agreement_form.html",
        _base(school, school_year, form=form, agreement=agreement, theirs=theirs),
        status=409 if theirs else 200,
    )


@login_required
@require_POST
def agreement_delete(request, pk: int):
    agreement = selectors.agreement_get(request.user, pk)
    _require_edit(request.user, agreement.school)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = 0
    try:
        services.agreement_delete(actor=request.user, agreement=agreement, expected_version=version)
    except services.ConcurrentChange:
        messages.error(
            request,
            _(
                "Iemand anders heeft deze afspraak intussen gewijzigd. Ze is niet verwijderd: "
                "bekijk ze opnieuw en verwijder ze dan als dat nog nodig is."
            ),
        )
        return redirect("team_agreement_edit", agreement.pk)
    messages.success(request, _("De afspraak is verwijderd."))
    return redirect("team_agreements")


# ----------------------------------------------------------------------------- history


@school_page
def history(request, school, school_year):
    default_day = max(school_year.starts_on, timezone.localdate() - dt.timedelta(days=30))
    form = AsOfForm(request.GET if "datum" in request.GET else None, initial={"datum": default_day})
    day = form.cleaned_data["datum"] if form.is_valid() else default_day
    when = timezone.make_aware(dt.datetime.combine(day, dt.time.max))
    only_changed = request.GET.get("alleen") == "wijzigingen"
    past = selectors.distribution_as_of(request.user, school, when)
    if only_changed:
        past = [p for p in past if p.changed]
    return render(
        request,
        "team/history.html",
        _base(
            school,
            school_year,
            form=form,
            day=day,
            past=past,
            only_changed=only_changed,
            changed_count=sum(1 for p in past if p.changed),
            changes=selectors.distribution_changes(request.user, school),
        ),
    )
