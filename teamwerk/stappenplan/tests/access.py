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
GROUP_ANSWER = {"beheerder": 302, "directeur": 302, "beheerder_stichting": 302}


def _noord(world):
    return {"school_id": world.noord.pk}


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
        data=lambda w: {"check_code": "S5.tailored", "value": "yes", "note": "walk"},
    ),
    "stappenplan_group": Row(only(GROUP_VIEW)),
    "stappenplan_group_answer": Row(
        only(GROUP_ANSWER),
        method="post",
        data=lambda w: {"check_code": "S4.pooling", "value": "yes"},
    ),
}
