from teamwerk.core.testing.access import NOORD_ROLES, Row, only, signed_in, statuses

# Everyone of Scholengroep Demo (Campus Zuid too) reads its own tasks; Stichting does not.
GROUP_MEMBERS = {**dict.fromkeys(NOORD_ROLES, 200), "directie_zuid": 200}
# Adding an own task needs the right to edit somewhere in the organisation.
EDITORS = {
    "beheerder": 200,
    "directeur": 200,
    "directie_noord": 200,
    "ict_noord": 200,
    "directie_zuid": 200,
    "beheerder_stichting": 200,
}
READ_ONLY = {"teamlid_noord": 403, "lezer_noord": 403}


def _own_task(world):
    """An own task of Scholengroep Demo, made by Campus Noord's ICT coordinator."""
    from teamwerk.catalogue.models import Domain
    from teamwerk.catalogue.services import task_create_own

    task = task_create_own(
        actor=world.users["ict_noord"],
        organisation=world.organisation,
        school=world.noord,
        domain=Domain.objects.get(code="TEC"),
        title_nl="Smartboards nakijken",
        hours_min=5,
        hours_max=10,
    )
    return {"pk": task.pk}


def _standard_task(world):
    from teamwerk.catalogue.models import Task

    return {"pk": Task.objects.get(organisation=None, code="COO-08").pk}


URL_ACCESS = {
    "catalogue_index": Row(signed_in()),
    "catalogue_profiles": Row(signed_in()),
    "catalogue_task": Row(only(GROUP_MEMBERS), kwargs=_own_task),
    "catalogue_task_create": Row(only({**EDITORS, **READ_ONLY})),
    # Campus Noord's own task: changed by Noord and the organisation-wide roles; Campus Zuid
    # reads it but gets 403 on the form; another organisation does not see it (404).
    "catalogue_task_edit": Row(
        only(
            {
                "beheerder": 200,
                "directeur": 200,
                "directie_noord": 200,
                "ict_noord": 200,
                "directie_zuid": 403,
                **READ_ONLY,
            }
        ),
        kwargs=_own_task,
    ),
    # Hiding a standard task is an organisation setting: beheerders only (each for their own).
    "catalogue_task_hide": Row(
        statuses(403, anonymous=302, beheerder=302, beheerder_stichting=302),
        kwargs=_standard_task,
        method="post",
        data=lambda w: {"hidden": "1"},
    ),
}
