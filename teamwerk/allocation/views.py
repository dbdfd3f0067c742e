"""Pages of the allocation assistant. Reads through selectors, writes through services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from teamwerk.core.figures import figures_of_school
from teamwerk.core.http import no_store
from teamwerk.planning.models import TaskPlan
from teamwerk.team.models import Person
from teamwerk.team.services import ConcurrentChange
from teamwerk.tenancy.selectors import current_school_year, school_get

from . import selectors, services
from .forms import ProposalForm, WhatIfForm
from .models import RunStatus


def _school_target(request, pk=None):
    """The school a run is for: the one posted (checked against the user's scope: 404
    outside it), else the school chosen with the school switch."""
    if pk not in (None, ""):
        return school_get(request.user, pk)
    return request.school


def _require_run_rights(user, *, school, organisation) -> None:
    """Inside the scope but read-only (teamlid, lezer): 403."""
    if not services.may_run(user, school=school, organisation=organisation):
        raise PermissionDenied


def _group_organisation(request):
    organisation = request.organisation
    if organisation is None or not selectors.may_see_group(request.user, organisation):
        raise Http404
    _require_run_rights(request.user, school=None, organisation=organisation)
    return organisation


# --------------------------------------------------------------------------------- home


@login_required
@require_GET
def home(request):
    services.proposal_runs_expire()
    school, organisation = request.school, request.organisation
    school_runs, group_runs = selectors.recent_runs(
        request.user, school=school, organisation=organisation
    )
    return render(
        request,
        "allocation/home.html",
        {
            "school": school,
            "school_runs": school_runs,
            "group_runs": group_runs,
            "can_run": school is not None
            and services.may_run(request.user, school=school, organisation=school.organisation),
            "can_run_group": selectors.may_start_group(request.user, organisation),
            "organisation": organisation,
            "figures": figures_of_school(school, current_school_year(school.organisation))
            if school is not None
            else None,
        },
    )


# -------------------------------------------------------------------------------- start


@login_required
@require_http_methods(["GET", "POST"])
def start(request):
    """The choices for a proposal for the current school, or (``groep=1``) the group."""
    group = (request.POST if request.method == "POST" else request.GET).get("groep") == "1"
    if group:
        organisation = _group_organisation(request)
        school = None
        school_year = current_school_year(organisation)
        plan = TaskPlan.objects.filter(
            organisation=organisation, school__isnull=True, school_year=school_year
        ).first()
        people = (
            Person.objects.for_user(request.user)
            .filter(assignments__planned_task__plan=plan)
            .distinct()
            .order_by("last_name", "first_name", "pk")
            if plan
            else Person.objects.none()
        )
    else:
        school = _school_target(request, request.POST.get("school"))
        if school is None:
            return render(request, "allocation/no_school.html")
        organisation = school.organisation
        _require_run_rights(request.user, school=school, organisation=organisation)
        school_year = current_school_year(organisation)
        plan = TaskPlan.objects.filter(school=school, school_year=school_year).first()
        people = selectors.people_who_could_leave(request.user, school, school_year)

    form = ProposalForm(
        request.POST if request.method == "POST" else None,
        user=request.user,
        plan=plan,
        people=people,
        # "Try again with more time" after a run that found nothing in time.
        initial={"more_time": request.GET.get("meer_tijd") == "1"},
    )
    if request.method == "POST" and plan is not None and form.is_valid():
        run = services.proposal_start(
            actor=request.user,
            organisation=organisation,
            school=school,
            school_year=school_year,
            options=form.to_options(),
        )
        return redirect("allocation_run", pk=run.pk)
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "allocation/start.html",
        {
            "form": form,
            "school": school,
            "organisation": organisation,
            "school_year": school_year,
            "plan": plan,
            "group": group,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def whatif(request):
    """ "What if … leaves?": pick someone of the school's team."""
    school = _school_target(request, request.POST.get("school"))
    if school is None:
        return render(request, "allocation/no_school.html")
    _require_run_rights(request.user, school=school, organisation=school.organisation)
    school_year = current_school_year(school.organisation)
    people = selectors.people_who_could_leave(request.user, school, school_year)
    initial = {}
    if request.method == "GET" and request.GET.get("persoon", "").isdigit():
        initial["person"] = int(request.GET["persoon"])
    if request.method == "GET" and request.GET.get("meer_tijd") == "1":
        initial["more_time"] = True
    form = WhatIfForm(
        request.POST if request.method == "POST" else None, people=people, initial=initial
    )
    plan = TaskPlan.objects.filter(school=school, school_year=school_year).first()
    if request.method == "POST" and plan is not None and form.is_valid():
        run = services.whatif_start(
            actor=request.user,
            school=school,
            person=form.cleaned_data["person"],
            options=form.to_options(),
            school_year=school_year,
        )
        return redirect("allocation_run", pk=run.pk)
    return render(
        request,
        "allocation/whatif.html",
        {"form": form, "school": school, "school_year": school_year, "plan": plan},
        status=422 if request.method == "POST" else 200,
    )


