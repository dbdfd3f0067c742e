"""The home page shows the user's own open actions and the evaluation rounds they are asked in."""

from __future__ import annotations

import re

from teamwerk.actions.selectors import home_actions
from teamwerk.evaluation.selectors import home_rounds


def _card(html: str, marker: str) -> str:
    match = re.search(rf"<section[^>]*{marker}.*?</section>", html, re.S)
    assert match, f"no card {marker} on the home page"
    return match.group(0)


def test_a_team_member_sees_their_open_actions_and_the_round_they_are_asked_in(world, client_for):
    user = world.users["teamlid_noord"]
    actions = home_actions(user, world.noord)
    rounds = home_rounds(user, world.noord)
    assert actions["count"] > 0 and rounds, "the demo gives this team member actions and a round"

    html = client_for("teamlid_noord").get("/").content.decode()

    card = _card(html, "data-home-actions")
    for action in actions["items"]:
        assert f"/acties/{action.pk}/" in card
    evaluation = _card(html, "data-home-evaluation")
    for item in rounds:
        assert item["round"].title in evaluation


def test_someone_without_actions_or_rounds_gets_no_evaluation_card(world, client_for):
    assert home_actions(world.users["lezer_noord"], world.noord)["count"] == 0
    html = client_for("lezer_noord").get("/").content.decode()
    assert "geen open acties" in _card(html, "data-home-actions")
    assert "data-home-evaluation" not in html
