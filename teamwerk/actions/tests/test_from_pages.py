"""An action from where the work is: a route step, an agreement or a task page offers
"Maak een actie" to who may add actions; the new action names its source and links back."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from teamwerk.actions.models import Action
from teamwerk.planning.models import PlannedTask
from teamwerk.team.models import Agreement, Person

pytestmark = pytest.mark.django_db


def _make_action_url(page: str) -> str | None:
    found = re.search(r'<a class="[^"]*" href="([^"]+)" data-make-action>', page)
    return unescape(found.group(1)) if found else None


def _create_from(client, page_url: str, title: str) -> Action:
    page = client.get(page_url, follow=True).content.decode()
    url = _make_action_url(page)
    assert url, f"no 'Maak een actie' on {page_url}"
    form = client.get(url).context["form"]
    data = {
        "title": title,
        "owner": form.initial.get("owner")
        or Person.objects.get(email="ict.noord@scholengroep-demo.be").pk,
        "due": (timezone.localdate() + dt.timedelta(days=14)).isoformat(),
        "status": "plan",
        "source": form.initial["source"],
        "source_label": form.initial.get("source_label", ""),
        "source_ref": form.initial.get("source_ref", ""),
        "source_url": form.initial.get("source_url", ""),
    }
    assert client.post(url, data).status_code == 302
    return Action.objects.get(title=title)


def test_an_action_from_a_route_step_links_back_to_the_step(world, client_for):
    step = reverse("stappenplan_step", kwargs={"school_id": world.noord.pk, "number": 7})
    action = _create_from(client_for("ict_noord"), step, "Afspraken opnieuw bespreken")
    assert (action.source, action.school) == ("route_step", world.noord)
    assert action.source_label.startswith("Stap 7: ")
    assert action.source_url == step


def test_an_action_from_an_agreement_takes_its_responsible_as_owner(world, client_for):
    agreement = Agreement.objects.filter(school=world.noord, responsible__isnull=False).first()
    page = reverse("team_agreement_edit", kwargs={"pk": agreement.pk})
    action = _create_from(client_for("ict_noord"), page, "Afspraak herbekijken met het team")
    assert (action.source, action.owner_id) == ("agreement_review", agreement.responsible_id)
    assert action.source_url == page


def test_an_action_from_a_task_links_back_to_the_task(world, client_for):
    task = PlannedTask.objects.filter(school=world.noord).first()
    page = reverse("team_task", kwargs={"pk": task.pk})
    action = _create_from(client_for("ict_noord"), page, "Handleiding schrijven")
    assert (action.source, action.source_url) == ("task", page)


def test_readers_and_other_schools_get_no_link_and_no_borrowed_source(world, client_for):
    step = reverse("stappenplan_step", kwargs={"school_id": world.noord.pk, "number": 7})
    for reader in ("teamlid_noord", "lezer_noord"):
        page = client_for(reader).get(step, follow=True).content.decode()
        assert _make_action_url(page) is None, reader
    # A made-up reference to another school's step gives no link back.
    zuid_step = f"{world.zuid.pk}:7"
    form = client_for("ict_noord").get(
        reverse("actions_create") + f"?bron=route_step&ref={zuid_step}"
    )
    assert form.context["form"].initial.get("source_url") in (None, "")
