"""The task overview (step 5): a school's plan, the group plan and the group decisions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from teamwerk.accounts.services import audit_log
from teamwerk.catalogue.models import Domain, Level, Task
from teamwerk.tenancy.models import School
from teamwerk.tenancy.querysets import scope_for
from teamwerk.tenancy.roles import Action
from teamwerk.tenancy.selectors import current_school_year, has_group_view, schools_for_user
from teamwerk.tenancy.services import school_year_ensure

from . import excel, selectors, services
from .forms import (
    AddTasksForm,
    BulkForm,
    CustomTaskForm,
    GroupDecisionForm,
    ImportForm,
    PlanFilterForm,
    PlanStartForm,
)
from .models import Horizon, Priority, Sourcing, TaskPlan
from .values import EDITABLE_FIELDS, display_value, field_label

# -- helpers ------------------------------------------------------------------------------------


def _editable_plan(request, pk) -> TaskPlan:
    """Readable plan (else 404) that this user may also change (else 403: in scope, read-only)."""
    plan = selectors.plan_get(request.user, pk)
    if not services.can_edit_plan(request.user, plan):
        raise PermissionDenied
    return plan


def _place_name(plan: TaskPlan) -> str:
    return plan.school.name if plan.school_id else plan.organisation.name


def _choices() -> dict:
    return {
        "applies": [("", "—"), ("yes", _("Ja")), ("no", _("Nee"))],
        "horizon": [("", "—"), *Horizon.choices],
        "level": [("", "—"), *Level.choices],
        "sourcing": [("", "—"), *Sourcing.choices],
        "priority": [("", "—"), *[(str(v), label) for v, label in Priority.choices]],
    }


def _domains(items) -> list[Domain]:
    seen = {}
    for item in items:
        seen.setdefault(item.task.domain_id, item.task.domain)
    return sorted(seen.values(), key=lambda d: (d.order, d.code))


# A large overview (a school with 200 tasks) sends its first rows at once and the rest of the
# rows as they scroll into view (htmx "revealed"), so the page stays light; a plain link
# per domain loads them without JavaScript. Plans up to LAZY_FROM_ROWS rows come whole.
LAZY_FROM_ROWS = 100
FIRST_ROWS = 20


def _table_parts(blocks) -> list[dict]:
    """Per domain block: the rows shown now and where the rows loaded later start (or None)."""
    if sum(len(block.items) for block in blocks) <= LAZY_FROM_ROWS:
        return [{"block": block, "items": block.items, "rest_from": None} for block in blocks]
    parts, budget = [], FIRST_ROWS
    for block in blocks:
        shown = block.items[: max(budget, 0)]
        budget -= len(shown)
        rest = len(shown) if len(shown) < len(block.items) else None
        parts.append({"block": block, "items": shown, "rest_from": rest})
    return parts


def _plan_context(request, plan: TaskPlan, *, filter_data=None) -> dict:
    items = selectors.plan_items(plan)
    summary = selectors.plan_summary(plan, items)
    domains = [block.domain for block in summary.blocks]
    filter_form = PlanFilterForm(
        filter_data if filter_data is not None else request.GET, domains=domains
    )
    filters = filter_form.filters()
    can_edit = services.can_edit_plan(request.user, plan)
    blocks = selectors.filter_blocks(summary.blocks, filters)
    return {
        "plan": plan,
        "place": _place_name(plan),
        "summary": summary,
        "blocks": blocks,
        "parts": _table_parts(blocks),
        "filters": filters,
        "filter_form": filter_form,
        "can_edit": can_edit,
        "choices": _choices(),
        "bulk_form": BulkForm(plan=plan, domains=domains) if can_edit else None,
    }


# -- entry, list and start ----------------------------------------------------------------------


@login_required
@require_GET
def plan_index(request):
    """The current school's plan of this school year, or the page to start one."""
    organisation = request.organisation
    if organisation is None:
        raise Http404
    plan = selectors.plan_for(
        request.user,
        organisation=organisation,
        school=request.school,
        school_year=current_school_year(organisation),
    )
    if plan is not None:
        return redirect("plan_detail", pk=plan.pk)
    return redirect("plan_list")


