"""Pages and downloads of the documents. Reads through selectors, writes through services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from teamwerk.core.http import no_store
from teamwerk.tenancy.selectors import current_school_year

from . import render as files
from . import selectors, services
from .forms import (
    DocumentSettingsForm,
    HouseStyleForm,
    JobInfoForm,
    VacancyForm,
    VacancyStartForm,
)
from .house_style import MAX_FILE_BYTES as MAX_TEMPLATE_BYTES
from .models import DocumentKind

FORMATS = {"docx": files.DOCX_TYPE, "pdf": "application/pdf"}


def _download(request, organisation, content: bytes, fmt: str, name: str) -> HttpResponse:
    services.document_downloaded(actor=request.user, organisation=organisation, name=name, fmt=fmt)
    return _file_response(content, fmt, name)


def _file_response(content: bytes, fmt: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=FORMATS.get(fmt, "application/zip"))
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    # A job description names a person's tasks and hours: no cache keeps a copy.
    response["Cache-Control"] = "no-store, private"
    return response


def _fmt(fmt: str, allowed=("docx", "pdf")) -> str:
    if fmt not in allowed:
        raise Http404
    return fmt


def _require_manage(user, school) -> None:
    if not selectors.may_manage(user, school):
        raise PermissionDenied


def _deviation(recorded, current_snapshot: dict) -> list[str] | None:
    if recorded is None:
        return None
    return selectors.changes_since(recorded.snapshot, current_snapshot)


@login_required
@require_GET
def index(request):
    school = request.school
    if school is None:
        return render(request, "documents/no_school.html")
    school_year = current_school_year(school.organisation)
    manage = selectors.may_manage(request.user, school)
    people = selectors.job_people(request.user, school, school_year)
    recorded = list(selectors.recorded_for_school(request.user, school, school_year))
    last_plan = selectors.latest_recorded(school, school_year, DocumentKind.WORK_PLAN)
    plan_changes = None
    if manage and last_plan is not None:
        plan_changes = _deviation(
            last_plan, selectors.work_plan(request.user, school, school_year).snapshot()
        )
    last_job = {}
    for item in recorded:
        if item.kind == DocumentKind.JOB_DESCRIPTION:
            last_job.setdefault(item.person_id, item)
    return render(
        request,
        "documents/index.html",
        {
            "school": school,
            "school_year": school_year,
            "manage": manage,
            "people": [(p, last_job.get(p.pk)) for p in people],
            "recorded": recorded,
            "last_plan": last_plan,
            "plan_changes": plan_changes,
            "organisation": school.organisation,
            "may_style": selectors.may_style(request.user, school.organisation),
            "bundles": selectors.bundles_for_school(request.user, school),
            "vacancies": list(selectors.vacancies_for_school(request.user, school))
            if manage
            else [],
        },
    )


@login_required
def settings_edit(request, school_id: int):
    school = selectors.document_school_get(request.user, school_id)
    _require_manage(request.user, school)
    current = selectors.settings_for(school)
    form = DocumentSettingsForm(
        request.POST if request.method == "POST" else None, instance=current
    )
    if request.method == "POST" and form.is_valid():
        services.document_settings_save(actor=request.user, school=school, **form.cleaned_data)
        messages.success(request, _("De standaardgegevens van de documenten zijn bewaard."))
        return redirect("documents_index")
    return render(request, "documents/settings.html", {"school": school, "form": form})


def _job_target(request, school_id, person_id):
    school = selectors.document_school_get(request.user, school_id)
    school_year = current_school_year(school.organisation)
    person = selectors.job_person_get(request.user, school, person_id, school_year)
    return school, school_year, person


@login_required
def job_page(request, school_id: int, person_id: int):
    school, school_year, person = _job_target(request, school_id, person_id)
    manage = selectors.may_manage(request.user, school)
    form = None
    if manage:
        form = JobInfoForm(
            request.POST if request.method == "POST" else None,
            instance=selectors.job_info_for(person, school),
        )
        if request.method == "POST" and form.is_valid():
            services.job_info_save(
                actor=request.user, school=school, person=person, **form.cleaned_data
            )
            messages.success(request, _("De gegevens van de functiebeschrijving zijn bewaard."))
            return redirect("documents_job", school_id=school.pk, person_id=person.pk)
    elif request.method == "POST":
        raise PermissionDenied
    job = selectors.job_description(person, school, school_year)
    versions = selectors.recorded_versions(
        school, school_year, DocumentKind.JOB_DESCRIPTION, person=person
    )
    changes = _deviation(versions[0] if versions else None, job.snapshot())
    return render(
        request,
        "documents/job.html",
        {
            "school": school,
            "school_year": school_year,
            "person": person,
            "job": job,
            "form": form,
            "manage": manage,
            "versions": versions,
            "changes": changes,
        },
    )


@login_required
@require_GET
def job_file(request, school_id: int, person_id: int, fmt: str):
    fmt = _fmt(fmt)
    school, school_year, person = _job_target(request, school_id, person_id)
    job = selectors.job_description(person, school, school_year)
    if fmt == "docx":
        template = files.template_for(school.organisation_id, DocumentKind.JOB_DESCRIPTION)
        content = files.job_docx(job, template)
    else:
        content = files.job_pdf(job)
    name = files.file_name("functiebeschrijving", person.full_name, school.name, str(school_year))
    return _download(request, school.organisation, content, fmt, name)


@login_required
@require_POST
def job_record(request, school_id: int, person_id: int):
    school, school_year, person = _job_target(request, school_id, person_id)
    _require_manage(request.user, school)
    services.document_record(
        actor=request.user,
        school=school,
        school_year=school_year,
        kind=DocumentKind.JOB_DESCRIPTION,
        person=person,
    )
    messages.success(request, _("Deze versie is vastgelegd."))
    return redirect("documents_job", school_id=school.pk, person_id=person.pk)


@login_required
@require_POST
def bundle_file(request, school_id: int, fmt: str):
    """Ask for all job descriptions of the school in one file: the worker makes it."""
    fmt = _fmt(fmt, ("zip", "pdf"))
    school = selectors.document_school_get(request.user, school_id)
    _require_manage(request.user, school)
    bundle = services.bundle_request(
        actor=request.user,
        school=school,
        school_year=current_school_year(school.organisation),
        fmt=fmt,
    )
    return redirect("documents_bundle_status", pk=bundle.pk)


def _bundle_context(bundle) -> dict:
    return {"bundle": bundle, "school": bundle.school, "status": bundle.shown_status}


@login_required
@require_GET
def bundle_status(request, pk: int):
    """The bundle being made (progress, polled by htmx) or ready (the download link)."""
    bundle = selectors.bundle_get(request.user, pk)
    return render(request, "documents/bundle.html", _bundle_context(bundle))


@login_required
@require_GET
@no_store
def bundle_progress(request, pk: int):
    """Polled every second while the bundle is made; reloads the page once it is finished."""
    bundle = selectors.bundle_get(request.user, pk)
    if not bundle.is_busy:
        if request.htmx:
            response = HttpResponse(status=204)
            response["HX-Refresh"] = "true"
            return response
        return redirect("documents_bundle_status", pk=bundle.pk)
    return render(request, "documents/bundle.html#progress", _bundle_context(bundle))


@login_required
@require_GET
@no_store
def bundle_download(request, pk: int):
    bundle = selectors.bundle_get(request.user, pk, with_file=True)
    try:
        content = services.bundle_download(actor=request.user, bundle=bundle)
    except ValidationError:
        raise Http404 from None
    name = bundle.file_name.rsplit(".", 1)[0] or "functiebeschrijvingen"
    return _file_response(content, bundle.format, name)


@login_required
@require_GET
def plan_file(request, school_id: int, fmt: str):
    fmt = _fmt(fmt)
    school = selectors.document_school_get(request.user, school_id)
    school_year = current_school_year(school.organisation)
    plan = selectors.work_plan(request.user, school, school_year)
    if fmt == "docx":
        template = files.template_for(school.organisation_id, DocumentKind.WORK_PLAN)
        content = files.plan_docx(plan, template)
    else:
        content = files.plan_pdf(plan)
    name = files.file_name("werkverdelingsplan", school.name, str(school_year))
    return _download(request, school.organisation, content, fmt, name)


@login_required
@require_POST
def plan_record(request, school_id: int):
    school = selectors.document_school_get(request.user, school_id)
    _require_manage(request.user, school)
    services.document_record(
        actor=request.user,
        school=school,
        school_year=current_school_year(school.organisation),
        kind=DocumentKind.WORK_PLAN,
    )
    messages.success(request, _("Deze versie van het werkverdelingsplan is vastgelegd."))
    return redirect("documents_index")


@login_required
@require_GET
def group_plan_file(request, organisation_id: int, fmt: str):
    fmt = _fmt(fmt)
    organisation = selectors.group_organisation_get(request.user, organisation_id)
    plan = selectors.group_work_plan(request.user, organisation)
    if fmt == "docx":
        template = files.template_for(organisation.pk, DocumentKind.WORK_PLAN)
        content = files.plan_docx(plan, template)
    else:
        content = files.plan_pdf(plan)
    name = files.file_name("werkverdelingsplan", organisation.name, plan.header.school_year)
    return _download(request, organisation, content, fmt, name)


@login_required
@require_GET
def recorded_file(request, pk: int, fmt: str):
    fmt = _fmt(fmt)
    recorded = selectors.recorded_get(request.user, pk)
    content = bytes(recorded.docx if fmt == "docx" else recorded.pdf)
    stamp = timezone.localtime(recorded.recorded_at).strftime("%Y-%m-%d")
    who = recorded.person.full_name if recorded.person else recorded.school.name
    name = files.file_name(recorded.get_kind_display(), who, "vastgelegd", stamp)
    return _download(request, recorded.school.organisation, content, fmt, name)


# ----------------------------------------------------------------------------- vacancies


@login_required
def vacancy_start(request, school_id: int):
    school = selectors.document_school_get(request.user, school_id)
    _require_manage(request.user, school)
    school_year = current_school_year(school.organisation)
    recruit = selectors.recruit_tasks(school, school_year)
    form = VacancyStartForm(
        request.POST if request.method == "POST" else None,
        recruit=recruit,
        initial={"tasks": [t.pk for t in recruit]},
    )
    if request.method == "POST" and form.is_valid():
        vacancy = services.vacancy_create(
            actor=request.user,
            school=school,
            school_year=school_year,
            planned_tasks=form.cleaned_data["tasks"],
            profile=form.cleaned_data["profile"],
        )
        messages.success(request, _("Het ontwerp van de vacature is bewaard. Pas elk deel aan."))
        return redirect("documents_vacancy", pk=vacancy.pk)
    return render(
        request,
        "documents/vacancy_start.html",
        {"school": school, "school_year": school_year, "form": form, "recruit": recruit},
    )


@login_required
def vacancy_edit(request, pk: int):
    vacancy = selectors.vacancy_get(request.user, pk)
    form = VacancyForm(request.POST if request.method == "POST" else None, instance=vacancy)
    if request.method == "POST" and form.is_valid():
        try:
            services.vacancy_update(
                actor=request.user,
                vacancy=vacancy,
                expected_version=_int(request.POST.get("version")),
                **{name: form.cleaned_data[name] for name in VacancyForm.Meta.fields},
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("De vacature is bewaard."))
            return redirect("documents_vacancy", pk=vacancy.pk)
    return render(
        request,
        "documents/vacancy.html",
        {"vacancy": vacancy, "school": vacancy.school, "form": form},
    )


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
@require_GET
def vacancy_file(request, pk: int, fmt: str):
    fmt = _fmt(fmt)
    vacancy = selectors.vacancy_get(request.user, pk)
    document = selectors.vacancy_document(vacancy)
    content = files.vacancy_docx(document) if fmt == "docx" else files.vacancy_pdf(document)
    name = files.file_name("vacature", vacancy.title, vacancy.school.name)
    return _download(request, vacancy.school.organisation, content, fmt, name)


# --------------------------------------------------------------------------- house style


@login_required
def house_style(request):
    """The organisation's own Word templates (beheerder): upload, check, remove."""
    organisation = request.organisation
    if organisation is None or not selectors.may_style(request.user, organisation):
        raise PermissionDenied
    form = HouseStyleForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and request.POST.get("remove"):
        services.house_style_remove(
            actor=request.user, organisation=organisation, kind=request.POST["remove"]
        )
        messages.success(request, _("Het eigen sjabloon is weg; Teamwerk gebruikt weer het zijne."))
        return redirect("documents_house_style")
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.house_style_save(
                actor=request.user,
                organisation=organisation,
                kind=form.cleaned_data["kind"],
                data=upload.read(MAX_TEMPLATE_BYTES + 1),
                filename=upload.name,
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error("file", message)
        else:
            messages.success(
                request, _("Het sjabloon is gecontroleerd en wordt voortaan gebruikt.")
            )
            return redirect("documents_house_style")
    return render(
        request,
        "documents/house_style.html",
        {
            "organisation": organisation,
            "form": form,
            "styles": selectors.house_styles(organisation),
            "placeholders": selectors.placeholders(),
        },
    )