# ---------------------------------------------------------------------------------- run


@login_required
@require_GET
@no_store
def run_detail(request, pk):
    services.proposal_runs_expire()
    run = selectors.run_get(request.user, pk)
    context = {
        "run": run,
        "can_run": services.may_run(request.user, school=run.school, organisation=run.organisation),
        "status_label": selectors.status_label(run),
        "options_summary": selectors.options_summary(run),
        "phase": selectors.progress_phase(run),
    }
    if run.status == RunStatus.DONE:
        context["page"] = selectors.proposal_page(
            request.user, run, show_all=request.GET.get("alles") == "1"
        )
    elif run.is_finished:
        context["failure"] = selectors.failure_text(run)
        context["more_time"] = selectors.offers_more_time(run)
    return render(request, "allocation/run.html", context)


@login_required
@require_GET
@no_store
def run_progress(request, pk):
    """Polled every second while the run works; reloads the page once it is finished."""
    services.proposal_runs_expire()
    run = selectors.run_get(request.user, pk)
    if run.is_finished:
        if request.htmx:
            response = HttpResponse(status=204)
            response["HX-Refresh"] = "true"
            return response
        return redirect("allocation_run", pk=run.pk)
    return render(
        request,
        "allocation/run.html#progress",
        {
            "run": run,
            "status_label": selectors.status_label(run),
            "phase": selectors.progress_phase(run),
        },
    )


@login_required
@require_POST
def restart(request, pk):
    """Start a failed run again with the same choices (e.g. after its worker stopped)."""
    run = selectors.run_get(request.user, pk)
    _require_run_rights(request.user, school=run.school, organisation=run.organisation)
    try:
        new_run = services.proposal_run_restart(actor=request.user, run=run)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("allocation_run", pk=run.pk)
    return redirect("allocation_run", pk=new_run.pk)


@login_required
@require_POST
def accept(request, pk):
    """Accept one task (``task``) or everything that is still open (``all``)."""
    run = selectors.run_get(request.user, pk)
    _require_run_rights(request.user, school=run.school, organisation=run.organisation)
    task = request.POST.get("task", "")
    target = reverse("allocation_run", args=[run.pk])
    if request.POST.get("alles") == "1":
        target += "?alles=1"
    if task:
        if not task.isdigit():
            raise Http404
        task_ids = [int(task)]
    elif request.POST.get("all") == "1":
        task_ids = None
    else:
        messages.error(request, _("Kies een taak om te aanvaarden."))
        return redirect(target)
    try:
        applied = services.proposal_accept(actor=request.user, run=run, planned_task_ids=task_ids)
    except services.StaleProposal as stale:
        messages.error(request, stale.message)
        return redirect(target)
    except ConcurrentChange as change:
        messages.error(request, change.message)
        return redirect(target)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(target)
    if task_ids is None:
        messages.success(
            request,
            ngettext(
                "Aanvaard: %(count)s taak heeft een nieuwe trekker of back-up.",
                "Aanvaard: %(count)s taken hebben een nieuwe trekker of back-up.",
                len(applied),
            )
            % {"count": len(applied)},
        )
    else:
        messages.success(
            request, _("Aanvaard. De verdeling van deze taak is aangepast in het team.")
        )
    return redirect(f"{target}#t-{applied[0]}" if task_ids else target)
