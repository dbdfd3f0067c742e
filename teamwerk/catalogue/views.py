"""The catalogue: browse and search every task, role profiles, own tasks, hiding tasks."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from teamwerk.core.versions import ConcurrentChange, differences, with_version
from teamwerk.tenancy.selectors import current_school_year
from teamwerk.tenancy.terms import terms_of as _terms

from . import selectors, services
from .forms import CatalogueFilterForm, OwnTaskForm
from .models import Task


@login_required
@require_GET
def catalogue_index(request):
    organisation = request.organisation
    form = CatalogueFilterForm(request.GET, terms=_terms(request))
    filters = form.filters()
    tasks = filters.apply(selectors.catalogue_tasks(request.user, organisation)).order_by(
        "domain__order", "code"
    )
    hidden = selectors.hidden_task_ids(organisation)
    shown = [task for task in tasks if task.pk not in hidden]
    hidden_tasks = [task for task in tasks if task.pk in hidden]
    context = {
        "form": form,
        "filters": filters,
        "groups": selectors.group_by_domain(shown),
        "count": len(shown),
        "hidden_tasks": hidden_tasks,
        "organisation": organisation,
        "can_add": selectors.can_add_own_tasks(request.user, organisation),
    }
    if request.htmx and request.htmx.target == "catalogue-results":
        return render(request, "catalogue/index.html#results", context)
    return render(request, "catalogue/index.html", context)


def _plan_item_for(request, task: Task):
    """How the user's current school has decided this task this year (if it has a plan)."""
    from teamwerk.planning.selectors import plan_for

    if request.organisation is None or request.school is None:
        return None, None
    plan = plan_for(
        request.user,
        organisation=request.organisation,
        school=request.school,
        school_year=current_school_year(request.organisation),
    )
    if plan is None:
        return None, None
    return plan, plan.items.filter(task=task).first()


@login_required
@require_GET
def catalogue_task(request, pk: int):
    task = selectors.task_get(request.user, pk)
    organisation = request.organisation
    plan, item = _plan_item_for(request, task)
    return render(
        request,
        "catalogue/task_detail.html",
        {
            "task": task,
            "sources": [selectors.source_label(ref) for ref in task.sources],
            "hidden": task.pk in selectors.hidden_task_ids(organisation),
            "can_hide": task.is_standard and selectors.can_hide_tasks(request.user, organisation),
            "can_edit": not task.is_standard
            and organisation is not None
            and task.organisation_id == organisation.pk
            and selectors.can_change_own_task(request.user, task),
            "plan": plan,
            "item": item,
        },
    )


@login_required
@require_GET
def catalogue_profiles(request):
    return render(
        request,
        "catalogue/profiles.html",
        {"profiles": selectors.profiles_with_tasks(request.user, request.organisation)},
    )


def _own_task_organisation(request):
    organisation = request.organisation
    if organisation is None:
        raise Http404
    if not selectors.can_add_own_tasks(request.user, organisation):
        raise PermissionDenied
    return organisation


@login_required
@require_http_methods(["GET", "POST"])
def catalogue_task_create(request):
    organisation = _own_task_organisation(request)
    form = OwnTaskForm(request.POST or None, terms=_terms(request))
    if request.method == "POST" and form.is_valid():
        try:
            task = services.task_create_own(
                actor=request.user,
                organisation=organisation,
                school=selectors.own_task_school(request.user, organisation, request.school),
                **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Eigen taak '%(title)s' staat in de catalogus van %(organisation)s.")
                % {"title": task.title, "organisation": organisation.name},
            )
            return redirect("catalogue_task", pk=task.pk)
    return render(
        request,
        "catalogue/task_form.html",
        {"form": form, "organisation": organisation, "task": None},
    )


@login_required
@require_http_methods(["GET", "POST"])
def catalogue_task_edit(request, pk: int):
    task = selectors.task_get(request.user, pk)
    organisation = request.organisation
    if task.is_standard or organisation is None or task.organisation_id != organisation.pk:
        raise Http404
    if not selectors.can_change_own_task(request.user, task):
        raise PermissionDenied  # another school's own task: it reads it, but does not change it
    task = selectors.own_task_get(request.user, pk, organisation)
    form = OwnTaskForm(request.POST or None, instance=task, terms=_terms(request))
    conflict, stored = None, []
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        # A form without a version cannot prove it saw the stored task.
        version = values.pop("version", None) or 0
        try:
            services.task_update_own(
                actor=request.user, task=task, expected_version=version, **values
            )
        except ConcurrentChange as change:
            # Keep the user's input, now based on the stored version; show what differs.
            conflict, current = change, change.current
            form = OwnTaskForm(
                with_version(request.POST, current.version), instance=current, terms=_terms(request)
            )
            form.is_valid()
            stored = differences(
                form,
                {
                    **{name: getattr(current, name) for name in OwnTaskForm.Meta.fields},
                    "domain": current.domain_id,
                    "profiles": [p.pk for p in current.profiles.all()],
                },
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Eigen taak bewaard."))
            return redirect("catalogue_task", pk=task.pk)
    return render(
        request,
        "catalogue/task_form.html",
        {
            "form": form,
            "organisation": organisation,
            "task": task,
            "conflict": conflict,
            "differences": stored,
        },
        status=409 if conflict else 200,
    )


@login_required
@require_POST
def catalogue_task_hide(request, pk: int):
    """Hide a standard task from the organisation's catalogue and new plans (or show it again)."""
    task = selectors.task_get(request.user, pk)
    organisation = request.organisation
    if organisation is None or not task.is_standard:
        raise Http404
    if not selectors.can_hide_tasks(request.user, organisation):
        raise PermissionDenied
    hide = request.POST.get("hidden") != "0"
    services.task_set_hidden(actor=request.user, organisation=organisation, task=task, hidden=hide)
    if hide:
        messages.success(
            request,
            _(
                "'%(title)s' is verborgen: nieuwe takenoverzichten van %(organisation)s nemen de "
                "taak niet meer op. Bestaande overzichten houden hun keuzes."
            )
            % {"title": task.title, "organisation": organisation.name},
        )
    else:
        messages.success(request, _("'%(title)s' is weer zichtbaar.") % {"title": task.title})
    return redirect("catalogue_task", pk=task.pk)
