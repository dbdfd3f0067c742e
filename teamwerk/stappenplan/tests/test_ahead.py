"""The route follows the data: when a later step's work is done, the route says so and
offers to move on; an evidence box and its verdict agree and say why."""

from __future__ import annotations

import re

from django.urls import reverse

from teamwerk.stappenplan.models import Answer
from teamwerk.tenancy.models import School


def test_de_linde_is_told_the_data_is_ahead_and_can_move_on(client_for, world):
    linde = School.objects.get(name="Basisschool De Linde")
    client = client_for("directeur")
    html = client.get(reverse("stappenplan_school", args=[linde.pk])).content.decode()
    assert 'data-state="blocked"' in html  # step 2 answered "no"
    assert 'id="route-ahead"' in html
    ahead = html[html.find('id="route-ahead"') :]
    ahead = ahead[: ahead.find("</section>")]
    assert 'data-ahead-step="5"' in ahead  # the plan is fully decided
    assert "64 van de 64 taken zijn beslist" in ahead
    assert 'data-ahead-step="7"' in ahead and "29 van de 36 taken hebben een trekker" in ahead
    assert "data-move-on" in ahead

    form = re.search(r'<form method="post" action="([^"]+)" data-move-on>(.*?)</form>', ahead, re.S)
    fields = dict(re.findall(r'name="(\w+)" value="([^"]*)"', form.group(2)))
    assert fields["check_code"] == "S2.vision"
    response = client.post(form.group(1), {**fields, "value": "yes"})
    assert response.status_code == 302
    answer = Answer.objects.filter(school=linde).latest("answered_at")
    assert (answer.check_code, answer.value) == ("S2.vision", True)
    assert "latere stappen" in answer.note  # the reason is kept with the answer
    moved = client.get(reverse("stappenplan_school", args=[linde.pk])).content.decode()
    now = re.search(r'<h2 id="now-title"[^>]*>Stap (\d+)', moved)
    assert now and int(now.group(1)) > 2


def test_nothing_is_ahead_where_the_route_is_complete(client_for, world):
    html = client_for("directeur").get(reverse("stappenplan_school", args=[world.noord.pk]))
    assert 'id="route-ahead"' not in html.content.decode()


def test_step_6_evidence_names_the_recruit_and_outsource_tasks_behind_its_no(client_for, world):
    linde = School.objects.get(name="Basisschool De Linde")
    html = client_for("directeur").get(reverse("stappenplan_step", args=[linde.pk, 6]))
    html = html.content.decode()
    box = html[html.find('data-evidence="no_expertise_tasks"') :]
    box = box[: box.find("</div>\n</div>") if "</div>\n</div>" in box else 3000]
    assert "staan op aanwerven of uitbesteden" in box
    assert 'data-verdict="no"' in box
    assert "omdat" in box and "aangeworven of uitbesteed" in box
