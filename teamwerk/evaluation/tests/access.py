"""Who gets what from each evaluation URL (rounds of Campus Noord from the demo).

Directie, ICT coordinator and the organisation-wide roles run Campus Noord's rounds; the
teamlid (Tom Peeters, asked in the open round) answers and sees results once a round has
closed; the lezer sees results; Campus Zuid and the other organisation get 404. The personal
answer link is the key itself: whoever holds it (signed in or not) opens it.
"""

from teamwerk.core.testing.access import NOORD_ROLES, Row, only, signed_in, statuses

MANAGE = ("beheerder", "directeur", "directie_noord", "ict_noord")
READ_NOORD = dict.fromkeys(NOORD_ROLES, 200)
OPEN_RESULTS = {**dict.fromkeys(MANAGE, 200), "lezer_noord": 200, "teamlid_noord": 403}
MANAGE_POST = {**dict.fromkeys(MANAGE, 302), "teamlid_noord": 403, "lezer_noord": 403}
# Asked in the open round: Tom (teamlid), Nadia (directie) and Ilse (ICT); the others of
# Campus Noord may see the round but were not asked.
ASKED = {
    **dict.fromkeys(NOORD_ROLES, 403),
    "teamlid_noord": 302,
    "directie_noord": 302,
    "ict_noord": 302,
}


def _round(world, title):
    from teamwerk.evaluation.models import Round

    return Round.objects.get(school=world.noord, title=title)


def _open(world):
    return {"pk": _round(world, "Tussentijdse evaluatie").pk}


def _closed(world):
    return {"pk": _round(world, "Evaluatie ICT-team, einde schooljaar").pk}


def _tom_link(world):
    """A fresh personal link of Tom in the open round (made here, as the home page would)."""
    from teamwerk.evaluation.models import Participation
    from teamwerk.evaluation.services import new_token, token_hash

    participation = Participation.objects.get(
        round=_round(world, "Tussentijdse evaluatie"),
        person__email="teamlid.noord@scholengroep-demo.be",
    )
    token = new_token()
    participation.token_hash = token_hash(token)
    participation.save(update_fields=["token_hash"])
    return {"token": token}


URL_ACCESS = {
    "evaluation_index": Row(signed_in()),
    # A new round and the school's questions: who edits the ICT work of their current school.
    "evaluation_round_create": Row(signed_in(teamlid_noord=403, lezer_noord=403)),
    "evaluation_questions": Row(signed_in(teamlid_noord=403, lezer_noord=403)),
    "evaluation_round": Row(only(READ_NOORD), kwargs=_closed),
    # An open round's results: who runs it and the lezer; the teamlid waits for the close.
    "evaluation_results": Row(only(OPEN_RESULTS), kwargs=_open),
    "evaluation_round_status": Row(only(MANAGE_POST), kwargs=_open, method="post"),
    "evaluation_answer_start": Row(only(ASKED), kwargs=_open, method="post"),
    "evaluation_make_action": Row(
        only(MANAGE_POST),
        kwargs=_closed,
        method="post",
        data=lambda w: {"title": "Back-up per taak oefenen"},
    ),
    "evaluation_answer": Row(statuses(200), kwargs=_tom_link),
}
