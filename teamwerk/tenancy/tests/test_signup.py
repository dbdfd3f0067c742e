"""A school (group) signs up on its own: verified, throttled, and the page never says whether
an address already has an account."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.cache import cache

from teamwerk.accounts.models import User
from teamwerk.tenancy.models import Membership, Organisation, OrganisationSignup

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def _signup(client, email: str, **extra):
    data = {
        "organisation_name": "Scholengroep Nieuw",
        "kind": "scholengroep",
        "region": "NL",
        "first_name": "Nora",
        "last_name": "Nieuwkomer",
        "email": email,
        "password1": "een-lang-wachtwoord-42",
        "password2": "een-lang-wachtwoord-42",
        **extra,
    }
    return client.post("/accounts/signup/", data)


def _without_tokens(page: str) -> str:
    return re.sub(r'(csrfmiddlewaretoken" value=|X-CSRFToken": )"[^"]+"', "", page)


def _link(message) -> str:
    return re.search(r"https?://[^\s]+/accounts/confirm-email/[^\s]+/", message.body).group(0)


def test_the_sign_up_page_asks_for_the_organisation_and_region(client):
    page = client.get("/accounts/signup/").content.decode()
    for name in ("organisation_name", "kind", "region", "email", "password1"):
        assert f'name="{name}"' in page
    assert "Nederland" in page and "Vlaanderen" in page


def test_nothing_exists_until_the_address_is_verified(client):
    response = _signup(client, "nora@nieuw.example")
    assert response.status_code == 302
    user = User.objects.get(email="nora@nieuw.example")
    assert not Organisation.objects.filter(name="Scholengroep Nieuw").exists()
    assert not Membership.objects.filter(user=user).exists()
    # Signing in before the address is verified does not get in.
    client.post(
        "/accounts/login/",
        {"login": "nora@nieuw.example", "password": "een-lang-wachtwoord-42"},
    )
    assert client.get("/").status_code == 302


def test_verifying_the_address_makes_the_organisation_with_its_region(client):
    _signup(client, "nora@nieuw.example")
    (message,) = mail.outbox
    response = client.post(_link(message))
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="Scholengroep Nieuw")
    assert organisation.region == "NL"
    assert organisation.hours_per_fte == 1659
    assert organisation.terms["school_number"] == "BRIN-nummer"
    user = User.objects.get(email="nora@nieuw.example")
    assert user.first_name == "Nora"
    membership = Membership.objects.get(user=user)
    assert (membership.organisation, membership.school, membership.role) == (
        organisation,
        None,
        "beheerder",
    )
    # Signed in, and as beheerder asked to set up a second factor before anything else.
    response = client.get("/")
    assert response.status_code == 302
    assert "/accounts/2fa/totp/activate" in response["Location"]
    # Opening the link again makes no second organisation.
    client.post(_link(message))
    assert Organisation.objects.filter(name="Scholengroep Nieuw").count() == 1


def test_a_single_school_gets_its_school_right_away(client):
    _signup(client, "solo@school.example", kind="school", region="BE-VL", organisation_name="De Es")
    client.post(_link(mail.outbox[0]))
    organisation = Organisation.objects.get(name="De Es")
    assert organisation.hours_per_fte == 1600
    assert [s.name for s in organisation.schools.all()] == ["De Es"]


def test_an_existing_address_gets_the_same_answer_and_no_organisation(world):
    from django.test import Client

    existing = world.users["ict_noord"].email
    answers = []
    for email in ("nog.niet@bestaat.example", existing):
        client = Client()
        response = _signup(client, email)
        page = client.get(response["Location"]).content.decode().replace(email, "ADRES")
        answers.append((response.status_code, response["Location"], _without_tokens(page)))
    assert answers[0] == answers[1]
    # The owner of the address hears about it by mail; nothing is made for them.
    assert [m.to for m in mail.outbox] == [["nog.niet@bestaat.example"], [existing]]
    assert not OrganisationSignup.objects.filter(user=world.users["ict_noord"]).exists()
    assert Organisation.objects.filter(name="Scholengroep Nieuw").count() == 0


def test_sign_up_is_throttled_per_address(client):
    statuses = [
        _signup(client, f"bot{n}@spam.example", organisation_name=f"Spam {n}").status_code
        for n in range(7)
    ]
    assert statuses[:5] == [302] * 5
    assert statuses[5:] == [429, 429]
    assert User.objects.filter(email__startswith="bot").count() == 5


def test_a_filled_in_honeypot_makes_nothing(client):
    response = _signup(client, "robot@spam.example", website="http://spam.example")
    assert response.status_code == 302
    assert not User.objects.filter(email="robot@spam.example").exists()


def test_sign_up_can_be_closed_by_the_operator(client, settings):
    settings.OPEN_SIGNUP = False
    _signup(client, "nora@nieuw.example")
    assert not User.objects.filter(email="nora@nieuw.example").exists()
