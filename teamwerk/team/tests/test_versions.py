"""Lost updates: two people edit the same form; the second save, made on the old version, is
refused with a clear message, keeps that user's input, and overwrites nothing."""

from __future__ import annotations

from decimal import Decimal

from django.test import Client
from django.urls import reverse

from teamwerk.team.models import Agreement, Availability, Competence, Person
from teamwerk.tenancy.selectors import current_school_year

STALE = "Iemand anders heeft dit intussen gewijzigd"


def _sofie(world) -> Person:
    return Person.objects.get(organisation=world.organisation, first_name="Sofie", last_name="Maes")


def _two(world, first: str, second: str) -> tuple[Client, Client]:
    one, two = Client(), Client()
    one.force_login(world.users[first])
    two.force_login(world.users[second])
    return one, two


def _person_post(person: Person, version: int, **overrides) -> dict:
    data = {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": person.email,
        "job_title": person.job_title,
        "profile": person.profile_id or "",
        "hours_available": "40",
        "pedagogically_qualified": "on" if person.pedagogically_qualified else "",
        "active": "on",
        "version": version,
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value != ""}


def test_a_stale_person_form_is_refused_and_keeps_the_input(world):
    sofie = _sofie(world)
    url = reverse("team_person_edit", args=[sofie.pk])
    ict, directie = _two(world, "ict_noord", "directie_noord")
    # Both open the form on the same version.
    assert ict.get(url).status_code == 200
    assert directie.get(url).status_code == 200
    version = sofie.version
    first = ict.post(url, _person_post(sofie, version, job_title="Leerkracht 3de graad"))
    assert first.status_code == 302
    second = directie.post(
        url, _person_post(sofie, version, job_title="Zorgcoördinator", hours_available="12")
    )
    page = second.content.decode()
    assert second.status_code == 409
    assert STALE in page
    # What is stored now, next to what this user typed; the input stays in the form.
    assert "Leerkracht 3de graad" in page and "Zorgcoördinator" in page
    assert 'value="Zorgcoördinator"' in page
    sofie.refresh_from_db()
    assert sofie.job_title == "Leerkracht 3de graad"
    assert sofie.version == version + 1
    # Saving again, now knowingly over the newer version, goes through.
    again = directie.post(
        url, _person_post(sofie, sofie.version, job_title="Zorgcoördinator", hours_available="12")
    )
    assert again.status_code == 302
    sofie.refresh_from_db()
    assert sofie.job_title == "Zorgcoördinator"
    year = current_school_year(world.organisation)
    hours = Availability.objects.get(person=sofie, school=world.noord, school_year=year)
    assert hours.hours_available == Decimal("12")


def test_a_person_form_without_a_version_overwrites_nothing(world, client_for):
    sofie = _sofie(world)
    before = sofie.job_title
    data = _person_post(sofie, 0, job_title="Zonder versie")
    data.pop("version")
    response = client_for("ict_noord").post(reverse("team_person_edit", args=[sofie.pk]), data)
    assert response.status_code == 409
    sofie.refresh_from_db()
    assert sofie.job_title == before


def _ratings_post(page_form_fields: dict, **choices) -> dict:
    data = dict(page_form_fields)
    data.update(choices)
    return data


def test_a_stale_ratings_form_is_refused_and_keeps_the_input(world):
    from teamwerk.catalogue.models import Domain

    sofie = _sofie(world)
    domain = Domain.objects.order_by("order").first()
    url = reverse("team_competences", args=[sofie.pk])
    ict, directie = _two(world, "ict_noord", "directie_noord")
    assert ict.get(url).status_code == 200
    version = sofie.ratings_version
    first = ict.post(
        url,
        {f"d{domain.pk}_expertise": "3", f"d{domain.pk}_motivation": "3", "version": version},
    )
    assert first.status_code == 302
    second = directie.post(
        url,
        {
            f"d{domain.pk}_expertise": "0",
            f"d{domain.pk}_motivation": "1",
            f"d{domain.pk}_wish": "Meer leren over netwerken",
            "version": version,
        },
    )
    page = second.content.decode()
    assert second.status_code == 409
    assert STALE in page
    assert "Meer leren over netwerken" in page  # the user's input is still there
    assert "Nu bewaard:" in page  # and next to it, what counts now
    stored = Competence.objects.get(person=sofie, domain=domain, task__isnull=True)
    assert (stored.expertise, stored.motivation) == (3, 3)
    assert stored.development_wish != "Meer leren over netwerken"


def test_a_ratings_form_without_a_version_changes_nothing(world, client_for):
    from teamwerk.catalogue.models import Domain

    sofie = _sofie(world)
    domain = Domain.objects.order_by("order").first()
    before = list(Competence.objects.filter(person=sofie).values_list("expertise", "motivation"))
    response = client_for("ict_noord").post(
        reverse("team_competences", args=[sofie.pk]),
        {f"d{domain.pk}_expertise": "0", f"d{domain.pk}_motivation": "0"},
    )
    assert response.status_code == 409
    after = list(Competence.objects.filter(person=sofie).values_list("expertise", "motivation"))
    assert after == before


def _agreement_post(agreement: Agreement, **overrides) -> dict:
    data = {
        "kind": agreement.kind,
        "text": agreement.text,
        "agreed_on": agreement.agreed_on.isoformat(),
        "version": agreement.version,
    }
    data.update(overrides)
    return data


def test_an_agreement_without_or_with_an_old_version_overwrites_nothing(world):
    agreement = Agreement.objects.filter(school=world.noord).order_by("pk").first()
    url = reverse("team_agreement_edit", args=[agreement.pk])
    ict, directie = _two(world, "ict_noord", "directie_noord")
    assert ict.post(url, _agreement_post(agreement, text="Elke maand een demo")).status_code == 302
    stale = directie.post(url, _agreement_post(agreement, text="Elk kwartaal een demo"))
    assert stale.status_code == 409
    assert STALE in stale.content.decode()
    assert "Elk kwartaal een demo" in stale.content.decode()
    without = _agreement_post(agreement, text="Zonder versie")
    without.pop("version")
    assert directie.post(url, without).status_code == 409
    agreement.refresh_from_db()
    assert agreement.text == "Elke maand een demo"
    # Deleting what someone else changed meanwhile is refused too.
    delete = reverse("team_agreement_delete", args=[agreement.pk])
    response = directie.post(delete, {"version": agreement.version - 1})
    assert response.status_code == 302
    assert Agreement.objects.filter(pk=agreement.pk).exists()
    assert directie.post(delete, {"version": agreement.version}).status_code == 302
    assert not Agreement.objects.filter(pk=agreement.pk).exists()