def _status_annotations():
    undecided = Q(items__applies__isnull=True) | Q(
        Q(items__applies=True) & (Q(items__horizon="") | Q(items__level="") | Q(items__sourcing=""))
    )
    return {"task_count": Count("items"), "undecided_count": Count("items", filter=undecided)}


def _start_form(request, *, organisation, school, plans, prefix):
    current = current_school_year(organisation).start_year
    taken = {plan.school_year.start_year for plan in plans}
    years = [y for y in (current - 1, current, current + 1) if y not in taken]
    if not years:
        return None
    return PlanStartForm(
        request.POST if request.POST.get("form") == prefix else None,
        years=years,
        earlier_plans=plans,
        prefix=prefix,
        initial={
            "start_year": current if current in years else years[-1],
            # Copying the latest plan is the usual start of a new year.
            "source": str(plans[0].pk) if plans else "catalogue",
        },
    )


@login_required
@require_GET
def plan_list(request):
    organisation = request.organisation
    if organisation is None:
        raise Http404
    user = request.user
    school = request.school
    plans = list(
        selectors.plans_for_user(user)
        .filter(organisation=organisation)
        .annotate(**_status_annotations())
        .order_by("school__name", "-school_year__start_year")
    )
    school_plans = [p for p in plans if school and p.school_id == school.pk]
    group_plans = [p for p in plans if p.school_id is None]
    other_plans = [p for p in plans if p.school_id and (not school or p.school_id != school.pk)]
    edit_scope = scope_for(user, Action.EDIT)
    can_start_school = bool(
        school
        and (school.pk in edit_scope.schools or organisation.pk in edit_scope.organisation_wide)
    )
    can_start_group = organisation.pk in edit_scope.organisation_wide
    return render(
        request,
        "planning/plan_list.html",
        {
            "organisation": organisation,
            "school": school,
            "school_plans": school_plans,
            "group_plans": group_plans,
            "other_plans": other_plans,
            "current_year": current_school_year(organisation),
            "school_form": _start_form(
                request,
                organisation=organisation,
                school=school,
                plans=school_plans,
                prefix="school",
            )
            if can_start_school
            else None,
            "group_form": _start_form(
                request,
                organisation=organisation,
                school=None,
                plans=group_plans,
                prefix="group",
            )
            if can_start_group
            else None,
        },
    )


@login_required
@require_POST
def plan_start(request):
    """Start a plan for a school (or the group) and a school year: from the catalogue or by
    copying an earlier year's plan."""
    organisation = request.organisation
    if organisation is None:
        raise Http404
    place = request.POST.get("form")
    if place == "group":
        school = None
        if organisation.pk not in scope_for(request.user, Action.EDIT).organisation_wide:
            if not has_group_view(request.user, organisation):
                raise Http404
            raise PermissionDenied
    else:
        try:
            school = schools_for_user(request.user).get(pk=request.POST.get("school"))
        except (School.DoesNotExist, ValueError, TypeError):
            raise Http404 from None
        organisation = school.organisation
        edit = scope_for(request.user, Action.EDIT)
        if school.pk not in edit.schools and organisation.pk not in edit.organisation_wide:
            raise PermissionDenied
        place = "school"
    plans = selectors.plans_of_place(request.user, organisation=organisation, school=school)
    form = _start_form(request, organisation=organisation, school=school, plans=plans, prefix=place)
    if form is None or not form.is_valid():
        messages.error(request, _("Kies een schooljaar dat nog geen takenoverzicht heeft."))
        return redirect("plan_list")
    year = school_year_ensure(organisation=organisation, start_year=form.cleaned_data["start_year"])
    source = form.source_plan()
    try:
        if source is not None:
            plan = services.plan_copy_from_year(
                actor=request.user, source_plan=source, school_year=year
            )
            messages.success(
                request,
                _("Het takenoverzicht van %(year)s staat klaar, met de keuzes van %(source)s.")
                % {"year": year, "source": source.school_year},
            )
        else:
            plan = services.plan_create_from_catalogue(
                actor=request.user, school=school, organisation=organisation, school_year=year
            )
            messages.success(
                request,
                _(
                    "Het takenoverzicht van %(year)s staat klaar. Beslis per taak of ze van "
                    "toepassing is."
                )
                % {"year": year},
            )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("plan_list")
    return redirect("plan_detail", pk=plan.pk)


