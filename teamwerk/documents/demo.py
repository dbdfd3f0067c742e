"""Demo documents: Campus Noord has recorded job descriptions for two people and a recorded
work-distribution plan. Seeding twice changes nothing."""

from __future__ import annotations

from teamwerk.accounts.models import User
from teamwerk.tenancy.models import School
from teamwerk.tenancy.selectors import current_school_year

from . import services
from .models import DocumentKind, RecordedDocument

ICT_NOORD = "ict.noord@scholengroep-demo.be"
RECORDED_PEOPLE = ("ict.noord@scholengroep-demo.be", "teamlid.noord@scholengroep-demo.be")


def seed(context: dict) -> None:
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
