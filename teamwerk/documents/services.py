"""Writes of the documents module: the school's defaults, a person's document fields, and
recording a version as agreed."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from teamwerk.accounts.services import audit_log
from teamwerk.tenancy.models import School, SchoolYear
from teamwerk.tenancy.terms import activate_region, deactivate_region

from . import render, selectors
from .models import (
    BundleFormat,
    BundleStatus,
    DocumentBundle,
    DocumentKind,
    JobDescriptionInfo,
    RecordedDocument,
    SchoolDocumentSettings,
    Vacancy,
)

logger = logging.getLogger(__name__)


def _require_manage(actor, school: School) -> None:
    if not selectors.may_manage(actor, school):
        raise PermissionDenied


def _clean_save(obj, actor) -> None:
    obj.full_clean()
    obj._history_user = actor
    obj.save()


def document_settings_save(
    *, actor, school: School, first_evaluator: str, second_evaluator: str, place: str
) -> SchoolDocumentSettings:
    _require_manage(actor, school)
    with transaction.atomic():
        settings, _created = SchoolDocumentSettings.objects.select_for_update().get_or_create(
            school=school, defaults={"organisation_id": school.organisation_id}
        )
        settings.first_evaluator = first_evaluator.strip()
        settings.second_evaluator = second_evaluator.strip()
        settings.place = place.strip()
        _clean_save(settings, actor)
        return settings


def job_info_save(
    *,
    actor,
    school: School,
    person,
    function_title: str,
    first_evaluator: str,
    second_evaluator: str,
) -> JobDescriptionInfo:
    _require_manage(actor, school)
    if person.organisation_id != school.organisation_id:
        raise PermissionDenied
    with transaction.atomic():
        info, _created = JobDescriptionInfo.objects.select_for_update().get_or_create(
            person=person, school=school, defaults={"organisation_id": school.organisation_id}
        )
        info.function_title = function_title.strip()
        info.first_evaluator = first_evaluator.strip()
        info.second_evaluator = second_evaluator.strip()
        _clean_save(info, actor)
        return info


def document_record(
    *, actor, school: School, school_year: SchoolYear, kind: str, person=None
) -> RecordedDocument:
    """Record today's version of a document as agreed: both files exactly as produced now,
    with the data they came from."""
    _require_manage(actor, school)
    if kind == DocumentKind.JOB_DESCRIPTION:
        if person is None:
            raise ValidationError("a job description belongs to a person")
        data = selectors.job_description(person, school, school_year)
        template = render.template_for(school.organisation_id, kind)
        docx, pdf = render.job_docx(data, template), render.job_pdf(data)
    elif kind == DocumentKind.WORK_PLAN:
        person = None
        data = selectors.work_plan(actor, school, school_year)
        template = render.template_for(school.organisation_id, kind)
        docx, pdf = render.plan_docx(data, template), render.plan_pdf(data)
    else:
        raise ValidationError(f"unknown document kind {kind}")
    with transaction.atomic():
        recorded = RecordedDocument.objects.create(
            organisation_id=school.organisation_id,
            school=school,
            school_year=school_year,
            kind=kind,
            person=person,
            recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
            recorded_by_name=getattr(actor, "email", "") or "",
            snapshot=data.snapshot(),
            docx=docx,
            pdf=pdf,
        )
        audit_log(
            actor=actor,
            organisation=school.organisation,
            kind="document.recorded",
            target=f"{school.name}: {recorded.get_kind_display()}"
            + (f" · {person.full_name}" if person else ""),
            data={"document": recorded.pk, "kind": kind},
        )
        return recorded


# ---------------------------------------------------------------------------- vacancies

VACANCY_TEXT_FIELDS = (
    "title",
    "context",
    "role",
    "profile_text",
    "tasks_text",
    "fte",
    "hours_per_year",
    "duration",
    "presence",
    "start",
    "how_to_apply",
    "timeline_internal",
    "timeline_external",
)


def vacancy_create(
    *, actor, school: School, school_year: SchoolYear, planned_tasks, profile=None
) -> Vacancy:
    """A draft vacancy from the tasks to recruit for and/or a role profile, with every
    section filled in from the data; the school edits it before downloading."""
    _require_manage(actor, school)
    planned_tasks = list(planned_tasks)
    if any(item.school_id != school.pk for item in planned_tasks):
        raise PermissionDenied
    if not planned_tasks and profile is None:
        raise ValidationError(_("Kies minstens één taak of een rolprofiel."))
    draft = selectors.vacancy_defaults(school, school_year, planned_tasks, profile)
    with transaction.atomic():
        vacancy = Vacancy(
            organisation_id=school.organisation_id,
            school=school,
            school_year=school_year,
            profile=profile,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            **draft,
        )
        _clean_save(vacancy, actor)
        vacancy.planned_tasks.set(planned_tasks)
        return vacancy


def vacancy_update(*, actor, vacancy: Vacancy, expected_version: int | None = None, **fields):
    unknown = set(fields) - set(VACANCY_TEXT_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    _require_manage(actor, vacancy.school)
    with transaction.atomic():
        current = Vacancy.objects.select_for_update().filter(pk=vacancy.pk).first()
        if current is None:
            raise ValidationError(_("Deze vacature bestaat niet meer."))
        if expected_version is not None and current.version != expected_version:
            raise ValidationError(
                _("Iemand anders heeft deze vacature intussen bewaard. Herlaad de pagina.")
            )
        for name, value in fields.items():
            setattr(current, name, value)
        current.version += 1
        _clean_save(current, actor)
        return current


# ------------------------------------------------------------------------- house style


def _sample(kind: str) -> dict:
    """Data in the shape of a real document, to try an uploaded template on."""
    header = {
        "school": "School",
        "number_label": "Nr",
        "number": "1",
        "board_label": "Bestuur",
        "board": "Bestuur",
        "school_year": "2026-2027",
        "region": "BE-VL",
    }
    row = {
        "code": "POL-01",
        "title": "Taak",
        "hours": "1",
        "role": "Trekker",
        "mandate": "Voert uit",
        "period": "",
        "section": "A.1",
        "owner": "A",
        "backups": "B",
    }
    if kind == DocumentKind.JOB_DESCRIPTION:
        section = {"code": "POL", "ref": "A.1", "name": "Beleid", "intro": "", "condition": ""}
        return {
            "header": header,
            "person": "P",
            "function": "F",
            "first_evaluator": "E1",
            "second_evaluator": "E2",
            "intro": "",
            "tasks_heading": "",
            "sections": [section | {"rows": [row]}],
            "total_hours": "1",
            "available_hours": "1",
            "over_hours": False,
            "place": "",
            "closing": "",
        }
    person = {"name": "P", "function": "F", "used": "1", "available": "1", "over": False}
    return {
        "header": header,
        "title": "Plan",
        "is_group": False,
        "intro": "",
        "tasks": [row],
        "people": [person],
        "planned_hours": "1",
        "assigned_hours": "1",
        "budget": "1",
        "over_budget": False,
        "agreements": [],
        "needs_consent": False,
        "consent_line": "",
        "place": "",
    }


def house_style_save(*, actor, organisation, kind: str, data: bytes, filename: str = ""):
    """Keep an organisation's own Word template after it passed every check and a trial
    render; a refused file changes nothing."""
    from teamwerk.tenancy.roles import Action
    from teamwerk.tenancy.selectors import user_can

    from .house_style import check_template
    from .models import HouseStyle

    if not user_can(actor, Action.MANAGE_ORGANISATION, organisation=organisation):
        raise PermissionDenied
    problems = check_template(data, kind)
    if problems:
        raise ValidationError(problems)
    try:
        render.render_docx(data, _sample(kind))
    except Exception as error:  # noqa: BLE001 - any failure of a foreign template is refused
        raise ValidationError(
            _("Het sjabloon kon niet gevuld worden: %(error)s") % {"error": str(error)[:200]}
        ) from None
    with transaction.atomic():
        style, _created = HouseStyle.objects.update_or_create(
            organisation=organisation,
            kind=kind,
            defaults={"docx": data, "filename": filename[:255], "uploaded_by": actor},
        )
        audit_log(
            actor=actor,
            organisation=organisation,
            kind="document.template_uploaded",
            target=str(style.get_kind_display()),
        )
        return style


def house_style_remove(*, actor, organisation, kind: str) -> None:
    from teamwerk.tenancy.roles import Action
    from teamwerk.tenancy.selectors import user_can

    from .models import HouseStyle

    if not user_can(actor, Action.MANAGE_ORGANISATION, organisation=organisation):
        raise PermissionDenied
    with transaction.atomic():
        HouseStyle.objects.filter(organisation=organisation, kind=kind).delete()


# ------------------------------------------------------------------ bundle of a school


def bundle_request(*, actor, school: School, school_year: SchoolYear, fmt: str) -> DocumentBundle:
    """Ask the background worker for all job descriptions of a school in one file.

    A bundle of the same school and format that is still being made is returned as it is;
    older ones (done, failed, or lost by a stopped worker) are replaced."""
    from .tasks import make_bundle

    _require_manage(actor, school)
    if fmt not in BundleFormat.values:
        raise ValidationError(_("Onbekend formaat."))
    with transaction.atomic():
        existing = list(
            DocumentBundle.objects.select_for_update()
            .filter(school=school, format=fmt)
            .defer("content")
        )
        for old in existing:
            if old.is_busy and old.school_year_id == school_year.pk:
                return old
        DocumentBundle.objects.filter(pk__in=[old.pk for old in existing]).delete()
        bundle = DocumentBundle.objects.create(
            organisation_id=school.organisation_id,
            school=school,
            school_year=school_year,
            format=fmt,
            language=(get_language() or "nl")[:10],
            requested_by=actor,
        )
        audit_log(
            actor=actor,
            organisation=school.organisation,
            kind="document.bundle_requested",
            target=f"{school.name}: {bundle.get_format_display()}",
            data={"bundle": bundle.pk, "format": fmt},
        )
        # The worker must see the bundle: hand it over only once it is stored.
        transaction.on_commit(lambda: make_bundle.enqueue(bundle.pk))
    return bundle


def _bundle_progress(bundle_id: int, percent: int) -> None:
    # A plain update, visible to the page at once; only while the bundle is being made.
    DocumentBundle.objects.filter(pk=bundle_id, status=BundleStatus.RUNNING).update(
        progress=max(0, min(100, int(percent)))
    )


def _bundle_finish(bundle_id: int, **fields) -> None:
    DocumentBundle.objects.filter(pk=bundle_id, status=BundleStatus.RUNNING).update(
        finished_at=timezone.now(), **fields
    )


def bundle_execute(*, bundle_id: int) -> DocumentBundle | None:
    """Make the file of a bundle (the background task calls this). Progress is written as it
    goes; a failure is stored with a message, the bundle never stays "being made"."""
    with transaction.atomic():
        bundle = (
            DocumentBundle.objects.select_for_update(of=("self",))
            .select_related("school__organisation", "school_year", "requested_by")
            .filter(pk=bundle_id, status=BundleStatus.QUEUED)
            .first()
        )
        if bundle is None:
            return None  # replaced meanwhile, or taken by another worker
        bundle.status = BundleStatus.RUNNING
        bundle.started_at = timezone.now()
        bundle.progress = 2
        bundle.save(update_fields=["status", "started_at", "progress"])
    # The worker has no request: the school's region fills the catalogue's placeholders.
    region = activate_region(bundle.school.organisation.region)
    try:
        with translation.override(bundle.language or "nl"):
            _bundle_make(bundle)
    except Exception:
        logger.exception("document bundle %s failed", bundle.pk)
        _bundle_finish(
            bundle.pk,
            status=BundleStatus.FAILED,
            progress=100,
            message=_("Het bestand kon niet gemaakt worden. Vraag het opnieuw aan."),
        )
    finally:
        deactivate_region(region)
    bundle.refresh_from_db()
    return bundle


def _bundle_make(bundle: DocumentBundle) -> None:
    school, school_year, actor = bundle.school, bundle.school_year, bundle.requested_by
    if actor is None or not actor.is_active or not selectors.may_manage(actor, school):
        # Who asked for it lost the right meanwhile: nothing is made.
        _bundle_finish(
            bundle.pk,
            status=BundleStatus.FAILED,
            progress=100,
            message=_("Wie dit bestand vroeg, mag de documenten van deze school niet meer zien."),
        )
        return
    people = selectors.job_people(actor, school, school_year)
    jobs = []
    for index, person in enumerate(people, start=1):
        jobs.append(selectors.job_description(person, school, school_year))
        _bundle_progress(bundle.pk, 2 + 38 * index // max(len(people), 1))
    if bundle.format == BundleFormat.ZIP:
        template = render.template_for(school.organisation_id, DocumentKind.JOB_DESCRIPTION)
        content = render.jobs_zip(
            jobs,
            template,
            on_progress=lambda done: _bundle_progress(bundle.pk, 40 + 58 * done // len(jobs)),
        )
    else:
        _bundle_progress(bundle.pk, 45)
        content = render.jobs_pdf(jobs, school.name)
    name = render.file_name("functiebeschrijvingen", school.name, str(school_year))
    _bundle_finish(
        bundle.pk,
        status=BundleStatus.DONE,
        progress=100,
        content=content,
        people_count=len(jobs),
        file_name=f"{name}.{bundle.format}",
    )


def document_downloaded(*, actor, organisation, name: str, fmt: str) -> None:
    """Record that a document left the app: job descriptions and plans name people's tasks
    and hours, so a board can ask who took which file."""
    audit_log(
        actor=actor,
        organisation=organisation,
        kind="document.downloaded",
        target=f"{name}.{fmt}",
        data={"format": fmt},
    )


def bundle_download(*, actor, bundle: DocumentBundle, ip_address: str | None = None) -> bytes:
    """The file of a finished bundle, with an audit line (it names people's tasks and hours)."""
    _require_manage(actor, bundle.school)
    if bundle.shown_status != BundleStatus.DONE or bundle.content is None:
        raise ValidationError(_("Dit bestand is nog niet klaar."))
    audit_log(
        actor=actor,
        organisation=bundle.school.organisation,
        kind="document.bundle_downloaded",
        target=f"{bundle.school.name}: {bundle.get_format_display()}",
        data={"bundle": bundle.pk, "format": bundle.format, "people": bundle.people_count},
        ip_address=ip_address,
    )
    return bytes(bundle.content)