# -- the plan page ------------------------------------------------------------------------------


@login_required
@require_GET
def plan_detail(request, pk: int):
    plan = selectors.plan_get(request.user, pk)
    context = _plan_context(request, plan)
    if request.htmx and "rest" in request.GET:
        # The rows of one domain from row `from` on, asked for as they scroll into view.
        code, start = request.GET.get("rest", ""), request.GET.get("from", "0")
        block = next((b for b in context["blocks"] if b.domain.code == code), None)
        if block is None or not start.isdigit():
            raise Http404
        part = {"block": block, "items": block.items[int(start) :], "rest_from": None}
        return render(
            request,
            "planning/plan_detail.html#rest-rows",
            {**context, "part": part, "block": block, "with_head": start == "0"},
        )
    if request.htmx and request.htmx.target == "plan-table":
        return render(request, "planning/plan_detail.html#plan-table", context)
    context.update(
        {
            "other_plans": selectors.plans_of_place(
                request.user, organisation=plan.organisation, school=plan.school
            ),
            "group_plan": None
            if plan.is_group_plan
            else selectors.plan_for(
                request.user,
                organisation=plan.organisation,
                school=None,
                school_year=plan.school_year,
            ),
            "missing_count": selectors.missing_catalogue_tasks(plan).count()
            if context["can_edit"]
            else 0,
            "recent_changes": selectors.plan_recent_changes(plan),
            "has_group_view": has_group_view(request.user, plan.organisation),
        }
    )
    return render(request, "planning/plan_detail.html", context)


def _row_response(request, plan, item, *, status=200, saved=False, error=None, conflict=None):
    items = selectors.plan_items(plan)
    summary = selectors.plan_summary(plan, items)
    item = next((i for i in items if i.pk == item.pk), item)
    block = next(b for b in summary.blocks if b.domain.pk == item.task.domain_id)
    return render(
        request,
        "planning/_row_response.html",
        {
            "plan": plan,
            "item": item,
            "block": block,
            "summary": summary,
            "can_edit": True,
            "choices": _choices(),
            "saved": saved,
            "error": error,
            "conflict": conflict,
        },
        status=status,
    )


def _submitted(post) -> dict:
    raw = {name: post[name] for name in EDITABLE_FIELDS if name in post}
    if "applies" in raw:
        raw["applies"] = {"yes": True, "no": False}.get(raw["applies"], raw["applies"])
    return raw


