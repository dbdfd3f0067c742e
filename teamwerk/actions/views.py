"""Pages of Acties. Reads through selectors, writes through services; an action outside the
user's scope answers 404, inside the scope without the right to change it 403."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from teamwerk.core.forms import service_errors_to_form
from teamwerk.core.sensitive import make_no_store
from teamwerk.core.versions import ConcurrentChange, differences
from teamwerk.tenancy.selectors import current_school_year

from . import selectors, services
from .calendar import calendar_for
from .forms import ActionForm, FilterForm, ProgressForm
from .models import Action, ActionSource, ActionStatus

CALENDAR_SESSION_KEY = "actions_calendar_token"


def _list_context(request, rows, *, title, create_url, may_create, scope_label):
    filters = selectors.ActionFilter.from_query(request.GET)
    owners = selectors.owners_in(rows["all"])
    form = FilterForm(request.GET or None, owners=owners, initial={"toon": "open"})
    form.is_valid()
    items = list(rows["filtered"])
    return {
        "title": title,
        "scope_label": scope_label,
        "items": items,
        "filter_form": form,
        "filters": filters,
        "create_url": create_url,
        "may_create": may_create,
        "today": timezone.localdate(),
        "statuses": ActionStatus.choices,
    }


@login_required
def school_list(request):
    school = request.school
    if school is None:
        return render(request, "actions/no_school.html")
    filters = selectors.ActionFilter.from_query(request.GET)
    everything = selectors.school_actions(request.user, school, selectors.ActionFilter(state="all"))
    context = _list_context(
        request,
        {"all": everything, "filtered": selectors.school_actions(request.user, school, filters)},
        title=_("Acties"),
        create_url=reverse("actions_create"),
        may_create=services.may_edit_actions(
            request.user, organisation=school.organisation, school=school
        ),
        scope_label=school.name,
    )
    return render(request, "actions/list.html", {**context, "school": school, "tab": "school"})


@login_required
def group_list(request):
    organisation = request.organisation
    if organisation is None:
        raise Http404
    filters = selectors.ActionFilter.from_query(request.GET)
    everything = selectors.group_actions(
        request.user, organisation, selectors.ActionFilter(state="all")
    )
    context = _list_context(
        request,
        {
            "all": everything,
            "filtered": selectors.group_actions(request.user, organisation, filters),
        },
        title=_("Acties van de groep"),
        create_url=reverse("actions_group_create"),
        may_create=services.may_edit_actions(request.user, organisation=organisation),
        scope_label=organisation.name,
    )
    return render(request, "actions/list.html", {**context, "tab": "group"})


@login_required
def mine(request):
    filters = selectors.ActionFilter.from_query(request.GET)
    everything = selectors.my_actions(request.user, selectors.ActionFilter(state="all"))
    context = _list_context(
        request,
        {"all": everything, "filtered": selectors.my_actions(request.user, filters)},
        title=_("Mijn acties"),
        create_url="",
        may_create=False,
        scope_label="",
    )
    reminder_settings = selectors.reminder_settings_for(request.user)
    # A new calendar address is shown once, right after it was made (only its hash is kept).
    new_token = request.session.pop(CALENDAR_SESSION_KEY, None)
    feed_url = (
        request.build_absolute_uri(reverse("actions_calendar_feed", args=[new_token]))
        if new_token
        else ""
    )
    response = render(
        request,
        "actions/list.html",
        {
            **context,
            "tab": "mine",
            "reminders_off": bool(reminder_settings and reminder_settings.reminders_off),
            "has_calendar": bool(reminder_settings and reminder_settings.calendar_token_hash),
            "calendar_created_at": reminder_settings.calendar_token_created_at
            if reminder_settings
            else None,
            "feed_url": feed_url,
            "linked": request.user.team_people.exists(),
        },
    )
    if feed_url:
        make_no_store(response)
    return response


# ------------------------------------------------------------------------- create / edit


def _create(request, *, school, organisation, back):
    if not services.may_edit_actions(request.user, organisation=organisation, school=school):
        raise PermissionDenied
    owners = selectors.owner_choices(request.user, organisation, school)
    query = request.GET
    initial = {"status": ActionStatus.PLAN, "source": ActionSource.OTHER}
    if query.get("bron") in ActionSource.values:
        initial["source"] = query["bron"]
    for key, name in (("titel", "title"), ("label", "source_label"), ("ref", "source_ref")):
        if query.get(key):
            initial[name] = query[key][:200]
    if query.get("trekker", "").isdigit() and owners.filter(pk=query["trekker"]).exists():
        initial["owner"] = int(query["trekker"])
    back_to_source = selectors.source_url_for(initial["source"], initial.get("source_ref"), school)
    if back_to_source:
        initial["source_url"] = back_to_source
    form = ActionForm(request.POST or None, owners=owners, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            action = services.action_create(
                user=request.user, organisation=organisation, school=school, **form.values()
            )
        except ValidationError as error:
            service_errors_to_form(form, error)
        else:
            messages.success(request, _("De actie is bewaard."))
            return redirect("actions_detail", action.pk)
    return render(
        request,
        "actions/form.html",
        {"form": form, "school": school, "organisation": organisation, "back": back},
    )


@login_required
def create(request):
    school = request.school
    if school is None:
        raise Http404
    return _create(
        request, school=school, organisation=school.organisation, back=reverse("actions_list")
    )


@login_required
def group_create(request):
    if request.organisation is None:
        raise Http404
    return _create(
        request, school=None, organisation=request.organisation, back=reverse("actions_group")
    )


@login_required
def detail(request, pk: int):
    action = selectors.action_get(request.user, pk)
    may_progress = selectors.may_progress(request.user, action)
    form = ProgressForm(
        initial={"status": action.status, "notes": action.notes, "version": action.version}
    )
    return render(
        request,
        "actions/detail.html",
        {
            "action": action,
            "may_edit": selectors.may_edit(request.user, action),
            "may_progress": may_progress,
            "progress_form": form if may_progress else None,
            "history": selectors.action_history(action),
            "today": timezone.localdate(),
        },
    )


@login_required
def edit(request, pk: int):
    action = selectors.action_get(request.user, pk)
    if not selectors.may_edit(request.user, action):
        raise PermissionDenied
    owners = selectors.owner_choices(
        request.user, action.organisation, action.school, keep=action.owner_id
    )
    initial = {
        "title": action.title,
        "owner": action.owner_id,
        "due": action.due,
        "status": action.status,
        "source": action.source,
        "source_label": action.source_label,
        "notes": action.notes,
        "source_url": action.source_url,
        "source_ref": action.source_ref,
        "version": action.version,
    }
    form = ActionForm(request.POST or None, owners=owners, initial=initial)
    conflict = None
    diff = []
    if request.method == "POST" and form.is_valid():
        try:
            services.action_update(
                user=request.user,
                action=action,
                expected_version=form.cleaned_data.get("version"),
                **form.values(),
            )
        except ConcurrentChange as change:
            conflict = change
            current = change.current
            if current is not None:
                diff = differences(
                    form,
                    {
                        "title": current.title,
                        "owner": current.owner_id,
                        "due": current.due.isoformat() if current.due else None,
                        "status": current.status,
                        "source": current.source,
                        "source_label": current.source_label,
                        "notes": current.notes,
                    },
                )
                post = request.POST.copy()
                post["version"] = str(current.version)
                form.data = post
        except ValidationError as error:
            service_errors_to_form(form, error)
        else:
            messages.success(request, _("De actie is bewaard."))
            return redirect("actions_detail", action.pk)
    return render(
        request,
        "actions/form.html",
        {
            "form": form,
            "action": action,
            "school": action.school,
            "organisation": action.organisation,
            "back": reverse("actions_detail", args=[action.pk]),
            "conflict": conflict,
            "differences": diff,
        },
        status=409 if conflict else 200,
    )


def _next(request, action: Action) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("actions_detail", args=[action.pk])


def _version(request):
    value = request.POST.get("version")
    return value if value not in (None, "") else None


@login_required
@require_POST
def progress(request, pk: int):
    action = selectors.action_get(request.user, pk)
    if not selectors.may_progress(request.user, action):
        raise PermissionDenied
    form = ProgressForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Kies een fase uit de lijst."))
        return redirect("actions_detail", action.pk)
    try:
        services.action_progress(
            user=request.user,
            action=action,
            expected_version=form.cleaned_data.get("version"),
            status=form.cleaned_data["status"],
            notes=form.cleaned_data["notes"],
        )
    except ConcurrentChange:
        messages.error(
            request,
            _("Iemand anders heeft deze actie intussen gewijzigd. Bekijk ze en bewaar opnieuw."),
        )
        return redirect("actions_detail", action.pk)
    messages.success(request, _("De actie is bijgewerkt."))
    return redirect(_next(request, action))


@login_required
@require_POST
def mark_done(request, pk: int):
    action = selectors.action_get(request.user, pk)
    if not selectors.may_progress(request.user, action):
        raise PermissionDenied
    done = request.POST.get("done", "1") == "1"
    try:
        services.action_progress(
            user=request.user, action=action, expected_version=_version(request), done=done
        )
    except ConcurrentChange:
        messages.error(
            request,
            _("Iemand anders heeft deze actie intussen gewijzigd. Bekijk ze en probeer opnieuw."),
        )
        return redirect("actions_detail", action.pk)
    messages.success(
        request,
        _("“%(title)s” is afgerond.") % {"title": action.title}
        if done
        else _("“%(title)s” staat weer open.") % {"title": action.title},
    )
    return redirect(_next(request, action))


@login_required
@require_POST
def delete(request, pk: int):
    action = selectors.action_get(request.user, pk)
    if not selectors.may_edit(request.user, action):
        raise PermissionDenied
    back = "actions_list" if action.school_id else "actions_group"
    try:
        services.action_delete(user=request.user, action=action, expected_version=_version(request))
    except ConcurrentChange:
        messages.error(request, _("Iemand anders heeft deze actie intussen gewijzigd."))
        return redirect("actions_detail", action.pk)
    messages.success(request, _("De actie is verwijderd."))
    return redirect(back)


# ------------------------------------------------------------------ professionalisation


@login_required
def professionalisation(request):
    school = request.school
    if school is None:
        raise Http404
    if not selectors.may_read_wishes(request.user, school):
        raise PermissionDenied
    school_year = current_school_year(school.organisation)
    topics = selectors.professionalisation_overview(request.user, school, school_year)
    return render(
        request,
        "actions/professionalisation.html",
        {
            "school": school,
            "school_year": school_year,
            "topics": topics,
            "may_create": services.may_edit_actions(
                request.user, organisation=school.organisation, school=school
            ),
        },
    )


# ---------------------------------------------------------------- reminders, calendar


@login_required
@require_POST
def reminders(request):
    off = request.POST.get("reminders_off") in ("1", "on", "true")
    services.reminders_opt(user=request.user, off=off)
    messages.success(
        request,
        _("Je krijgt geen herinneringen meer per e-mail.")
        if off
        else _("Je krijgt weer herinneringen per e-mail."),
    )
    return redirect("actions_mine")


@login_required
@require_POST
def calendar_renew(request):
    token = services.calendar_token_renew(user=request.user)
    request.session[CALENDAR_SESSION_KEY] = token
    messages.success(
        request,
        _("Je agenda-link is klaar. Een eerdere link werkt niet meer."),
    )
    return redirect(reverse("actions_mine") + "#agenda")


@login_required
@require_POST
def calendar_revoke(request):
    services.calendar_token_revoke(user=request.user)
    request.session.pop(CALENDAR_SESSION_KEY, None)
    messages.success(request, _("Je agenda-link is ingetrokken."))
    return redirect(reverse("actions_mine") + "#agenda")


def calendar_feed(request, token: str):
    """The .ics feed: no sign-in (a calendar app cannot), the secret in the address is the
    key; an old or wrong secret answers 404."""
    user = selectors.calendar_user(token)
    if user is None:
        raise Http404
    body = calendar_for(user, site_url=getattr(settings, "SITE_URL", "").rstrip("/"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="teamwerk.ics"'
    make_no_store(response)
    response["X-Robots-Tag"] = "noindex"
    return response
