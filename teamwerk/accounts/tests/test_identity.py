"""Who an account is in the team list: linked on purpose, never by matching an address."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress

from teamwerk.accounts.models import AuditEvent, User
from teamwerk.team.models import Availability, Competence, Person
from teamwerk.tenancy.services import membership_grant

pytestmark = pytest.mark.django_db

PASSWORD = "een-lang-wachtwoord-42"


def _noord_person_without_account(world) -> Person:
    """A colleague at Campus Noord only, with ratings but no account of their own."""
    return (
        Person.objects.filter(
            organisation=world.organisation,
            user__isnull=True,
            availabilities__school=world.noord,
            competences__isnull=False,
        )
        .exclude(email="")
        .exclude(availabilities__school__in=[world.zuid])
        .distinct()
        .first()
    )


def _new_teamlid(world, email="nieuw.teamlid@scholengroep-demo.be") -> User:
    user = User.objects.create_user(email=email, password=PASSWORD)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    membership_grant(
        actor=None, user=user, organisation=world.organisation, school=world.noord, role="teamlid"
    )
    return user


def _sign_in(client, email, password=PASSWORD):
    response = client.post("/accounts/login/", {"login": email, "password": password})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def test_a_colleague_s_address_added_to_an_account_never_opens_their_ratings(client, world):
    colleague = _noord_person_without_account(world)
    assert colleague is not None and colleague.competences.exists()
    user = _new_teamlid(world)
    _sign_in(client, user.email)
    client.post("/accounts/email/", {"email": colleague.email, "action_add": ""})
    client.post("/accounts/email/", {"email": colleague.email, "action_primary": ""})
    user.refresh_from_db()
    # The unverified address did not become the account's address.
    assert user.email == "nieuw.teamlid@scholengroep-demo.be"
    assert not EmailAddress.objects.filter(user=user, email=colleague.email, verified=True)
    response = client.get("/team/mijn-kennis/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "nog niet gekoppeld" in page
    assert colleague.last_name not in page
    assert client.get(f"/team/mensen/{colleague.pk}/kennis/").status_code == 404
    colleague.refresh_from_db()
    assert colleague.user_id is None


def test_even_a_verified_matching_address_does_not_link(client, world):
    colleague = _noord_person_without_account(world)
    user = _new_teamlid(world, email=colleague.email)
    _sign_in(client, user.email)
    response = client.get("/team/mijn-kennis/")
    assert response.status_code == 200
    assert "nog niet gekoppeld" in response.content.decode()
    assert client.get(f"/team/mensen/{colleague.pk}/kennis/").status_code == 404
    colleague.refresh_from_db()
    assert colleague.user_id is None


def test_beheerder_who_gives_a_person_their_own_address_gets_no_link(client_for, world):
    colleague = _noord_person_without_account(world)
    availability = Availability.objects.filter(person=colleague, school=world.noord).first()
    client = client_for("beheerder")
    session = client.session
    session["current_school_id"] = world.noord.pk
    session.save()
    form_page = client.get(f"/team/mensen/{colleague.pk}/bewerken/").content.decode()
    hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form_page))
    hidden.pop("csrfmiddlewaretoken", None)
    response = client.post(
        f"/team/mensen/{colleague.pk}/bewerken/",
        {
            **hidden,
            "first_name": colleague.first_name,
            "last_name": colleague.last_name,
            "email": world.users["beheerder"].email,
            "job_title": colleague.job_title,
            "hours_available": availability.hours_available,
            "active": "on",
            "pedagogically_qualified": "on" if colleague.pedagogically_qualified else "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:800]
    colleague.refresh_from_db()
    assert colleague.email == world.users["beheerder"].email
    assert colleague.user_id is None
    assert client.get("/team/mijn-kennis/").status_code == 200
    assert client.get(f"/team/mensen/{colleague.pk}/kennis/").status_code == 404


def test_directie_links_an_account_of_the_organisation_on_purpose(client_for, world):
    colleague = _noord_person_without_account(world)
    user = _new_teamlid(world, email="andere.naam@scholengroep-demo.be")
    client = client_for("directie_noord")
    page = client.get(f"/team/mensen/{colleague.pk}/account/").content.decode()
    assert "andere.naam@scholengroep-demo.be" in page
    # An account outside the organisation is not offered, nor accepted.
    outsider = world.users["beheerder_stichting"]
    assert outsider.email not in page
    response = client.post(f"/team/mensen/{colleague.pk}/account/", {"user": outsider.pk})
    assert response.status_code == 200
    colleague.refresh_from_db()
    assert colleague.user_id is None
    response = client.post(f"/team/mensen/{colleague.pk}/account/", {"user": user.pk})
    assert response.status_code == 302
    colleague.refresh_from_db()
    assert colleague.user == user
    event = AuditEvent.objects.get(kind="person.linked", target=user.email)
    assert event.organisation == world.organisation
    assert event.actor == world.users["directie_noord"]
    # The linked teacher now reaches their own ratings.
    teacher = client_for("anonymous")
    teacher.force_login(user)
    response = teacher.get("/team/mijn-kennis/")
    assert response.status_code == 302
    assert response["Location"] == f"/team/mensen/{colleague.pk}/kennis/"
    # And the link can be undone, audited.
    client = client_for("directie_noord")
    response = client.post(f"/team/mensen/{colleague.pk}/account/", {"unlink": "1"})
    assert response.status_code == 302
    colleague.refresh_from_db()
    assert colleague.user_id is None
    assert AuditEvent.objects.filter(kind="person.unlinked", target=user.email).exists()


@pytest.mark.parametrize("key", ["teamlid_noord", "lezer_noord", "beheerder", "directie_zuid"])
def test_others_cannot_link_an_account_to_a_person(client_for, world, key):
    colleague = _noord_person_without_account(world)
    user = world.users[key]
    response = client_for(key).post(f"/team/mensen/{colleague.pk}/account/", {"user": user.pk})
    assert response.status_code in (403, 404)
    colleague.refresh_from_db()
    assert colleague.user_id is None
    assert not Competence.objects.filter(person__user=user, person=colleague).exists()