@login_required
@require_http_methods(["GET", "POST"])
def plan_item_update(request, pk: int, item_pk: int):
    """Save one choice of one task (inline, htmx). GET gives the row as it is now."""
    plan = selectors.plan_get(request.user, pk)
    item = selectors.item_get(request.user, plan, item_pk)
    if request.method == "GET":
        if not services.can_edit_plan(request.user, plan):
            raise PermissionDenied
        return _row_response(request, plan, item)
    if not services.can_edit_plan(request.user, plan):
        raise PermissionDenied
    raw = _submitted(request.POST)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    try:
        item = services.planned_task_update(
            actor=request.user, item=item, expected_version=version, **raw
        )
    except services.PlanConflict as conflict:
        mine = [
            (
                name,
                field_label(name),
                display_value(name, value),
                display_value(name, getattr(conflict.current, name)),
            )
            for name, value in conflict.submitted.items()
            if value != getattr(conflict.current, name)
        ]
        resubmit = {
            name: ("yes" if value else "no")
            if name == "applies" and value is not None
            else ("" if value is None else value)
            for name, value in conflict.submitted.items()
        }
        if not request.htmx:
            messages.error(request, str(conflict))
            return redirect("plan_detail", pk=plan.pk)
        return _row_response(
            request,
            plan,
            conflict.current,
            status=422,
            conflict={"mine": mine, "resubmit": resubmit},
        )
    except ValidationError as error:
        text = " ".join(
            f"{field_label(name)}: {' '.join(msgs)}" for name, msgs in error.message_dict.items()
        )
        if not request.htmx:
            messages.error(request, text)
            return redirect("plan_detail", pk=plan.pk)
        return _row_response(request, plan, item, status=422, error=text)
    if not request.htmx:
        messages.success(request, _("Bewaard."))
        return redirect("plan_detail", pk=plan.pk)
    return _row_response(request, plan, item, saved=True)


