"""The documents through real requests: files are opened again (python-docx, pdftotext) and
read the way a school would read them."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import tempfile
import zipfile
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.text import slugify

from teamwerk.accounts.models import AuditEvent
from teamwerk.documents.models import RecordedDocument
from teamwerk.team import services as team_services
from teamwerk.team.models import Agreement, Assignment, Availability, Person
from teamwerk.tenancy.models import School
from teamwerk.tenancy.selectors import current_school_year

# Words of the rating scales: a document must never contain them.
RATING_WORDS = ("Kan het anderen leren", "Lukt zelfstandig", "Heel graag", "Liever niet")


def docx_text(content: bytes) -> str:
    from docx import Document

    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def pdf_text(content: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(content)
        handle.flush()
        result = subprocess.run(["pdftotext", handle.name, "-"], capture_output=True, check=True)
    return result.stdout.decode()


def pdf_info(content: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(content)
        handle.flush()
        return subprocess.run(
            ["pdfinfo", handle.name], capture_output=True, check=True
        ).stdout.decode()


def _person(email: str) -> Person:
    return Person.objects.get(email=email)


def _job_url(school, person, fmt=None) -> str:
    if fmt:
        return reverse("documents_job_file", args=[school.pk, person.pk, fmt])
    return reverse("documents_job", args=[school.pk, person.pk])


@pytest.fixture
def ilse(world):
    return _person("ict.noord@scholengroep-demo.be")


@pytest.fixture
def tom(world):
    return _person("teamlid.noord@scholengroep-demo.be")


def _assignments(person, school):
    year = current_school_year(school.organisation)
    return list(
        Assignment.objects.filter(
            person=person, school=school, planned_task__plan__school_year=year
        ).select_related("planned_task__task")
    )


# ------------------------------------------------------------------- job description


def test_job_description_word_has_header_tasks_hours_mandates_and_signatures(
    client_for, world, ilse
):
    response = client_for("directie_noord").get(_job_url(world.noord, ilse, "docx"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "no-store" in response["Cache-Control"]
    text = docx_text(response.content)
    for expected in (
        "Functiebeschrijving",
        "Onderwijsinstelling",
        "Campus Noord",
        "Instellingsnummer",
        "Schoolbestuur",
        "Scholengroep Demo",
        "Ilse Verbeke",
        "ICT-coördinator",
        "Eerste evaluator",
        "Nadia Noorden (directeur)",
        "Tweede evaluator",
        "Ondertekening",
        "Handtekening",
        "Plaats: Gent",
    ):
        assert expected in text, expected
    assert "BRIN" not in text
    assignments = _assignments(ilse, world.noord)
    assert assignments, "the demo gives Ilse tasks"
    for assignment in assignments:
        assert assignment.planned_task.task.code in text
        assert assignment.get_mandate_display() in text
    assert "Trekker" in text
    # Grouped as the model: A.1 before A.4 and B, C after.
    assert text.index("A.1 Beleid") < text.index("C Overleg en samenwerking")
    for word in RATING_WORDS:
        assert word not in text


def test_job_description_pdf_is_tagged_and_has_the_same_content(client_for, world, ilse):
    response = client_for("ict_noord").get(_job_url(world.noord, ilse, "pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for expected in ("Instellingsnummer", "Schoolbestuur", "Ilse Verbeke", "Handtekening"):
        assert expected in text
    total = sum((a.hours for a in _assignments(ilse, world.noord)), Decimal(0))
    assert f"Uren voor deze taken {total.normalize():f}".replace(".", ",") in " ".join(text.split())
    info = pdf_info(response.content)
    assert "Tagged:          yes" in info
    for word in RATING_WORDS:
        assert word not in text


def test_pedagogical_condition_is_stated_with_the_pedagogical_tasks(client_for, world):
    # Wim Claes has no proof of pedagogical qualification; whoever holds a PED task gets the
    # condition in their document.
    person = (
        Person.objects.filter(
            assignments__planned_task__task__domain__code="PED", assignments__school=world.noord
        )
        .distinct()
        .first()
    )
    text = docx_text(client_for("ict_noord").get(_job_url(world.noord, person, "docx")).content)
    assert "A.3 Pedagogisch-didactisch" in text
    assert "bewijs van pedagogische bekwaamheid" in text


def test_dutch_foundation_says_brin_and_bestuur_and_pmr(client_for, world):
    school = School.objects.filter(organisation=world.other_organisation).order_by("name").first()
    year = current_school_year(school.organisation)
    person = (
        Person.objects.filter(
            availabilities__school=school,
            availabilities__school_year=year,
            availabilities__hours_available__gt=0,
        )
        .distinct()
        .first()
    )
    client = client_for("beheerder_stichting")
    text = docx_text(client.get(_job_url(school, person, "docx")).content)
    assert "BRIN-nummer" in text
    assert "Bestuur" in text and "Stichting Demo" in text
    assert "Instellingsnummer" not in text and "Schoolbestuur" not in text
    plan = pdf_text(client.get(reverse("documents_plan_file", args=[school.pk, "pdf"])).content)
    assert "BRIN-nummer" in plan
    assert "P-MR" in plan
    flemish_plan = docx_text(
        client_for("ict_noord")
        .get(reverse("documents_plan_file", args=[world.noord.pk, "docx"]))
        .content
    )
    assert "P-MR" not in flemish_plan and "Instellingsnummer" in flemish_plan


def test_person_in_two_schools_has_one_description_per_school(client_for, world):
    wim = Person.objects.get(first_name="Wim", last_name="Claes")
    client = client_for("directeur")
    noord = docx_text(client.get(_job_url(world.noord, wim, "docx")).content)
    zuid = docx_text(client.get(_job_url(world.zuid, wim, "docx")).content)
    assert "Campus Noord" in noord and "Campus Zuid" not in noord
    assert "Campus Zuid" in zuid
    year = current_school_year(world.organisation)
    for school, text in ((world.noord, noord), (world.zuid, zuid)):
        hours = Availability.objects.get(person=wim, school=school, school_year=year)
        assert f"Beschikbare ICT-uren: {hours.hours_available.normalize():f}" in text
    assert noord != zuid


# ------------------------------------------------------------------------ who sees what


def test_teamlid_gets_only_their_own_job_description(client_for, world, tom, ilse):
    client = client_for("teamlid_noord")
    assert client.get(_job_url(world.noord, tom, "docx")).status_code == 200
    assert client.get(_job_url(world.noord, ilse, "docx")).status_code == 404
    assert client.get(_job_url(world.noord, ilse)).status_code == 404
    index = client.get(reverse("documents_index")).content.decode()
    assert "Tom Peeters" in index and "Ilse Verbeke" not in index


def test_lezer_reads_the_plan_but_no_job_description(client_for, world, tom):
    client = client_for("lezer_noord")
    assert client.get(_job_url(world.noord, tom, "pdf")).status_code == 404
    response = client.get(reverse("documents_plan_file", args=[world.noord.pk, "docx"]))
    assert response.status_code == 200
    assert "Wie doet wat" in docx_text(response.content)
    bundle = client.post(reverse("documents_bundle", args=[world.noord.pk, "zip"]))
    assert bundle.status_code == 403


def test_other_school_and_other_organisation_get_404(client_for, world, ilse):
    for key in ("directie_zuid", "beheerder_stichting"):
        client = client_for(key)
        assert client.get(_job_url(world.noord, ilse, "docx")).status_code == 404
        plan = client.get(reverse("documents_plan_file", args=[world.noord.pk, "pdf"]))
        assert plan.status_code == 404
    recorded = RecordedDocument.objects.filter(school=world.noord, kind="job").first()
    url = reverse("documents_recorded_file", args=[recorded.pk, "pdf"])
    assert client_for("directie_zuid").get(url).status_code == 404
    assert client_for("lezer_noord").get(url).status_code == 404  # a job description


def test_unknown_format_is_404(client_for, world, ilse):
    response = client_for("ict_noord").get(_job_url(world.noord, ilse, "exe"))
    assert response.status_code == 404


# ----------------------------------------------------------------------- hostile text


def test_hostile_text_comes_out_as_plain_text(client_for, world, ilse):
    year = current_school_year(world.organisation)
    hostile = '=HYPERLINK("http://evil.example","x") <script>alert(1)</script> <w:p>&amp;'
    long_text = hostile + " " + "lang " * 2000  # 10,000 characters and more
    assert len(long_text) > 10_000
    team_services.agreement_create(
        actor=world.users["ict_noord"],
        school=world.noord,
        school_year=year,
        kind="working",
        text=long_text,
        agreed_on=year.starts_on,
    )
    client = client_for("ict_noord")
    response = client.post(
        _job_url(world.noord, ilse),
        {
            "function_title": "<b>coördinator</b> =1+1 \x0b",
            "first_evaluator": "@SUM(A1)",
            "second_evaluator": "",
        },
    )
    assert response.status_code == 302
    job = client.get(_job_url(world.noord, ilse, "docx")).content
    text = docx_text(job)
    assert "<b>coördinator</b> =1+1" in text
    assert "@SUM(A1)" in text
    plan = client.get(reverse("documents_plan_file", args=[world.noord.pk, "docx"])).content
    plan_text = docx_text(plan)
    assert hostile in plan_text
    assert plan_text.count("lang") >= 2000
    with zipfile.ZipFile(io.BytesIO(plan)) as archive:
        xml = archive.read("word/document.xml").decode()
    assert "<script>" not in xml and "&lt;script&gt;" in xml
    pdf = client.get(reverse("documents_plan_file", args=[world.noord.pk, "pdf"])).content
    flat = " ".join(pdf_text(pdf).split())
    assert "<script>alert(1)</script>" in flat
    assert '=HYPERLINK("http://evil.example","x")' in flat


# -------------------------------------------------------------------- bundle and group


def test_group_plan_lists_the_groups_tasks(client_for, world):
    from teamwerk.planning.models import PlannedTask

    response = client_for("directeur").get(
        reverse("documents_group_plan_file", args=[world.organisation.pk, "docx"])
    )
    assert response.status_code == 200
    text = docx_text(response.content)
    assert "Werkverdelingsplan van de groep" in text
    group_owned = Assignment.objects.filter(
        organisation=world.organisation, school__isnull=True
    ).select_related("planned_task__task")
    for assignment in group_owned:
        assert assignment.planned_task.task.code in text
    assert PlannedTask.objects.filter(school__isnull=True).exists()


def test_plan_has_agreements_review_dates_hours_and_signature_page(client_for, world):
    response = client_for("lezer_noord").get(
        reverse("documents_plan_file", args=[world.noord.pk, "pdf"])
    )
    text = " ".join(pdf_text(response.content).split())
    agreement = (
        Agreement.objects.filter(school=world.noord, review_on__isnull=False).order_by("pk").first()
    )
    assert agreement.text[:40] in text
    assert "Opnieuw bekijken op" in text
    assert "ICT-budget van de school" in text
    assert "Voor de directie" in text
    for word in RATING_WORDS:
        assert word not in text


# ------------------------------------------------------------------------- vastleggen


def test_record_keeps_the_file_and_shows_what_changed_since(client_for, world, ilse):
    client = client_for("ict_noord")
    before = RecordedDocument.objects.filter(person=ilse).count()
    response = client.post(reverse("documents_job_record", args=[world.noord.pk, ilse.pk]))
    assert response.status_code == 302
    recorded = RecordedDocument.objects.filter(person=ilse).first()
    assert RecordedDocument.objects.filter(person=ilse).count() == before + 1
    assert AuditEvent.objects.filter(kind="document.recorded", actor=world.users["ict_noord"])
    page = client.get(_job_url(world.noord, ilse)).content.decode()
    assert "Gelijk aan de vastgelegde versie" in page
    # The data changes: one of her tasks gets more hours.
    assignment = _assignments(ilse, world.noord)[0]
    team_services.assignment_update(
        actor=world.users["ict_noord"],
        assignment=assignment,
        hours=assignment.hours + 7,
        mandate=assignment.mandate,
        mandate_budget=assignment.mandate_budget,
        mandate_note=assignment.mandate_note,
        starts_on=assignment.starts_on,
        ends_on=assignment.ends_on,
    )
    page = client.get(_job_url(world.noord, ilse)).content.decode()
    day = recorded.recorded_at.date()
    assert "Wijkt af van de vastgelegde versie van" in page
    assert assignment.planned_task.task.code in page.split("Wijkt af")[1]
    assert str(day.year) in page
    # The recorded file stays as it was recorded.
    kept = client.get(reverse("documents_recorded_file", args=[recorded.pk, "docx"]))
    assert kept.content == bytes(RecordedDocument.objects.get(pk=recorded.pk).docx)


def test_teamlid_cannot_record(client_for, world, tom):
    response = client_for("teamlid_noord").post(
        reverse("documents_job_record", args=[world.noord.pk, tom.pk])
    )
    assert response.status_code == 403
    response = client_for("teamlid_noord").post(
        _job_url(world.noord, tom), {"function_title": "directeur"}
    )
    assert response.status_code == 403


def test_settings_form_rejects_too_long_text(client_for, world):
    client = client_for("ict_noord")
    url = reverse("documents_settings", args=[world.noord.pk])
    response = client.post(url, {"first_evaluator": "x" * 151, "second_evaluator": "", "place": ""})
    assert response.status_code == 200
    assert "maximaal 150" in response.content.decode() or "150" in response.content.decode()
    response = client.post(
        url, {"first_evaluator": "Mevr. Dirk", "second_evaluator": "", "place": "Gent"}
    )
    assert response.status_code == 302
    text = docx_text(
        client.get(
            _job_url(world.noord, _person("teamlid.noord@scholengroep-demo.be"), "docx")
        ).content
    )
    assert "Mevr. Dirk" in text


# ------------------------------------------------------------------------------- demo


def test_demo_has_recorded_documents_at_noord(client_for, world, tom):
    recorded = RecordedDocument.objects.filter(school=world.noord)
    assert recorded.filter(kind="job").values("person").distinct().count() == 2
    assert recorded.filter(kind="plan").count() == 1
    # Since the recording the school named a second evaluator: Tom's page says so.
    page = client_for("teamlid_noord").get(_job_url(world.noord, tom)).content.decode()
    assert "Wijkt af van de vastgelegde versie van" in page
    assert "tweede evaluator" in page
    assert dt.date.today().year - 1 <= recorded.first().recorded_at.year


def test_step_7_evidence_counts_the_recorded_job_descriptions(client_for, world):
    page = client_for("directie_noord").get(
        reverse("stappenplan_step", kwargs={"school_id": world.noord.pk, "number": 7})
    )
    text = " ".join(page.content.decode().split())
    # Ilse and Tom are trekkers with a recorded job description in the demo.
    assert "2 van de" in text
    assert "trekkers hebben een vastgelegde functiebeschrijving met hun mandaten" in text
    assert f'href="{reverse("documents_index")}"' in text


# --------------------------------------------------------------------------- vacancies


def test_vacancy_from_step_6_with_the_recruit_tasks_and_the_profile(client_for, world):
    from teamwerk.catalogue.models import Profile
    from teamwerk.documents.models import Vacancy
    from teamwerk.documents.selectors import recruit_tasks

    client = client_for("directie_zuid")
    step = client.get(reverse("stappenplan_step", kwargs={"school_id": world.zuid.pk, "number": 6}))
    start_url = reverse("documents_vacancy_start", args=[world.zuid.pk])
    assert start_url in step.content.decode()
    year = current_school_year(world.organisation)
    recruit = recruit_tasks(world.zuid, year)
    profile = Profile.objects.get(code="DIGI_LEAD")
    response = client.post(start_url, {"tasks": [t.pk for t in recruit], "profile": profile.pk})
    assert response.status_code == 302
    vacancy = Vacancy.objects.filter(school=world.zuid).first()
    assert response["Location"] == reverse("documents_vacancy", args=[vacancy.pk])
    # The draft carries the profile's competences, including what seed 000 asks of the role.
    assert "weerstand" in vacancy.profile_text or "verzetten" in vacancy.profile_text
    assert "ongewone oplossingen" in vacancy.profile_text
    for item in recruit:
        assert item.task.code in vacancy.tasks_text
    # The user edits a section; the draft is saved and the download has it.
    data = {
        name: getattr(vacancy, name)
        for name in (
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
    }
    data.update(presence="Minstens vier dagen per week op school", version=vacancy.version)
    assert client.post(reverse("documents_vacancy", args=[vacancy.pk]), data).status_code == 302
    text = docx_text(
        client.get(reverse("documents_vacancy_file", args=[vacancy.pk, "docx"])).content
    )
    for expected in (
        "De school en haar context",
        "Profiel en competenties",
        "Minstens vier dagen per week op school",
        "Interne ronde",
        "Externe ronde",
        "Instellingsnummer",
    ):
        assert expected in text
    pdf = pdf_text(client.get(reverse("documents_vacancy_file", args=[vacancy.pk, "pdf"])).content)
    assert "Minstens vier dagen per week op school" in pdf


def test_vacancy_numbers_are_bounded_and_stale_saves_refused(client_for, world):
    from teamwerk.documents.models import Vacancy

    vacancy = Vacancy.objects.filter(school=world.zuid).first()
    client = client_for("directie_zuid")
    url = reverse("documents_vacancy", args=[vacancy.pk])
    base = {
        "title": "Projectleider",
        "fte": "1.5",
        "hours_per_year": "100",
        "version": vacancy.version,
    }
    response = client.post(url, base)
    assert response.status_code == 200
    assert "1.0" in response.content.decode() or "1,0" in response.content.decode()
    vacancy.refresh_from_db()
    assert vacancy.title != "Projectleider"
    response = client.post(url, {**base, "fte": "0.6", "version": vacancy.version - 1})
    assert response.status_code == 200
    assert "intussen bewaard" in response.content.decode()
    response = client.post(url, {**base, "fte": "0.6", "context": "x" * 5001})
    assert response.status_code == 200


def test_vacancy_needs_a_task_or_a_profile_and_stays_in_its_school(client_for, world):
    client = client_for("ict_noord")
    url = reverse("documents_vacancy_start", args=[world.noord.pk])
    response = client.post(url, {})
    assert response.status_code == 200
    assert "Kies minstens één taak of een rolprofiel" in response.content.decode()
    from teamwerk.documents.models import Vacancy

    zuid = Vacancy.objects.filter(school=world.zuid).first()
    assert client.get(reverse("documents_vacancy", args=[zuid.pk])).status_code == 404
    assert client_for("teamlid_noord").get(url).status_code == 403


def test_demo_has_a_vacancy_draft_at_zuid(world):
    from teamwerk.documents.models import Vacancy

    vacancy = Vacancy.objects.get(school=world.zuid)
    assert vacancy.profile.code == "DIGI_LEAD"
    assert vacancy.profile_text.count("\n") >= 8


def test_every_document_download_is_audited_in_the_organisation_that_owns_it(
    world, client_for, tom
):
    """Job descriptions and plans name people's tasks and hours: a board can ask who took which
    file, and the event lands in the school's organisation."""
    client = client_for("ict_noord")
    urls = [
        _job_url(world.noord, tom, "docx"),
        _job_url(world.noord, tom, "pdf"),
        reverse("documents_plan_file", args=[world.noord.pk, "docx"]),
    ]
    before = AuditEvent.objects.filter(kind="document.downloaded").count()
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
    events = list(
        AuditEvent.objects.filter(kind="document.downloaded").order_by("-pk")[: len(urls)]
    )
    assert AuditEvent.objects.filter(kind="document.downloaded").count() == before + len(urls)
    assert {event.organisation_id for event in events} == {world.organisation.pk}
    assert {event.actor_id for event in events} == {world.users["ict_noord"].pk}
    assert any(slugify(tom.last_name) in event.target for event in events)
    # Refused downloads leave no trace of a file that was never sent.
    assert client_for("directie_zuid").get(urls[0]).status_code == 404
    assert AuditEvent.objects.filter(kind="document.downloaded").count() == before + len(urls)
