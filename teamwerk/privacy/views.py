"""Privacy pages: a person's data (art. 15/20), erasure (art. 17), retention and the register."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from teamwerk.core.versions import ConcurrentChange
from teamwerk.tenancy.roles import Action
from teamwerk.tenancy.selectors import organisations_for_user

from . import register, selectors, services
from .forms import RETENTION_FIELDS, ErasureForm, RetentionForm
from .models import RETENTION, retention_for


def _client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR")


def _download(content: bytes, *, person, fmt: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    name = slugify(f"gegevens-{person.full_name}") or "gegevens"
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@login_required
@require_GET
def person_json(request, pk: int):
    person = selectors.person_for_export(request.user, pk)
    data = selectors.person_data_json(person)
    services.person_export_record(
        actor=request.user, person=person, fmt="json", ip_address=_client_ip(request)
    )
    content = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()
    return _download(content, person=person, fmt="json", content_type="application/json")


@login_required
@require_GET
def person_pdf(request, pk: int):
    from teamwerk.documents.render import html_to_pdf

    person = selectors.person_for_export(request.user, pk)
    html = render_to_string(
        "privacy/person_print.html",
        {
            "person": person,
            "sections": selectors.person_data(person),
            "printed_on": timezone.localdate(),
            "organisation": person.organisation,
        },
    )
    services.person_export_record(
        actor=request.user, person=person, fmt="pdf", ip_address=_client_ip(request)
    )
    return _download(html_to_pdf(html), person=person, fmt="pdf", content_type="application/pdf")


@login_required
def person_erase(request, pk: int):
    person = selectors.person_for_erasure(request.user, pk)
    blockers = selectors.erasure_blockers(person)
    form = ErasureForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid() and not blockers:
        try:
            services.person_erase(actor=request.user, person=person)
        except services.ErasureRefused as refused:
            blockers = refused.reasons
            status = 409
        else:
            messages.success(
                request, _("De persoon is gewist. Het auditlog houdt bij dat het gebeurde.")
            )
            return redirect("team_people")
    elif request.method == "POST":
        status = 409 if blockers else 400
    return render(
        request,
        "privacy/erase.html",
        {
            "person": person,
            "blockers": blockers,
            "preview": selectors.erasure_preview(person),
            "form": form,
        },
        status=status,
    )


def _managed_organisation(request):
    organisation = getattr(request, "organisation", None)
    allowed = organisations_for_user(request.user, Action.MANAGE_ORGANISATION)
    if organisation is None or not allowed.filter(pk=organisation.pk).exists():
        raise Http404
    return organisation


@login_required
def retention(request):
    organisation = _managed_organisation(request)
    settings = retention_for(organisation)
    form = RetentionForm(request.POST or None, settings=settings)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.retention_settings_update(
                    actor=request.user,
                    organisation=organisation,
                    data={name: form.cleaned_data[name] for name in RETENTION_FIELDS},
                    version=form.cleaned_data["version"],
                )
            except ConcurrentChange as change:
                data = request.POST.copy()
                data["version"] = retention_for(organisation).version
                form = RetentionForm(data, settings=retention_for(organisation))
                form.is_valid()
                form.add_error(None, change.message)
                status = 409
            else:
                messages.success(request, _("Bewaartermijnen bewaard."))
                return redirect("privacy_retention")
        else:
            status = 400
    return render(
        request,
        "privacy/retention.html",
        {"form": form, "organisation": organisation},
        status=status,
    )


@login_required
def register_page(request):
    organisation = getattr(request, "organisation", None)
    if organisation is None:
        raise Http404
    settings = retention_for(organisation)
    rows = []
    from django.apps import apps

    for label, entry in register.REGISTER.items():
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        fields = [register.field_label(model, name) for name in entry.fields]
        if entry.retention:
            days = settings.days(entry.retention)
            keep = _("%(text)s %(days)s dagen") % {
                "text": entry.retention_text or RETENTION[entry.retention][2],
                "days": days,
            }
        else:
            keep = str(entry.retention_text)
        rows.append(
            {
                "name": str(model._meta.verbose_name_plural),
                "fields": fields,
                "purpose": str(entry.purpose),
                "who": str(entry.who),
                "keep": keep,
            }
        )
    rows.sort(key=lambda row: row["name"].lower())
    may_manage = (
        organisations_for_user(request.user, Action.MANAGE_ORGANISATION)
        .filter(pk=organisation.pk)
        .exists()
    )
    return render(
        request,
        "privacy/register.html",
        {"rows": rows, "organisation": organisation, "may_manage": may_manage},
    )