@login_required
@require_POST
def plan_bulk_update(request, pk: int):
    plan = _editable_plan(request, pk)
    items = selectors.plan_items(plan)
    form = BulkForm(
        request.POST, plan=plan, domains=_domains(items), item_ids=[i.pk for i in items]
    )
    changed = None
    if form.is_valid():
        changed = services.planned_tasks_bulk_update(
            actor=request.user,
            plan=plan,
            items_or_domain=form.target(),
            **form.fields_to_set(),
        )
        text = ngettext("%(count)s taak aangepast.", "%(count)s taken aangepast.", changed) % {
            "count": changed
        }
        if changed == 0:
            text = _("Niets aangepast: die taken stonden al zo.")
    else:
        # Nothing silent: each message says which field it is about.
        text = " ".join(
            " ".join(errors)
            if name == "__all__"
            else f"{form.fields[name].label}: {' '.join(errors)}"
            for name, errors in form.errors.items()
        )
    if not request.htmx:
        (messages.success if changed is not None else messages.error)(request, text)
        return redirect(reverse("plan_detail", kwargs={"pk": plan.pk}))
    context = _plan_context(request, plan, filter_data=request.POST)
    context.update({"bulk_message": text, "bulk_ok": changed is not None})
    if changed is None:  # the ticked tasks stay ticked, to correct and send again
        context["ticked"] = {int(i) for i in request.POST.getlist("items") if i.isdigit()}
    return render(
        request,
        "planning/_table_response.html",
        context,
        status=200 if changed is not None else 422,
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_custom_task_add(request, pk: int):
    plan = _editable_plan(request, pk)
    form = CustomTaskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.plan_add_custom_task(
                actor=request.user,
                plan=plan,
                domain=data["domain"],
                title_nl=data["title_nl"],
                title_en=data["title_en"],
                description_nl=data["description_nl"],
                **{name: data[name] for name in ("hours", "horizon", "level", "sourcing", "notes")},
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Eigen taak '%(title)s' toegevoegd.") % {"title": item.task.title},
            )
            return redirect(f"{reverse('plan_detail', kwargs={'pk': plan.pk})}#item-{item.pk}")
    return render(
        request,
        "planning/custom_task_form.html",
        {"plan": plan, "place": _place_name(plan), "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_catalogue_tasks_add(request, pk: int):
    plan = _editable_plan(request, pk)
    form = AddTasksForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        added = services.plan_add_tasks(
            actor=request.user, plan=plan, tasks=form.cleaned_data["tasks"]
        )
        messages.success(
            request,
            ngettext("%(count)s taak toegevoegd.", "%(count)s taken toegevoegd.", len(added))
            % {"count": len(added)},
        )
        return redirect("plan_detail", pk=plan.pk)
    return render(
        request,
        "planning/add_tasks.html",
        {"plan": plan, "place": _place_name(plan), "form": form},
    )


# -- history ------------------------------------------------------------------------------------


@login_required
@require_GET
def plan_history(request, pk: int):
    plan = selectors.plan_get(request.user, pk)
    page, entries = selectors.plan_history_page(plan, request.GET.get("pagina"))
    return render(
        request,
        "planning/history.html",
        {"plan": plan, "place": _place_name(plan), "page": page, "entries": entries},
    )


# -- Excel --------------------------------------------------------------------------------------


def _export_filename(plan: TaskPlan) -> str:
    return f"takenoverzicht-{slugify(_place_name(plan))}-{plan.school_year}.xlsx"


@login_required
@require_GET
def plan_export(request, pk: int):
    plan = selectors.plan_get(request.user, pk)
    items = selectors.plan_items(plan)
    content = excel.export_plan(plan, items, hours_available=selectors.hours_available(plan))
    audit_log(
        actor=request.user,
        organisation=plan.organisation,
        kind="plan.exported",
        target=str(plan),
        data={"plan": plan.pk, "tasks": len(items)},
    )
    response = HttpResponse(content, content_type=excel.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_export_filename(plan)}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def plan_import(request, pk: int):
    """Upload: every row is read and checked; nothing is written before the preview is confirmed."""
    plan = _editable_plan(request, pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = []
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            rows, checked, errors = excel.check_file(plan, upload)
            if not errors and not checked.changes:
                messages.info(
                    request,
                    _("Het bestand is gelezen: er verandert niets aan het takenoverzicht."),
                )
                return redirect("plan_detail", pk=plan.pk)
            if not errors:
                pending = services.pending_import_create(
                    actor=request.user,
                    plan=plan,
                    rows=[row.to_json() for row in rows],
                    filename=upload.name,
                )
                return redirect("plan_import_preview", pk=plan.pk, import_pk=pending.pk)
        status = 422
    return render(
        request,
        "planning/import_form.html",
        {
            "plan": plan,
            "place": _place_name(plan),
            "form": form,
            "errors": sorted(errors, key=lambda e: e.row or 0),
            "max_rows": excel.MAX_ROWS,
            "max_mb": excel.MAX_FILE_BYTES // 1024 // 1024,
        },
        status=status,
    )


def _preview(plan, pending):
    rows = [excel.ImportRow.from_json(row) for row in pending.rows]
    return excel.validate_rows(plan, rows)


@login_required
@require_GET
def plan_import_preview(request, pk: int, import_pk: int):
    plan = _editable_plan(request, pk)
    pending = selectors.pending_import_get(request.user, plan, import_pk)
    checked = _preview(plan, pending)
    stale = services.plan_fingerprint(plan) != pending.plan_fingerprint
    return render(
        request,
        "planning/import_preview.html",
        {
            "plan": plan,
            "place": _place_name(plan),
            "pending": pending,
            "checked": checked,
            "stale": stale,
            "updates": [c for c in checked.changes if c.kind == "update"],
            "additions": [c for c in checked.changes if c.kind != "update"],
        },
    )


@login_required
@require_POST
def plan_import_confirm(request, pk: int, import_pk: int):
    plan = _editable_plan(request, pk)
    pending = selectors.pending_import_get(request.user, plan, import_pk)
    try:
        outcome = services.plan_import_apply(
            actor=request.user,
            plan=plan,
            rows=pending.rows,
            expected_fingerprint=pending.plan_fingerprint,
        )
    except services.PlanChanged:
        services.pending_import_discard(actor=request.user, pending=pending)
        messages.error(
            request,
            _(
                "Het takenoverzicht is gewijzigd sinds je het bestand opliet. Er is niets "
                "ingelezen. Exporteer het overzicht opnieuw of laad je bestand nog eens op, "
                "dan zie je de wijzigingen tegenover de huidige stand."
            ),
        )
        return redirect("plan_import", pk=plan.pk)
    except ValidationError as error:
        services.pending_import_discard(actor=request.user, pending=pending)
        messages.error(request, " ".join(error.messages))
        return redirect("plan_import", pk=plan.pk)
    audit_log(
        actor=request.user,
        organisation=plan.organisation,
        kind="plan.imported",
        target=str(plan),
        data={
            "plan": plan.pk,
            "updated": outcome.updated,
            "added": outcome.added,
            "created": outcome.created,
            "file": pending.filename,
        },
    )
    messages.success(
        request,
        _("Ingelezen: %(updated)s taken aangepast, %(added)s toegevoegd.")
        % {"updated": outcome.updated, "added": outcome.added + outcome.created},
    )
    return redirect("plan_detail", pk=plan.pk)


@login_required
@require_POST
def plan_import_cancel(request, pk: int, import_pk: int):
    plan = _editable_plan(request, pk)
    pending = selectors.pending_import_get(request.user, plan, import_pk)
    services.pending_import_discard(actor=request.user, pending=pending)
    messages.info(request, _("Import geannuleerd: er is niets veranderd."))
    return redirect("plan_detail", pk=plan.pk)


# -- the group view -----------------------------------------------------------------------------


def _group_organisation(request):
    organisation = request.organisation
    if organisation is None or not has_group_view(request.user, organisation):
        raise Http404
    return organisation


def _chosen_year(request, organisation, source):
    current = current_school_year(organisation)
    try:
        start = int(source.get("jaar", ""))
    except ValueError:
        return current
    if start == current.start_year:
        return current
    year = organisation.school_years.filter(start_year=start).first()
    return year or current


@login_required
@require_GET
def plan_group_overview(request):
    organisation = _group_organisation(request)
    school_year = _chosen_year(request, organisation, request.GET)
    overview = selectors.group_overview(organisation, school_year)
    only = request.GET.get("toon", "")
    rows = overview.rows
    if only == "kandidaten":
        rows = overview.candidates
    elif only == "groep":
        rows = overview.at_group
    years = selectors.plan_years(organisation, also=school_year)
    return render(
        request,
        "planning/group_overview.html",
        {
            "organisation": organisation,
            "overview": overview,
            "rows": rows,
            "only": only,
            "years": years,
            "school_year": school_year,
            "can_decide": organisation.pk in scope_for(request.user, Action.EDIT).organisation_wide,
            "now": timezone.now(),
            # Up to this many schools per task show as badges; more read as one line.
            "badge_limit": 6,
        },
    )


@login_required
@require_POST
def plan_group_decide(request, task_pk: int):
    organisation = _group_organisation(request)
    if organisation.pk not in scope_for(request.user, Action.EDIT).organisation_wide:
        raise PermissionDenied
    try:
        task = Task.objects.visible_to_organisation(organisation).get(pk=task_pk)
    except (Task.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    form = GroupDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Kies of de taak naar de groep gaat of in de scholen blijft."))
        return redirect("plan_group_overview")
    school_year = _chosen_year(request, organisation, request.POST)
    if form.cleaned_data["decision"] == "group":
        services.planned_task_move_to_group(
            actor=request.user, task=task, organisation=organisation, school_year=school_year
        )
        messages.success(
            request,
            _("'%(task)s' wordt op groepsniveau georganiseerd en staat in het groepsoverzicht.")
            % {"task": task.title},
        )
    else:
        count = services.planned_task_keep_in_schools(
            actor=request.user, task=task, organisation=organisation, school_year=school_year
        )
        messages.success(
            request,
            _("'%(task)s' blijft in de scholen (%(count)s scholen beslissen opnieuw wie het doet).")
            % {"task": task.title, "count": count},
        )
    url = reverse("plan_group_overview")
    query = f"?jaar={school_year.start_year}"
    if request.POST.get("toon"):
        query += f"&toon={request.POST['toon']}"
    return redirect(f"{url}{query}#task-{task.pk}")
