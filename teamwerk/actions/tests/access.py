"""Who gets what from each actions URL (objects of Campus Noord; see core/testing/access.py).

Everyone with a role reads the actions of their current school and of the group, and their
own actions. Directie, ICT coordinator and the organisation-wide roles create and change a
school's actions; the group's actions only organisation-wide roles. The owner of an action
(Tom Peeters, teamlid) moves its PDCA phase and marks it done; a lezer reads only. Another
school's or organisation's action answers 404. The development wishes of a school are read by
who reads its people's ratings (directie and ICT coordinator, the directeur of the group).
The calendar feed is opened by its secret address, without signing in.
"""

from teamwerk.core.testing.access import Row, only, signed_in, statuses

NOORD_EDIT = ("beheerder", "directeur", "directie_noord", "ict_noord")
# A fresh session's current school: the first school the user sees (beheerder and directeur:
# Basisschool De Linde; directie_zuid: Campus Zuid; the stichting's beheerder: their own).
EDIT_CURRENT = signed_in(200, teamlid_noord=403, lezer_noord=403)
GROUP_EDIT = signed_in(403, beheerder=200, directeur=200, beheerder_stichting=200)
READ_NOORD = only(dict.fromkeys((*NOORD_EDIT, "teamlid_noord", "lezer_noord"), 200))
EDIT_NOORD = only({**dict.fromkeys(NOORD_EDIT, 200), "teamlid_noord": 403, "lezer_noord": 403})
PROGRESS_NOORD = only({**dict.fromkeys((*NOORD_EDIT, "teamlid_noord"), 302), "lezer_noord": 403})
DELETE_NOORD = only({**dict.fromkeys(NOORD_EDIT, 302), "teamlid_noord": 403, "lezer_noord": 403})
WISHES = signed_in(403, directeur=200, directie_noord=200, ict_noord=200, directie_zuid=200)


def _tom_action(world):
    """An open action of Campus Noord whose owner is Tom Peeters (teamlid_noord)."""
    from teamwerk.actions.models import Action

    action = Action.objects.filter(
        school=world.noord, owner__user=world.users["teamlid_noord"], done_on__isnull=True
    ).first()
    return {"pk": action.pk}


def _version(world):
    from teamwerk.actions.models import Action

    return {"version": Action.objects.get(**_tom_action(world)).version}


def _progress(world):
    return {**_version(world), "status": "do", "notes": "Bezig"}


def _feed(world):
    from teamwerk.actions.services import calendar_token_renew

    return {"token": calendar_token_renew(user=world.users["ict_noord"])}


URL_ACCESS = {
    "actions_list": Row(signed_in()),
    "actions_create": Row(EDIT_CURRENT),
    "actions_group": Row(signed_in()),
    "actions_group_create": Row(GROUP_EDIT),
    "actions_mine": Row(signed_in()),
    "actions_reminders": Row(statuses(302), method="post", data=lambda w: {"reminders_off": "1"}),
    "actions_calendar_renew": Row(statuses(302), method="post"),
    "actions_calendar_revoke": Row(statuses(302), method="post"),
    "actions_calendar_feed": Row(statuses(200), kwargs=_feed),
    "actions_professionalisation": Row(WISHES),
    "actions_detail": Row(READ_NOORD, kwargs=_tom_action),
    "actions_edit": Row(EDIT_NOORD, kwargs=_tom_action),
    "actions_progress": Row(PROGRESS_NOORD, kwargs=_tom_action, method="post", data=_progress),
    "actions_done": Row(PROGRESS_NOORD, kwargs=_tom_action, method="post", data=_version),
    "actions_delete": Row(DELETE_NOORD, kwargs=_tom_action, method="post", data=_version),
}
