"""The action lists as people use them: filters, who may change what, the home card."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from teamwerk.actions.models import Action, ActionSource, ActionStatus
from teamwerk.actions.selectors import home_actions
from teamwerk.actions.services import action_create
from teamwerk.team.models import Person

pytestmark = pytest.mark.django_db


def _person(email):
    return Person.objects.get(email=email)


def _titles(response) -> list[str]:
    return [a.title for a in response.context["items"]]


def _noord(client_for, key="ict_noord"):
    """A client of ``key`` with Campus Noord as current school."""
    client = client_for(key)
    return client


def test_school_list_shows_open_actions_overdue_first(world, client_for):
    response = _noord(client_for).get(reverse("actions_list"))
    items = response.context["items"]
    assert items and all(a.school_id == world.noord.pk and a.done_on is None for a in items)
    today = timezone.localdate()
    overdue = [a.due is not None and a.due < today for a in items]
    assert any(overdue)
    # Every overdue action comes before every other one.
    assert overdue == sorted(overdue, reverse=True)


def test_filters_by_source_owner_phase_and_overdue(world, client_for):
    client = _noord(client_for)
    tom = _person("teamlid.noord@scholengroep-demo.be")
    today = timezone.localdate()
    everything = list(Action.objects.filter(school=world.noord))

    by_source = client.get(reverse("actions_list"), {"bron": ActionSource.EVALUATION})
    expected = {
        a.title for a in everything if a.source == ActionSource.EVALUATION and a.done_on is None
    }
    assert set(_titles(by_source)) == expected and expected

    by_owner = client.get(reverse("actions_list"), {"trekker": tom.pk})
    expected = {a.title for a in everything if a.owner_id == tom.pk and a.done_on is None}
    assert set(_titles(by_owner)) == expected and len(expected) >= 2

    by_phase = client.get(reverse("actions_list"), {"fase": ActionStatus.CHECK})
    expected = {a.title for a in everything if a.status == "check" and a.done_on is None}
    assert set(_titles(by_phase)) == expected and expected

    late = client.get(reverse("actions_list"), {"te_laat": "1"})
    expected = {a.title for a in everything if a.done_on is None and a.due and a.due < today}
    assert set(_titles(late)) == expected and expected

    done = client.get(reverse("actions_list"), {"toon": "done"})
    expected = {a.title for a in everything if a.done_on is not None}
    assert set(_titles(done)) == expected and expected

    # Unknown values filter nothing away (no error either).
    odd = client.get(reverse("actions_list"), {"bron": "x", "fase": "y", "trekker": "z"})
    assert odd.status_code == 200
    assert len(_titles(odd)) == len([a for a in everything if a.done_on is None])


def test_teamlid_reads_the_list_but_cannot_create(world, client_for):
    client = client_for("teamlid_noord")
    response = client.get(reverse("actions_list"))
    assert response.status_code == 200 and response.context["items"]
    assert not response.context["may_create"]
    assert client.get(reverse("actions_create")).status_code == 403
    assert client.post(reverse("actions_create"), {"title": "x"}).status_code == 403


def test_owner_moves_own_action_but_not_someone_elses(world, client_for):
    tom = world.users["teamlid_noord"]
    own = Action.objects.filter(school=world.noord, owner__user=tom, done_on__isnull=True).first()
    other = Action.objects.filter(school=world.noord, done_on__isnull=True).exclude(
        owner__user=tom
    )[0]
    client = client_for("teamlid_noord")
    response = client.post(
        reverse("actions_progress", args=[own.pk]),
        {"status": "check", "notes": "Getest", "version": own.version},
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert (own.status, own.notes) == ("check", "Getest")
    assert own.history.first().history_user == tom

    response = client.post(
        reverse("actions_progress", args=[other.pk]), {"status": "act", "version": other.version}
    )
    assert response.status_code == 403
    assert client.post(reverse("actions_done", args=[other.pk])).status_code == 403
    assert client.get(reverse("actions_edit", args=[own.pk])).status_code == 403
    other.refresh_from_db()
    assert other.status != "act" and other.done_on is None


def test_lezer_and_other_school(world, client_for):
    action = Action.objects.filter(school=world.noord).first()
    lezer = client_for("lezer_noord")
    assert lezer.get(reverse("actions_detail", args=[action.pk])).status_code == 200
    assert lezer.post(reverse("actions_done", args=[action.pk])).status_code == 403
    zuid = client_for("directie_zuid")
    assert zuid.get(reverse("actions_detail", args=[action.pk])).status_code == 404
    listed = zuid.get(reverse("actions_list"))
    assert all(a.school_id == world.zuid.pk for a in listed.context["items"])


def test_create_mark_done_and_reopen(world, client_for):
    client = _noord(client_for)
    tom = _person("teamlid.noord@scholengroep-demo.be")
    due = timezone.localdate() + dt.timedelta(days=10)
    response = client.post(
        reverse("actions_create"),
        {
            "title": "Nieuwe laptops uitrollen",
            "owner": tom.pk,
            "due": due.isoformat(),
            "status": "plan",
            "source": "task",
        },
    )
    action = Action.objects.get(title="Nieuwe laptops uitrollen")
    assert response.status_code == 302 and action.school == world.noord and action.owner == tom
    client.post(reverse("actions_done", args=[action.pk]), {"done": "1"})
    action.refresh_from_db()
    assert action.done_on == timezone.localdate()
    client.post(reverse("actions_done", args=[action.pk]), {"done": "0"})
    action.refresh_from_db()
    assert action.done_on is None


def test_owner_from_another_school_is_not_offered(world, client_for):
    zuid_only = Person.objects.get(organisation=world.organisation, first_name="Hanne")
    response = _noord(client_for).post(
        reverse("actions_create"),
        {"title": "X", "owner": zuid_only.pk, "status": "plan", "source": "other"},
    )
    assert response.status_code == 200
    assert "owner" in response.context["form"].errors
    assert not Action.objects.filter(title="X").exists()


def test_stale_edit_keeps_input_and_shows_the_difference(world, client_for):
    action = Action.objects.filter(school=world.noord).first()
    client = _noord(client_for)
    data = {
        "title": "Mijn titel",
        "status": action.status,
        "source": action.source,
        "version": action.version,
    }
    Action.objects.filter(pk=action.pk).update(version=action.version + 1, title="Hun titel")
    response = client.post(reverse("actions_edit", args=[action.pk]), data)
    assert response.status_code == 409
    assert "Hun titel" in response.content.decode() and "Mijn titel" in response.content.decode()
    assert Action.objects.get(pk=action.pk).title == "Hun titel"


def test_group_actions_read_by_all_changed_by_organisation_wide_roles(world, client_for):
    group = Action.objects.filter(organisation=world.organisation, school__isnull=True).first()
    assert client_for("teamlid_noord").get(reverse("actions_group")).context["items"]
    assert client_for("ict_noord").get(reverse("actions_edit", args=[group.pk])).status_code == 403
    assert client_for("directeur").get(reverse("actions_edit", args=[group.pk])).status_code == 200
    stranger = client_for("beheerder_stichting")
    assert stranger.get(reverse("actions_detail", args=[group.pk])).status_code == 404
    assert not stranger.get(reverse("actions_group")).context["items"]


def test_my_actions_and_home_card(world, client_for):
    tom = world.users["teamlid_noord"]
    response = client_for("teamlid_noord").get(reverse("actions_mine"))
    items = response.context["items"]
    assert items and all(a.owner.user_id == tom.pk for a in items)
    card = home_actions(tom, world.noord)
    today = timezone.localdate()
    assert card["items"][0].due < today  # overdue first
    assert card["overdue"] >= 1 and card["count"] == len(items)


def test_list_queries_do_not_grow_with_rows(world, client_for):
    ict = world.users["ict_noord"]
    owner = _person("teamlid.noord@scholengroep-demo.be")
    client = _noord(client_for)
    counts = []
    for extra in (5, 45):
        for n in range(extra):
            action_create(
                user=ict,
                organisation=world.organisation,
                school=world.noord,
                title=f"Extra {extra}-{n}",
                source="other",
                owner=owner,
            )
        client.get(reverse("actions_list"))  # warm the session
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("actions_list"))
        assert len(response.context["items"]) >= extra
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_every_demo_action_page_opens(world, client_for):
    client = client_for("directeur")
    actions = list(Action.objects.filter(organisation=world.organisation))
    assert len(actions) >= 15
    assert {a.status for a in actions} == {"plan", "do", "check", "act"}
    today = timezone.localdate()
    assert sum(1 for a in actions if a.done_on is None and a.due and a.due < today) >= 3
    for action in actions:
        for name in ("actions_detail", "actions_edit"):
            response = client.get(reverse(name, args=[action.pk]))
            assert response.status_code == 200, (name, action.pk)
            assert escape(action.title) in response.content.decode()


def test_pages_in_english(world, client_for):
    client = client_for("teamlid_noord")
    client.post(reverse("set_language"), {"language": "en"})
    html = client.get(reverse("actions_mine")).content.decode()
    assert "My actions" in html and "Reminders by e-mail" in html


def test_home_card_renders_my_overdue_actions_first(world, rf):
    from django.template.loader import render_to_string

    tom = world.users["teamlid_noord"]
    card = home_actions(tom, world.noord)
    html = render_to_string("actions/_home_card.html", {"actions": card})
    first = card["items"][0]
    assert escape(first.title) in html and "te laat" in html
    assert html.index(escape(first.title)) < html.index(escape(card["items"][-1].title)) or (
        len(card["items"]) == 1
    )
    nobody = home_actions(world.users["lezer_noord"], world.noord)
    assert "geen open acties" in render_to_string("actions/_home_card.html", {"actions": nobody})
