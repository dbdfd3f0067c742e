from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from teamwerk.accounts.services import audit_log
from teamwerk.core.versions import ConcurrentChange
from teamwerk.tenancy.roles import Action
from teamwerk.tenancy.selectors import has_group_view, user_can

from . import pdf, selectors, services
from .display import GroupDisplay, RouteDisplay, module_link, more_module_links, person
from .evidence import evidence_for_school
from .forms import AnswerForm
from .route import default_route

TIMELINE_SHOWN = 15


def _group_view(request, school) -> bool:
    return has_group_view(request.user, school.organisation)


def _route_context(request, school, *, form: AnswerForm | None = None, show_all=False) -> dict:
    journey = selectors.journey_for_school(request.user, school)
    state = selectors.position_for(journey)
    perspective = selectors.perspective_for(request.user, school)
    evidence = evidence_for_school(request.user, school, state)
    display = RouteDisplay(state, perspective, evidence, group_view=_group_view(request, school))
    entries = selectors.timeline(journey)
    timeline = display.timeline(entries if show_all else entries[:TIMELINE_SHOWN])
    open_check = display.open_check
    return {
        "school": school,
        "journey": journey,
        "state": state,
        "display": display,
        "perspective": perspective,
        "phases": display.phases(),
        "current_step": display.current_step,
        "open_check": open_check,
        "timeline": timeline,
        "timeline_hidden": len(entries) - len(timeline),
        "group_answer": selectors.group_answer_for_school(request.user, school)
        if state.position.current_step == 4
        else None,
        "form": form,
        "form_code": form.data.get("check_code") if form is not None else None,
        "loose_errors": _loose_errors(form, [open_check.code] if open_check else []),
        "group_view": _group_view(request, school),
    }


def _loose_errors(form: AnswerForm | None, shown_codes: list[str]) -> list[str]:
    """Errors of an answer whose question has no form on the page (shown on top instead)."""
    if form is None or not form.errors or form.data.get("check_code") in shown_codes:
        return []
    return [message for errors in form.errors.values() for message in errors]


@login_required
@require_GET
def route_current(request):
    """The "Waar staan we?" page of the school chosen with the school switch."""
    school = request.school
    if school is None:
        organisation = request.organisation
        if organisation is not None and has_group_view(request.user, organisation):
            return redirect("stappenplan_group")
        return render(request, "stappenplan/no_school.html")
    return _route_page(request, school)


@login_required
@require_GET
def route_school(request, school_id: int):
    school = selectors.route_school_get(request.user, school_id)
    return _route_page(request, school)


def _route_page(request, school, *, form=None, status=200):
    context = _route_context(request, school, form=form, show_all=bool(request.GET.get("alles")))
    return render(request, "stappenplan/route.html", context, status=status)


def _step_context(request, school, number: int, *, form: AnswerForm | None = None) -> dict:
    route = default_route()
    if not 1 <= number <= len(route.steps):
        raise Http404
    journey = selectors.journey_for_school(request.user, school)
    state = selectors.position_for(journey)
    perspective = selectors.perspective_for(request.user, school)
    evidence = evidence_for_school(request.user, school, state)
    group_view = _group_view(request, school)
    display = RouteDisplay(state, perspective, evidence, group_view=group_view)
    step = route.step(number)
    step_view = display.step_view(step, with_checks=True)
    codes = [c.code for c in step.checks]
    return {
        "school": school,
        "journey": journey,
        "state": state,
        "display": display,
        "perspective": perspective,
        "phases": display.phases(),
        "step": step_view,
        "guidance": display.guidance_for_step(step),
        "module_link": module_link(step.module, group_view=group_view),
        "more_module_links": more_module_links(step.module),
        "timeline": display.timeline(selectors.timeline(journey, codes=codes)),
        "form": form,
        "form_code": form.data.get("check_code") if form is not None else None,
        "loose_errors": _loose_errors(form, codes),
        "previous_step": number - 1 if number > 1 else None,
        "next_step": number + 1 if number < len(route.steps) else None,
        "group_answer": selectors.group_answer_for_school(request.user, school)
        if number == 4
        else None,
        "group_view": group_view,
    }


@login_required
@require_GET
def step_detail(request, school_id: int, number: int):
    school = selectors.route_school_get(request.user, school_id)
    context = _step_context(request, school, number)
    return render(request, "stappenplan/step.html", context)


