from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from teamwerk.core import daily, heartbeat
from teamwerk.tenancy.middleware import SESSION_KEY
from teamwerk.tenancy.querysets import memberships_of
from teamwerk.tenancy.selectors import school_get

logger = logging.getLogger(__name__)


@require_GET
def health(request):
    """For a load balancer (plain http is allowed: see SECURE_REDIRECT_EXEMPT): the database,
    the shared cache, the background worker's last heartbeat, the number of background tasks
    waiting (READY) and the daily jobs' last run. 503 only when the database does not answer;
    a stopped worker or cache makes the status "degraded"."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database_ok = True
    except Exception:  # noqa: BLE001 - any failure means "database does not answer"
        database_ok = False
    try:
        last = heartbeat.last_beat()
        cache_ok = True
    except Exception:  # noqa: BLE001 - any failure means "cache does not answer"
        last, cache_ok = None, False
    age = max(0, int((timezone.now() - last).total_seconds())) if last else None
    worker = {
        "last_heartbeat": last.isoformat() if last else None,
        "age_seconds": age,
        "stale": age is None or age > heartbeat.STALE_AFTER_SECONDS,
    }
    queue = {"ready": None}
    daily_jobs: dict = {}
    if database_ok:
        try:
            from django_tasks_db.models import DBTaskResult

            # Tasks waiting for the worker now (READY and not scheduled for later).
            queue["ready"] = DBTaskResult.objects.ready().count()
            daily_jobs = daily.last_runs()
        except Exception:  # noqa: BLE001 - a missing table must not hide the rest
            logger.exception("health: queue or daily jobs unreadable")
    healthy = database_ok and cache_ok and not worker["stale"]
    return JsonResponse(
        {
            "status": "ok" if healthy else "degraded",
            "database": database_ok,
            "cache": cache_ok,
            "worker": worker,
            "queue": queue,
            "daily_jobs": daily_jobs,
        },
        status=200 if database_ok else 503,
    )


@login_required
def home(request):
    """ "Waar sta ik en wat nu": the current school's step, my tasks and hours, what needs me;
    for group roles every school side by side (sorted and filtered on the server)."""
    from teamwerk.accounts.selectors import invitations_pending_for
    from teamwerk.core.help import first_visit_intro
    from teamwerk.core.home import SORTS, school_home, schools_table

    memberships = sorted(
        memberships_of(request.user),
        key=lambda m: (m.organisation_id, m.school.name if m.school_id else ""),
    )
    organisations = {}
    for membership in memberships:
        organisations.setdefault(membership.organisation_id, []).append(membership)
    schools_by_org: dict[int, list] = {}
    for school in request.schools:
        schools_by_org.setdefault(school.organisation_id, []).append(school)
    blocks = [
        {
            "organisation": ms[0].organisation if hasattr(ms[0], "organisation") else None,
            "memberships": ms,
            "schools": schools_by_org.get(org_id, []),
        }
        for org_id, ms in organisations.items()
    ]
    school = request.school
    table = schools_table(request.user, request.organisation, request.GET)
    return render(
        request,
        "core/home.html",
        {
            "blocks": blocks,
            "invitations": invitations_pending_for(request.user),
            "here": school_home(request.user, school) if school is not None else None,
            "table": table,
            "sorts": SORTS,
            "intro": first_visit_intro(request.user, "home"),
        },
    )


@login_required
@require_POST
def switch_school(request):
    school = school_get(request.user, request.POST.get("school"))
    request.session[SESSION_KEY] = school.pk
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "/"
    return HttpResponseRedirect(target)


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_500(request):
    return render(request, "500.html", status=500)


# --- help ----------------------------------------------------------------------------------


@login_required
@require_GET
def help_index(request):
    from teamwerk.core import help as help_content
    from teamwerk.core.i18n import current_language

    lang = current_language()
    entries = [
        (key, module.title[lang], module.intro[lang])
        for key, module in help_content.modules().items()
    ]
    return render(request, "core/help_index.html", {"entries": entries})


@login_required
@require_GET
def help_module(request, module: str):
    from teamwerk.core import help as help_content
    from teamwerk.core.i18n import current_language

    found = help_content.module_get(module)
    if found is None:
        raise Http404
    lang = current_language()
    return render(
        request,
        "core/help_module.html",
        {
            "key": module,
            "title": found.title[lang],
            "intro": found.intro[lang],
            "sections": [(s.heading[lang], s.body[lang]) for s in found.sections],
            "module_url": help_content.module_url(found),
        },
    )


@login_required
@require_POST
def help_dismiss(request, module: str):
    from teamwerk.core import help as help_content

    if help_content.module_get(module) is None:
        raise Http404
    help_content.intro_dismiss(user=request.user, module=module)
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "/"
    if request.htmx:
        return HttpResponse("")
    return HttpResponseRedirect(target)
