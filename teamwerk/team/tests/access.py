"""Who gets what from every URL of Team & verdeling (walked by core/tests/test_url_access.py).

Object URLs use Campus Noord's demo data. Outsiders (Campus Zuid's directie, the other
organisation) get 404; read-only roles of Campus Noord (teamlid, lezer) get 403 on changes;
someone else's expertise and motivation answers 404 to everyone but directie and ICT.
"""

from teamwerk.core.testing.access import Row, only, signed_in

# Directie and ICT of Campus Noord, and the organisation-wide roles that may edit.
NOORD_EDITORS = ("beheerder", "directeur", "directie_noord", "ict_noord")
READ_ONLY = ("teamlid_noord", "lezer_noord")


def noord(editors: int, read_only: int, viewers: int | None = None) -> dict[str, int]:
    table = dict.fromkeys(NOORD_EDITORS, editors)
    table.update(dict.fromkeys(READ_ONLY, read_only))
    return only(table)


def own_school(editors: int, read_only: int = 403) -> dict[str, int]:
    """Pages about the user's current school: everyone signed in has one."""
    return signed_in(editors, teamlid_noord=read_only, lezer_noord=read_only)


def _task(world):
    from teamwerk.team.models import Assignment

    owner = (
        Assignment.objects.filter(school=world.noord, role="owner")
        .order_by("planned_task__task__code")
        .first()
    )
    return {"pk": owner.planned_task_id}


def _owner_assignment(world):
    from teamwerk.team.models import Assignment

    owner = (
        Assignment.objects.filter(school=world.noord, role="owner")
        .order_by("planned_task__task__code")
        .first()
    )
    return {"pk": owner.pk}


def _noord_only_person(world):
    """Sofie Maes works only at Campus Noord and has no account."""
    from teamwerk.team.models import Person

    return Person.objects.get(organisation=world.organisation, first_name="Sofie", last_name="Maes")


def _person(world):
    return {"pk": _noord_only_person(world).pk}


def _cell(world):
    return {"task_pk": _task(world)["pk"], "person_pk": _noord_only_person(world).pk}


def _agreement(world):
    from teamwerk.team.models import Agreement

    return {"pk": Agreement.objects.filter(school=world.noord).order_by("pk").first().pk}


def _owner_data(world):
    # confirm=1: the replacement was confirmed (without it an editor first sees both people).
    return {
        "owner-person": _noord_only_person(world).pk,
        "owner-mandate": "executes",
        "confirm": "1",
    }


def _backup_data(world):
    from teamwerk.team.models import Person

    person = Person.objects.get(organisation=world.organisation, first_name="Lien")
    return {"backup-person": person.pk, "backup-hours": "2"}


GROUP_VIEW = {"beheerder": 200, "directeur": 200, "beheerder_stichting": 200}
INVITERS = {"beheerder": 302, "directeur": 302, "directie_noord": 302, "ict_noord": 403}
SENSITIVE = {"directeur": 200, "directie_noord": 200, "ict_noord": 200}
HAS_PERSON = {"ict_noord": 302, "teamlid_noord": 302, "directie_noord": 302, "directie_zuid": 302}

URL_ACCESS = {
    "team_dashboard": Row(signed_in()),
    "team_dashboard_list": Row(signed_in(), kwargs=lambda w: {"kind": "zonder-trekker"}),
    "team_organisation": Row(only(GROUP_VIEW)),
    "team_matrix": Row(signed_in()),
    "team_matrix_cell": Row(noord(200, 403), kwargs=_cell),
    "team_history": Row(signed_in()),
    "team_task": Row(noord(200, 200), kwargs=_task),
    "team_task_owner": Row(noord(302, 403), kwargs=_task, method="post", data=_owner_data),
    "team_task_backup": Row(noord(302, 403), kwargs=_task, method="post", data=_backup_data),
    "team_assignment": Row(noord(200, 403), kwargs=_owner_assignment),
    "team_assignment_remove": Row(noord(302, 403), kwargs=_owner_assignment, method="post"),
    "team_people": Row(signed_in()),
    "team_person_create": Row(own_school(200)),
    # Nothing to take over in the demo (this year's people are there): back to the list.
    "team_people_copy_year": Row(own_school(302), method="post"),
    "team_import": Row(own_school(200)),
    "team_import_confirm": Row(own_school(302), method="post"),
    "team_import_template": Row(own_school(200)),
    "team_person": Row(noord(200, 200), kwargs=_person),
    "team_person_edit": Row(noord(200, 403), kwargs=_person),
    "team_person_invite": Row(
        only({**INVITERS, "teamlid_noord": 403, "lezer_noord": 403}),
        kwargs=_person,
        method="post",
    ),
    # Linking an account to a person: who already reads the person's ratings (not beheerders).
    "team_person_account": Row(
        only({**SENSITIVE, "beheerder": 403, "teamlid_noord": 403, "lezer_noord": 403}),
        kwargs=_person,
    ),
    "team_competences": Row(only(SENSITIVE), kwargs=_person),
    "team_my_tasks": Row(signed_in(200, **HAS_PERSON)),
    "team_my_competences": Row(signed_in(200, **HAS_PERSON)),
    "team_agreements": Row(signed_in()),
    "team_agreement_create": Row(own_school(200)),
    "team_agreement_edit": Row(noord(200, 403), kwargs=_agreement),
    "team_agreement_delete": Row(noord(302, 403), kwargs=_agreement, method="post"),
}
