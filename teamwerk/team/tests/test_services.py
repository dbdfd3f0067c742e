"""The rules of a distribution, as the services keep them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from teamwerk.team import selectors, services
from teamwerk.team.models import Agreement, AgreementKind, Assignment, Competence, Mandate, Person

pytestmark = pytest.mark.django_db


def test_a_task_gets_one_trekker_and_back_ups(world, people, open_task):
    ict = world.users["ict_noord"]
    owner = services.assignment_set_owner(
        actor=ict, planned_task=open_task, person=people["Sofie"], mandate=Mandate.DECIDES
    )
    services.assignment_add_backup(actor=ict, planned_task=open_task, person=people["Lien"])
    services.assignment_add_backup(actor=ict, planned_task=open_task, person=people["Koen"])

    held = selectors.task_assignments(open_task)
    assert [(a.person.first_name, a.role) for a in held if a.role == "owner"] == [
        ("Sofie", "owner")
    ]
    assert {a.person.first_name for a in held if a.role == "backup"} == {"Lien", "Koen"}
    # A new trekker carries the task's hours; a back-up starts without.
    assert owner.hours == selectors.task_hours(open_task)
    assert all(a.hours == 0 for a in held if a.role == "backup")


def test_a_new_trekker_replaces_the_old_one_and_a_back_up_can_step_up(world, people, open_task):
    ict = world.users["ict_noord"]
    services.assignment_set_owner(actor=ict, planned_task=open_task, person=people["Sofie"])
    services.assignment_add_backup(actor=ict, planned_task=open_task, person=people["Lien"])

    services.assignment_set_owner(actor=ict, planned_task=open_task, person=people["Lien"])

    held = {a.person.first_name: a.role for a in selectors.task_assignments(open_task)}
    assert held == {"Lien": "owner"}


def test_the_database_allows_only_one_trekker(world, people, open_task):
    services.assignment_set_owner(actor=None, planned_task=open_task, person=people["Sofie"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(
            organisation=world.organisation,
            school=world.noord,
            planned_task=open_task,
            person=people["Lien"],
            role="owner",
            starts_on=open_task.plan.school_year.starts_on,
        )


def test_the_trekker_is_never_its_own_back_up(world, people, open_task):
    ict = world.users["ict_noord"]
    services.assignment_set_owner(actor=ict, planned_task=open_task, person=people["Sofie"])
    with pytest.raises(ValidationError) as error:
        services.assignment_add_backup(actor=ict, planned_task=open_task, person=people["Sofie"])
    assert "al trekker van deze taak" in error.value.messages[0]
    with pytest.raises(ValidationError):
        services.distribution_apply(
            actor=ict, planned_task=open_task, owner=people["Lien"], backups=[people["Lien"]]
        )


def test_pedagogical_tasks_only_go_to_qualified_people(world, people, pedagogical_task):
    wim = people["Wim"]  # technician, no proof of pedagogical qualification
    assert not wim.pedagogically_qualified
    before = list(
        Assignment.objects.filter(planned_task=pedagogical_task).values_list("pk", "role")
    )
    for attempt in (
        lambda: services.assignment_set_owner(
            actor=world.users["ict_noord"], planned_task=pedagogical_task, person=wim
        ),
        lambda: services.assignment_add_backup(
            actor=world.users["ict_noord"], planned_task=pedagogical_task, person=wim
        ),
        lambda: services.distribution_apply(
            actor=world.users["ict_noord"], planned_task=pedagogical_task, owner=wim, backups=[]
        ),
    ):
        with pytest.raises(ValidationError) as error:
            attempt()
        assert "pedagogische bekwaamheid" in error.value.messages[0]
        assert "Wim Claes" in error.value.messages[0]
    after = list(Assignment.objects.filter(planned_task=pedagogical_task).values_list("pk", "role"))
    assert after == before


def test_the_refusal_speaks_the_region_s_word_for_the_qualification(
    world, people, pedagogical_task
):
    """Messages written in Python take the word from the one lookup: a Dutch board reads
    lesbevoegdheid (the organisation's region, set per request by the middleware)."""
    from teamwerk.tenancy.terms import NETHERLANDS, activate_region, deactivate_region

    token = activate_region(NETHERLANDS)
    try:
        with pytest.raises(ValidationError) as error:
            services.assignment_set_owner(
                actor=world.users["ict_noord"], planned_task=pedagogical_task, person=people["Wim"]
            )
    finally:
        deactivate_region(token)
    message = error.value.messages[0]
    assert "vraagt een lesbevoegdheid" in message and "bevoegd is" in message
    assert "pedagogische bekwaamheid" not in message


def test_taking_away_the_qualification_of_someone_with_pedagogical_tasks_is_refused(
    world, year, people, pedagogical_task
):
    owner = Assignment.objects.get(planned_task=pedagogical_task, role="owner").person
    with pytest.raises(ValidationError) as error:
        services.person_update(
            actor=world.users["ict_noord"],
            person=owner,
            school=world.noord,
            school_year=year,
            pedagogically_qualified=False,
        )
    assert pedagogical_task.task.code in str(error.value)
    owner.refresh_from_db()
    assert owner.pedagogically_qualified


def test_hours_over_availability_are_allowed_but_shown_as_a_warning(world, year, people, open_task):
    koen = people["Koen"]
    services.assignment_set_owner(
        actor=world.users["ict_noord"], planned_task=open_task, person=koen, hours=500
    )
    matrix = selectors.distribution_matrix(world.users["ict_noord"], world.noord, year)
    assert koen.pk in [p.pk for p in matrix.over_hours]
    row = next(r for g in matrix.groups for r in g.rows if r.planned_task.pk == open_task.pk)
    assert any("Koen De Smet" in n.text and "te veel" in n.text for n in row.notices)
    figures = selectors.dashboard_figures(world.noord, year)
    assert "Koen De Smet" in [line.person.full_name for line in figures.over_hours]


def test_a_task_without_trekker_is_a_warning(world, year, open_task):
    figures = selectors.dashboard_figures(world.noord, year)
    assert open_task.pk in [line.planned_task.pk for line in figures.no_owner]
    notices = selectors.task_notices(open_task, [], {})
    assert notices[0].text == "Deze taak heeft nog geen trekker."


def test_a_stale_save_is_refused_and_shows_what_is_stored_now(world, people, open_task):
    ict, directie = world.users["ict_noord"], world.users["directie_noord"]
    assignment = services.assignment_set_owner(
        actor=ict, planned_task=open_task, person=people["Sofie"], hours=10
    )
    seen = assignment.version
    services.assignment_update(
        actor=directie,
        assignment=assignment,
        hours=12,
        mandate=Mandate.ADVISES,
        starts_on=assignment.starts_on,
        expected_version=seen,
    )
    with pytest.raises(services.ConcurrentChange) as change:
        services.assignment_update(
            actor=ict,
            assignment=assignment,
            hours=20,
            mandate=Mandate.DECIDES,
            starts_on=assignment.starts_on,
            expected_version=seen,
        )
    assert "intussen gewijzigd" in change.value.message
    assert change.value.current.hours == Decimal(12)
    assignment.refresh_from_db()
    assert (assignment.hours, assignment.mandate) == (Decimal(12), Mandate.ADVISES)


def test_budget_mandate_needs_an_amount(world, people, open_task):
    with pytest.raises(ValidationError) as error:
        services.assignment_set_owner(
            actor=world.users["ict_noord"],
            planned_task=open_task,
            person=people["Sofie"],
            mandate=Mandate.BUDGET,
        )
    assert "budget" in str(error.value)
    assignment = services.assignment_set_owner(
        actor=world.users["ict_noord"],
        planned_task=open_task,
        person=people["Sofie"],
        mandate=Mandate.BUDGET,
        mandate_budget=Decimal("750"),
        mandate_note="overleg boven dit bedrag",
    )
    assert assignment.mandate_budget == Decimal("750")


def test_the_matrix_click_refuses_a_distribution_that_changed_meanwhile(world, people, open_task):
    ict = world.users["ict_noord"]
    token = selectors.distribution_token([])
    services.assignment_set_owner(
        actor=world.users["directie_noord"], planned_task=open_task, person=people["Lien"]
    )
    with pytest.raises(services.ConcurrentChange):
        services.assignment_set_role(
            actor=ict,
            planned_task=open_task,
            person=people["Sofie"],
            role="owner",
            expected_token=token,
        )
    assert Assignment.objects.get(planned_task=open_task, role="owner").person.first_name == "Lien"


def test_distribution_apply_replaces_everything_in_one_go(world, people, open_task):
    ict = world.users["ict_noord"]
    services.distribution_apply(
        actor=ict, planned_task=open_task, owner=people["Sofie"], backups=[people["Lien"]]
    )
    services.distribution_apply(
        actor=ict,
        planned_task=open_task,
        owner=people["Lien"],
        backups=[people["Sofie"], people["Koen"]],
        mandate=Mandate.DECIDES,
        reason="voorstel van de verdelingsassistent",
    )
    held = {a.person.first_name: (a.role, a.mandate) for a in selectors.task_assignments(open_task)}
    assert held == {
        "Lien": ("owner", Mandate.DECIDES),
        "Sofie": ("backup", Mandate.EXECUTES),
        "Koen": ("backup", Mandate.EXECUTES),
    }
    latest = Assignment.history.filter(planned_task_id=open_task.pk).order_by("-history_id")[0]
    assert latest.history_change_reason == "voorstel van de verdelingsassistent"
    assert latest.history_user == ict


def test_read_only_roles_and_other_schools_cannot_change_a_distribution(world, people, open_task):
    for key in ("teamlid_noord", "lezer_noord", "directie_zuid", "beheerder_stichting"):
        with pytest.raises(PermissionDenied):
            services.assignment_set_owner(
                actor=world.users[key], planned_task=open_task, person=people["Sofie"]
            )
    assert not Assignment.objects.filter(planned_task=open_task).exists()


def test_every_change_to_a_distribution_is_recorded_with_who(world, people, open_task):
    ict = world.users["ict_noord"]
    assignment = services.assignment_set_owner(
        actor=ict, planned_task=open_task, person=people["Sofie"]
    )
    services.assignment_remove(actor=ict, assignment=assignment)
    records = Assignment.history.filter(id=assignment.pk).order_by("history_id")
    assert [(r.history_type, r.history_user_id) for r in records] == [("+", ict.pk), ("-", ict.pk)]


# ------------------------------------------------------------------------------ people


@pytest.mark.parametrize(
    "spelling",
    [
        "sofie.maes@scholengroep-demo.be",
        "  Sofie.Maes@Scholengroep-Demo.BE ",
        "ｓｏｆｉｅ.maes@scholengroep-demo.be",  # full-width letters, same address after NFKC
    ],
)
def test_duplicate_email_addresses_are_caught(world, year, spelling):
    with pytest.raises(ValidationError) as error:
        services.person_create(
            actor=world.users["ict_noord"],
            organisation=world.organisation,
            school=world.noord,
            school_year=year,
            first_name="Sofie",
            last_name="Dubbel",
            email=spelling,
        )
    assert "Sofie Maes staat al in de teamlijst" in str(error.value)
    assert not Person.objects.filter(last_name="Dubbel").exists()


def test_a_new_person_with_an_existing_account_s_address_is_not_linked(world, year):
    lotte = world.users["lezer_noord"]
    person = services.person_create(
        actor=world.users["directie_noord"],
        organisation=world.organisation,
        school=world.noord,
        school_year=year,
        first_name="Lotte",
        last_name="Lezer",
        email=lotte.email.upper(),
    )
    # An address never decides whose ratings an account reads: linking is a deliberate act.
    assert person.user is None
    assert person.email == lotte.email


def test_inviting_a_person_sends_an_invitation_and_accepting_it_links_the_account(
    world, people, client
):
    from teamwerk.accounts.models import Invitation
    from teamwerk.accounts.services import invitation_accept

    sofie = people["Sofie"]
    invitation = services.person_invite(
        actor=world.users["directie_noord"], person=sofie, school=world.noord
    )
    assert isinstance(invitation, Invitation)
    assert (invitation.email, invitation.role, invitation.school) == (
        sofie.email,
        "teamlid",
        world.noord,
    )
    user = invitation_accept(invitation=invitation, password="een-lang-wachtwoord-42")
    client.force_login(user)
    response = client.get("/team/mijn-taken/")
    assert response.status_code == 302
    sofie.refresh_from_db()
    assert sofie.user == user
    with pytest.raises(ValidationError):
        services.person_invite(
            actor=world.users["directie_noord"], person=sofie, school=world.noord
        )


# ------------------------------------------------------------------------- competences


def test_own_answers_are_recorded_as_self_and_a_leader_s_as_theirs(world, people):
    domain = Competence.objects.filter(person=people["Tom"], task__isnull=True).first().domain
    tom_user = world.users["teamlid_noord"]
    services.competences_save(
        actor=tom_user,
        person=people["Tom"],
        entries=[services.CompetenceEntry(domain=domain, task=None, expertise=0, motivation=3)],
    )
    mine = Competence.objects.get(person=people["Tom"], domain=domain, task=None)
    assert (mine.expertise, mine.motivation, mine.set_by_self, mine.set_by) == (
        0,
        3,
        True,
        tom_user,
    )

    ict = world.users["ict_noord"]
    services.competences_save(
        actor=ict,
        person=people["Tom"],
        entries=[services.CompetenceEntry(domain=domain, task=None, expertise=2, motivation=3)],
    )
    corrected = Competence.objects.get(person=people["Tom"], domain=domain, task=None)
    assert (corrected.expertise, corrected.set_by_self, corrected.set_by) == (2, False, ict)


def test_a_teamlid_cannot_set_someone_else_s_answers(world, people):
    domain = Competence.objects.filter(person=people["Sofie"]).first().domain
    with pytest.raises(PermissionDenied):
        services.competences_save(
            actor=world.users["teamlid_noord"],
            person=people["Sofie"],
            entries=[services.CompetenceEntry(domain=domain, task=None, expertise=3, motivation=3)],
        )
    with pytest.raises(PermissionDenied):  # beheerder manages, but does not read self-assessments
        services.competences_save(
            actor=world.users["beheerder"],
            person=people["Sofie"],
            entries=[services.CompetenceEntry(domain=domain, task=None, expertise=3, motivation=3)],
        )


def test_only_the_person_and_directie_or_ict_see_self_assessments(world, people):
    from teamwerk.team.models import Competence as C

    sofie = people["Sofie"]
    visible = {
        key: C.objects.for_user(world.users[key]).filter(person=sofie).exists()
        for key in world.users
    }
    assert visible == {
        "beheerder": False,
        "directeur": True,
        "directie_noord": True,
        "ict_noord": True,
        "teamlid_noord": False,
        "lezer_noord": False,
        "directie_zuid": False,
        "beheerder_stichting": False,
    }
    tom_sees = C.objects.for_user(world.users["teamlid_noord"]).values_list("person", flat=True)
    assert set(tom_sees) == {people["Tom"].pk}


# -------------------------------------------------------------------------- agreements


def test_agreements_keep_only_their_kind_s_fields_and_refuse_stale_saves(world, year, people):
    directie = world.users["directie_noord"]
    agreement = services.agreement_create(
        actor=directie,
        school=world.noord,
        school_year=year,
        kind=AgreementKind.BACKUP,
        text="Elke trekker spreekt elk trimester af met de back-up.",
        agreed_on=year.starts_on,
        documentation_location="niet voor deze soort",
        responsible=people["Ilse"],
    )
    assert agreement.documentation_location == ""
    services.agreement_update(
        actor=directie, agreement=agreement, expected_version=1, text="Nieuwe tekst."
    )
    with pytest.raises(services.ConcurrentChange) as change:
        services.agreement_update(
            actor=world.users["ict_noord"], agreement=agreement, expected_version=1, text="Oud."
        )
    assert change.value.current.text == "Nieuwe tekst."
    with pytest.raises(ValidationError):
        services.agreement_create(
            actor=directie,
            school=world.noord,
            school_year=year,
            kind=AgreementKind.WORKING,
            text="Terugblik voor de afspraak kan niet.",
            agreed_on=year.ends_on,
            review_on=year.starts_on,
        )
    with pytest.raises(PermissionDenied):
        services.agreement_create(
            actor=world.users["teamlid_noord"],
            school=world.noord,
            school_year=year,
            kind=AgreementKind.WORKING,
            text="x",
            agreed_on=year.starts_on,
        )
    assert Agreement.objects.filter(school=world.noord, kind=AgreementKind.WORKING).count() == 1
