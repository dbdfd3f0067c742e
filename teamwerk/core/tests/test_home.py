"""Home = "waar sta ik en wat nu": the school's step and open check, my tasks and hours,
what needs me, and for group roles every school side by side, sorted and filtered on the
server in a fixed number of queries."""

from __future__ import annotations

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from teamwerk.core.testing.schools import add_schools_with_plans
from teamwerk.tenancy.models import School


def _rows(html: str) -> list[str]:
    table = html[html.find('id="schools-table"') :]
    return re.findall(r'<tr data-school="\d+"[^>]*>\s*<th scope="row"><a [^>]*>([^<]+)</a>', table)


def test_the_ict_coordinator_sees_step_open_check_tasks_and_what_needs_them(client_for, world):
    html = client_for("ict_noord").get(reverse("home")).content.decode()
    assert 'data-home="route"' in html and 'data-route-step="8"' in html
    assert 'data-home="mine"' in html and 'data-figure="person_hours_divided"' in html
    assert 'data-home="needs"' in html
    assert 'id="home-cards"' in html  # the place where the cards of other modules go
    assert 'id="home-schools"' not in html  # one school: no side-by-side table


def test_the_half_done_school_lists_what_needs_the_director(client_for, world):
    client = client_for("directie_zuid")
    html = client.get(reverse("home")).content.decode()
    assert 'data-need="no_owner"' in html
    assert 'data-need="over_hours"' in html
    assert reverse("team_dashboard_list", args=["zonder-trekker"]) in html
    # A teamlid is not asked to fix the distribution.
    teamlid = client_for("teamlid_noord").get(reverse("home")).content.decode()
    assert 'data-need="no_owner"' not in teamlid and 'data-need="over_hours"' not in teamlid


def test_a_person_who_has_not_rated_themselves_is_asked_to(client_for, world):
    from teamwerk.team.models import Competence
    from teamwerk.team.selectors import my_person

    person = my_person(world.users["teamlid_noord"], world.organisation)
    Competence.objects.filter(person=person, set_by_self=True).delete()
    html = client_for("teamlid_noord").get(reverse("home")).content.decode()
    assert 'data-need="rate_yourself"' in html
    assert reverse("team_my_competences") in html


def test_the_group_director_sorts_and_filters_every_school(client_for, world):
    client = client_for("directeur")
    html = client.get(reverse("home")).content.decode()
    assert _rows(html) == ["Basisschool De Linde", "Campus Noord", "Campus Zuid"]
    by_step = client.get(reverse("home"), {"sort": "-stap"}).content.decode()
    assert _rows(by_step) == ["Campus Noord", "Campus Zuid", "Basisschool De Linde"]  # 8, 7, 2
    assert _rows(client.get(reverse("home"), {"q": "campus"}).content.decode()) == [
        "Campus Noord",
        "Campus Zuid",
    ]
    assert _rows(client.get(reverse("home"), {"stap": "2"}).content.decode()) == [
        "Basisschool De Linde"
    ]
    attention = client.get(reverse("home"), {"aandacht": "1"}).content.decode()
    assert "Campus Noord" not in _rows(attention) and "Campus Zuid" in _rows(attention)
    # Nonsense parameters fall back to the defaults instead of failing.
    odd = client.get(reverse("home"), {"sort": "drop table", "stap": "99"})
    assert odd.status_code == 200 and len(_rows(odd.content.decode())) == 3


def _add_schools(world, count: int, start: int = 0) -> None:
    add_schools_with_plans(world, count, start)


def _home_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home"), {"sort": "-uren"}).status_code == 200
    return len(queries)


def test_the_schools_table_does_not_grow_in_queries_with_the_number_of_schools(client_for, world):
    client = client_for("directeur")
    _add_schools(world, 2)  # 5 schools
    five = _home_queries(client)
    assert len(_rows(client.get(reverse("home")).content.decode())) == 5
    _add_schools(world, 45, start=2)  # 50 schools, each with a plan of the whole catalogue
    assert School.objects.filter(organisation=world.organisation).count() == 50
    fifty = _home_queries(client)
    assert len(_rows(client.get(reverse("home")).content.decode())) == 50
    assert fifty == five, (five, fifty)
