"""Who gets what from each step-plan URL (objects of Campus Noord; see core/testing/access.py).

Everyone reads the route of their own school; directie, ICT-coördinator and beheerder answer
(teamlid and lezer get 403 on an answer); other schools and organisations get 404. The group
pages are for who sees the whole group (directie without a school, beheerder).
"""

from teamwerk.core.testing.access import NOORD_ROLES, Row, only, signed_in

READ_NOORD = dict.fromkeys(NOORD_ROLES, 200)
ANSWER_NOORD = {
    "beheerder": 302,
    "directeur": 302,
    "directie_noord": 302,
    "ict_noord": 302,
    "teamlid_noord": 403,
    "lezer_noord": 403,
}
GROUP_VIEW = {"beheerder": 200, "directeur": 200, "beheerder_stichting": 200}
# The walk posts the version of the Scholengroep's group answer. The Stichting's beheerder may
# answer for their own group, but that version is not theirs: refused as stale (422), which is
# still "allowed", not 403/404.
GROUP_ANSWER = {"beheerder": 302, "directeur": 302, "beheerder_stichting": 422}


def _noord(world):
    return {"school_id": world.noord.pk}


def _seen(check_code: str, *, school=None, organisation=None) -> int:
    """The version an answer form carries: the id of the answer the page shows (0 = none)."""
    from teamwerk.stappenplan import services

    journey = (
        services.journey_ensure(school=school)
        if school is not None
        else services.journey_ensure(organisation=organisation)
    )
    latest = services.current_answer(journey, check_code)
    return latest.pk if latest else 0


def _noord_answer(world):
    version = _seen("S5.tailored", school=world.noord)
    return {"check_code": "S5.tailored", "value": "yes", "note": "walk", "version": version}


def _group_answer(world):
    version = _seen("S4.pooling", organisation=world.organisation)
    return {"check_code": "S4.pooling", "value": "yes", "version": version}


URL_ACCESS = {
    # The current school of each user: outsiders see their own school's route.
    "stappenplan": Row(signed_in()),
    "stappenplan_school": Row(only(READ_NOORD), kwargs=_noord),
    "stappenplan_step": Row(only(READ_NOORD), kwargs=lambda w: {**_noord(w), "number": 5}),
    "stappenplan_pdf": Row(only(READ_NOORD), kwargs=_noord),
    "stappenplan_answer": Row(
        only(ANSWER_NOORD),
        kwargs=_noord,
        method="post",
        data=_noord_answer,
    ),
    "stappenplan_group": Row(only(GROUP_VIEW)),
    "stappenplan_group_answer": Row(
        only(GROUP_ANSWER),
        method="post",
        data=_group_answer,
    ),
}