@login_required
@require_POST
def answer(request, school_id: int):
    school = selectors.route_school_get(request.user, school_id)
    if not user_can(request.user, Action.EDIT, school=school):
        raise PermissionDenied
    form = AnswerForm(request.POST)
    if form.is_valid():
        journey = selectors.journey_for_school(request.user, school)
        try:
            services.answer_record(
                actor=request.user,
                journey=journey,
                check_code=form.cleaned_data["check_code"],
                value=form.answer_value,
                note=form.cleaned_data["note"],
                # A form without a version has seen no answer to this check.
                expected_version=form.cleaned_data.get("version") or 0,
            )
        except ConcurrentChange:
            form.add_error(None, stale_answer_message())
        except ValidationError as error:
            form.add_error(None, error)
    return_to = request.POST.get("return_to", "route")
    step_number = _step_of(request.POST.get("check_code", ""))
    if form.errors:
        return _answer_response(request, school, return_to, step_number, form, status=422)
    if not request.htmx:  # an htmx answer shows its confirmation in the swapped fragment
        messages.success(request, _("Je antwoord is bewaard."))
    return _answer_response(request, school, return_to, step_number, None)


def stale_answer_message() -> str:
    return _(
        "Iemand anders heeft deze vraag intussen beantwoord. Jouw antwoord is nog niet "
        "bewaard: bekijk het antwoord dat nu geldt en kies opnieuw. Je toelichting staat er nog."
    )


def _step_of(code: str) -> int | None:
    try:
        return default_route().check(code).step
    except KeyError:
        return None


def _answer_response(request, school, return_to, step_number, form, status=200):
    if return_to == "step" and step_number is not None:
        if request.htmx:
            context = _step_context(request, school, step_number, form=form)
            context["saved"] = form is None
            return render(request, "stappenplan/step.html#step-body", context, status=status)
        if form is None:
            return redirect("stappenplan_step", school_id=school.pk, number=step_number)
        context = _step_context(request, school, step_number, form=form)
        return render(request, "stappenplan/step.html", context, status=status)
    if request.htmx:
        context = _route_context(request, school, form=form)
        context["saved"] = form is None
        return render(request, "stappenplan/route.html#route-body", context, status=status)
    if form is None:
        return redirect("stappenplan_school", school_id=school.pk)
    return _route_page(request, school, form=form, status=status)


@login_required
@require_GET
def route_pdf(request, school_id: int):
    school = selectors.route_school_get(request.user, school_id)
    journey = selectors.journey_for_school(request.user, school)
    state = selectors.position_for(journey)
    today = timezone.localdate()
    html = pdf.route_print_html(request, school, journey, state)
    response = HttpResponse(pdf.html_to_pdf(html), content_type="application/pdf")
    filename = f"stappenplan-{slugify(school.name)}-{today:%Y-%m-%d}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    audit_log(
        actor=request.user,
        organisation=school.organisation,
        kind="stappenplan.exported",
        target=school.name,
        data={"school": school.pk, "file": filename},
    )
    return response


# --- the group ----------------------------------------------------------------------------


@login_required
@require_GET
def group(request):
    overview = selectors.group_overview(request.user, request.organisation)
    return render(request, "stappenplan/group.html", _group_context(overview))


def _group_context(overview, form: AnswerForm | None = None) -> dict:
    """``form``: a refused answer to show again with its messages."""
    group_display = GroupDisplay(overview)
    return {
        "overview": overview,
        "organisation": overview.organisation,
        "rows": group_display.rows(),
        "phase_counts": group_display.phase_counts(),
        "stuck_checks": group_display.stuck(),
        "group_question": group_display.group_question,
        "group_answered_by": person(overview.group_answer),
        "group_timeline": group_display.timeline(),
        "form": form,
        "form_code": selectors.GROUP_CHECK,
    }


@login_required
@require_POST
def group_answer(request):
    organisation = request.organisation
    overview = selectors.group_overview(request.user, organisation)  # 404 without group view
    if not overview.can_answer:
        raise PermissionDenied
    form = AnswerForm(
        request.POST,
        codes=(selectors.GROUP_CHECK,),
        unknown_code=_("De groep beantwoordt in het stappenplan alleen stap 4."),
    )
    if form.is_valid():
        journey = services.journey_ensure(organisation=organisation)
        try:
            services.answer_record(
                actor=request.user,
                journey=journey,
                check_code=form.cleaned_data["check_code"],
                value=form.answer_value,
                note=form.cleaned_data["note"],
                # A form without a version has seen no answer to this check.
                expected_version=form.cleaned_data.get("version") or 0,
            )
        except ConcurrentChange:
            form.add_error(None, stale_answer_message())
        except ValidationError as error:
            form.add_error(None, error)
    if form.errors:
        context = _group_context(overview, form)
        template = (
            "stappenplan/group.html#group-answer" if request.htmx else "stappenplan/group.html"
        )
        return render(request, template, context, status=422)
    if request.htmx:
        overview = selectors.group_overview(request.user, organisation)
        context = {**_group_context(overview), "saved": True}
        return render(request, "stappenplan/group.html#group-answer", context)
    messages.success(request, _("Het antwoord van de groep is bewaard."))
    return redirect(reverse("stappenplan_group"))
