"""Who gets what from each conversations URL (objects of Campus Noord; see
core/testing/access.py).

The guide is for every member. Who holds which key figure is set by who hands out roles
(directie, beheerder), each in their own scope. A conversation of Campus Noord is seen by every
role of Campus Noord; its record (the privacy conversation of Nadia, Lien and Ilse) is written
by its participants and the directie who edit the school's ICT work: not the beheerder as
such, not the teamlid or the lezer (403). Its agreements are part of the record: 404 for who
does not read it. Other schools and organisations get 404.
"""

from teamwerk.core.testing.access import NOORD_ROLES, Row, only, signed_in

READ_NOORD = dict.fromkeys(NOORD_ROLES, 200)
WRITE_RECORD = {
    "directeur": 200,
    "directie_noord": 200,
    "ict_noord": 200,
    "beheerder": 403,
    "teamlid_noord": 403,
    "lezer_noord": 403,
}
POST_RECORD = {**{k: (302 if v == 200 else v) for k, v in WRITE_RECORD.items()}}
AGREEMENT_ACTION = {"directeur": 302, "directie_noord": 302, "ict_noord": 302}
MANAGERS = ("beheerder", "directeur", "directie_noord", "directie_zuid", "beheerder_stichting")
PREPARE = {
    **dict.fromkeys(("beheerder", "directeur", "directie_noord", "ict_noord"), 200),
    **dict.fromkeys(("directie_zuid", "beheerder_stichting"), 200),
}


def _privacy(world):
    from teamwerk.conversations.models import Conversation

    return Conversation.objects.get(school=world.noord, subject__startswith="Privacy")


def _privacy_pk(world):
    return {"pk": _privacy(world).pk}


def _agreement_pk(world):
    return {"pk": _privacy(world).agreements.order_by("pk").first().pk}


def _lotte_hr(world):
    from teamwerk.conversations.models import KeyFigureRole

    role = KeyFigureRole.objects.get(user=world.users["lezer_noord"], figure="hr")
    return {"pk": role.pk}


URL_ACCESS = {
    "conversations_index": Row(signed_in()),
    "conversations_guide": Row(signed_in()),
    "conversations_figure": Row(signed_in(), kwargs=lambda w: {"code": "ibp"}),
    "conversations_key_figures": Row(
        signed_in(403, **dict.fromkeys(MANAGERS, 200)),
    ),
    "conversations_key_figure_revoke": Row(
        only({"beheerder": 302, "directeur": 302, "directie_noord": 302}),
        kwargs=_lotte_hr,
        method="post",
    ),
    "conversations_create": Row(signed_in(403, **PREPARE)),
    "conversations_detail": Row(only(READ_NOORD), kwargs=_privacy_pk),
    "conversations_edit": Row(only(WRITE_RECORD), kwargs=_privacy_pk),
    "conversations_agreement_add": Row(
        only(POST_RECORD),
        kwargs=_privacy_pk,
        method="post",
        data=lambda w: {"text": "Nog een afspraak"},
    ),
    "conversations_agreement_action": Row(
        only(AGREEMENT_ACTION), kwargs=_agreement_pk, method="post"
    ),
}
