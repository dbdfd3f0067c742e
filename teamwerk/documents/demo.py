"""Demo documents: Campus Noord has recorded job descriptions for two people and a recorded
work-distribution plan; Campus Zuid has a vacancy draft from its step 6 (the tasks it
recruits for, with the digitalisation-lead profile). Seeding twice changes nothing."""

from __future__ import annotations

from teamwerk.accounts.models import User
from teamwerk.tenancy.models import School
from teamwerk.tenancy.selectors import current_school_year

from . import services
from .models import DocumentKind, RecordedDocument, Vacancy

ICT_NOORD = "ict.noord@scholengroep-demo.be"
DIRECTIE_ZUID = "directie.zuid@scholengroep-demo.be"
RECORDED_PEOPLE = ("ict.noord@scholengroep-demo.be", "teamlid.noord@scholengroep-demo.be")


def seed(context: dict) -> None:
    _seed_noord()
    _seed_zuid()


def _seed_zuid() -> None:
    from teamwerk.catalogue.models import Profile

    school = School.objects.filter(name="Campus Zuid").select_related("organisation").first()
    actor = User.objects.filter(email=DIRECTIE_ZUID).first()
    if school is None or actor is None or Vacancy.objects.filter(school=school).exists():
        return
    from .selectors import recruit_tasks

    year = current_school_year(school.organisation)
    services.vacancy_create(
        actor=actor,
        school=school,
        school_year=year,
        planned_tasks=recruit_tasks(school, year),
        profile=Profile.objects.filter(code="DIGI_LEAD").first(),
    )


def _seed_noord() -> None:
    school = School.objects.filter(name="Campus Noord").select_related("organisation").first()
    actor = User.objects.filter(email=ICT_NOORD).first()
    if school is None or actor is None:
        return
    if RecordedDocument.objects.filter(school=school).exists():
        return
    from teamwerk.team.models import Person

    year = current_school_year(school.organisation)
    services.document_settings_save(
        actor=actor,
        school=school,
        first_evaluator="Nadia Noorden (directeur)",
        second_evaluator="",
        place="Gent",
    )
    for email in RECORDED_PEOPLE:
        person = Person.objects.filter(organisation=school.organisation, email=email).first()
        if person is not None:
            services.document_record(
                actor=actor,
                school=school,
                school_year=year,
                kind=DocumentKind.JOB_DESCRIPTION,
                person=person,
            )
    services.document_record(
        actor=actor, school=school, school_year=year, kind=DocumentKind.WORK_PLAN
    )
    # Since then the group named a second evaluator: the recorded job descriptions now
    # differ from the data, and the pages say so.
    services.document_settings_save(
        actor=actor,
        school=school,
        first_evaluator="Nadia Noorden (directeur)",
        second_evaluator="An Vandamme (coördinerend directeur)",
        place="Gent",
    )
