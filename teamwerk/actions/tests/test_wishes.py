"""The professionalisation overview: who wants to learn what, never how they rated
themselves; read only by who reads the ratings of the school's people."""

from __future__ import annotations

import pytest
from django.urls import reverse

from teamwerk.accounts.models import AuditEvent
from teamwerk.actions.models import Action
from teamwerk.team.models import Availability, Competence, Level, Motivation
from teamwerk.tenancy.selectors import current_school_year

pytestmark = pytest.mark.django_db

RATING_WORDS = [str(label) for _, label in (*Level.choices, *Motivation.choices)]


def _noord_wishes(world):
    year = current_school_year(world.organisation)
    people = Availability.objects.filter(school=world.noord, school_year=year).values("person_id")
    return Competence.objects.filter(person_id__in=people).exclude(development_wish="")


def test_overview_shows_wishes_and_names_without_ratings(world, client_for):
    wishes = list(_noord_wishes(world).select_related("person"))
    assert wishes, "the demo has development wishes at Campus Noord"
    response = client_for("ict_noord").get(reverse("actions_professionalisation"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    for wish in wishes:
        assert wish.person.last_name in html
    for word in RATING_WORDS:
        assert word not in html, word
    # Counted people per topic match the wishes.
    topics = response.context["topics"]
    assert sum(len(t.wishes) for t in topics) == len(wishes)


def test_wishes_of_another_school_stay_out(world, client_for):
    year = current_school_year(world.organisation)
    zuid_only = (
        Competence.objects.exclude(development_wish="")
        .filter(person__availabilities__school=world.zuid, person__availabilities__school_year=year)
        .exclude(person__availabilities__school=world.noord)
        .select_related("person")
        .first()
    )
    response = client_for("ict_noord").get(reverse("actions_professionalisation"))
    names = {w.person_name for t in response.context["topics"] for w in t.wishes}
    assert zuid_only is not None, "the demo has a wish of someone of Campus Zuid only"
    assert names and zuid_only.person.full_name not in names
    # Campus Zuid's directie sees that wish in their own school's overview.
    zuid = client_for("directie_zuid").get(reverse("actions_professionalisation"))
    assert zuid_only.person.full_name in {
        w.person_name for t in zuid.context["topics"] for w in t.wishes
    }


@pytest.mark.parametrize("key", ["teamlid_noord", "lezer_noord", "beheerder"])
def test_who_does_not_read_ratings_is_refused(world, client_for, key):
    response = client_for(key).get(reverse("actions_professionalisation"))
    assert response.status_code == 403


def test_reading_the_overview_is_audited(world, client_for):
    before = AuditEvent.objects.filter(kind="ratings.viewed").count()
    client_for("directie_noord").get(reverse("actions_professionalisation"))
    assert AuditEvent.objects.filter(kind="ratings.viewed").count() > before


def test_an_entry_becomes_a_professionalisation_action(world, client_for):
    client = client_for("ict_noord")
    topic = client.get(reverse("actions_professionalisation")).context["topics"][0]
    form_page = client.get(
        reverse("actions_create"),
        {
            "bron": "professionalisation",
            "titel": f"Bijleren: {topic.title}",
            "ref": f"wish:{topic.key}",
        },
    )
    initial = form_page.context["form"].initial
    assert initial["source"] == "professionalisation"
    data = {
        "title": initial["title"],
        "status": "plan",
        "source": "professionalisation",
        "source_ref": initial["source_ref"],
    }
    assert client.post(reverse("actions_create"), data).status_code == 302
    action = Action.objects.get(source_ref=f"wish:{topic.key}", school=world.noord)
    assert action.source == "professionalisation"
    again = client.get(reverse("actions_professionalisation")).context["topics"]
    assert next(t for t in again if t.key == topic.key).action_count == 1
