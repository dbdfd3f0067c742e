"""Who gets what from each documents URL (objects of Campus Noord; see core/testing/access.py).

Directie, ICT coordinator and beheerder have every document of the school; the teamlid
(Tom Peeters) only their own job description; the lezer the work-distribution plan only;
other schools and organisations get 404. The group's plan is for every member of the
organisation. Vacancy drafts are for who edits the school's ICT work (Campus Zuid's draft:
its directie, the directeur and the beheerder); everyone else gets 404.
"""

from teamwerk.core.testing.access import NOORD_ROLES, Row, only, signed_in

MANAGE = ("beheerder", "directeur", "directie_noord", "ict_noord")
READ_NOORD = dict.fromkeys(NOORD_ROLES, 200)
MANAGE_ONLY = {**dict.fromkeys(MANAGE, 200), "teamlid_noord": 403, "lezer_noord": 403}
OWN_JOB = {**dict.fromkeys(MANAGE, 200), "teamlid_noord": 200}
RECORD_OWN_JOB = {**dict.fromkeys(MANAGE, 302), "teamlid_noord": 403}
RECORD_PLAN = {**dict.fromkeys(MANAGE, 302), "teamlid_noord": 403, "lezer_noord": 403}
GROUP = {**READ_NOORD, "directie_zuid": 200}


def _tom(world):
    from teamwerk.team.models import Person

    return Person.objects.get(email="teamlid.noord@scholengroep-demo.be")


def _noord(world):
    return {"school_id": world.noord.pk}


def _job(world, **extra):
    return {"school_id": world.noord.pk, "person_id": _tom(world).pk, **extra}


def _recorded_plan(world):
    from teamwerk.documents.models import RecordedDocument

    recorded = RecordedDocument.objects.filter(school=world.noord, kind="plan").first()
    return {"pk": recorded.pk, "fmt": "docx"}


def _zuid_vacancy(world, **extra):
    from teamwerk.documents.models import Vacancy

    return {"pk": Vacancy.objects.filter(school=world.zuid).first().pk, **extra}


def _done_bundle(world):
    """A finished zip of Campus Noord's job descriptions (made here, not by the worker)."""
    from teamwerk.documents.models import DocumentBundle
    from teamwerk.tenancy.selectors import current_school_year

    bundle = DocumentBundle.objects.create(
        organisation=world.organisation,
        school=world.noord,
        school_year=current_school_year(world.organisation),
        format="zip",
        status="done",
        progress=100,
        content=b"PK\x05\x06" + b"\x00" * 18,
        file_name="functiebeschrijvingen.zip",
    )
    return {"pk": bundle.pk}


ASK_BUNDLE = {**dict.fromkeys(MANAGE, 302), "teamlid_noord": 403, "lezer_noord": 403}
MANAGE_200 = dict.fromkeys(MANAGE, 200)
# Polling a finished bundle sends the browser back to its page.
MANAGE_PROGRESS = dict.fromkeys(MANAGE, 302)

# The vacancy drafts of Campus Zuid: its directie and the organisation-wide roles.
ZUID_MANAGE = {"beheerder": 200, "directeur": 200, "directie_zuid": 200}

URL_ACCESS = {
    "documents_index": Row(signed_in()),
    "documents_settings": Row(only(MANAGE_ONLY), kwargs=_noord),
    # The organisation's own Word templates: its beheerder (each their own organisation).
    "documents_house_style": Row(signed_in(403, beheerder=200, beheerder_stichting=200)),
    "documents_job": Row(only(OWN_JOB), kwargs=_job),
    "documents_job_file": Row(only(OWN_JOB), kwargs=lambda w: _job(w, fmt="docx")),
    "documents_job_record": Row(only(RECORD_OWN_JOB), kwargs=_job, method="post"),
    # Asking for the school's bundle (POST, made in the background): directie, ICT, the
    # organisation-wide roles; the bundle itself (page, progress, file) is 404 for others.
    "documents_bundle": Row(
        only(ASK_BUNDLE), kwargs=lambda w: {**_noord(w), "fmt": "zip"}, method="post"
    ),
    "documents_bundle_status": Row(only(MANAGE_200), kwargs=_done_bundle),
    "documents_bundle_progress": Row(only(MANAGE_PROGRESS), kwargs=_done_bundle),
    "documents_bundle_download": Row(only(MANAGE_200), kwargs=_done_bundle),
    "documents_plan_file": Row(only(READ_NOORD), kwargs=lambda w: {**_noord(w), "fmt": "docx"}),
    "documents_plan_record": Row(only(RECORD_PLAN), kwargs=_noord, method="post"),
    "documents_group_plan_file": Row(
        only(GROUP), kwargs=lambda w: {"organisation_id": w.organisation.pk, "fmt": "docx"}
    ),
    "documents_recorded_file": Row(only(READ_NOORD), kwargs=_recorded_plan),
    "documents_vacancy_start": Row(only(MANAGE_ONLY), kwargs=_noord),
    "documents_vacancy": Row(only(ZUID_MANAGE), kwargs=_zuid_vacancy),
    "documents_vacancy_file": Row(only(ZUID_MANAGE), kwargs=lambda w: _zuid_vacancy(w, fmt="docx")),
}
