from teamwerk.core.testing.access import NOORD_ROLES, Row, only, signed_in

# Who may change Campus Noord's plan; the teamlid and lezer read it only (403 on changes).
EDITORS = {"beheerder": 302, "directeur": 302, "directie_noord": 302, "ict_noord": 302}
READERS = dict.fromkeys(NOORD_ROLES, 200)
READ_ONLY = {"teamlid_noord": 403, "lezer_noord": 403}
EDIT_PAGES = {**dict.fromkeys(EDITORS, 200), **READ_ONLY}
GROUP_VIEW = {"beheerder": 200, "directeur": 200, "beheerder_stichting": 200}
GROUP_DECIDERS = {"beheerder": 302, "directeur": 302, "beheerder_stichting": 302}


def _noord_plan(world):
    from teamwerk.planning.models import TaskPlan
    from teamwerk.tenancy.selectors import current_school_year

    return TaskPlan.objects.get(
        school=world.noord, school_year=current_school_year(world.organisation)
    )


def _plan(world):
    return {"pk": _noord_plan(world).pk}


def _item(world):
    item = _noord_plan(world).items.select_related("task").get(task__code="POL-01")
    return item


def _item_kwargs(world):
    item = _item(world)
    return {"pk": item.plan_id, "item_pk": item.pk}


def _item_data(world):
    item = _item(world)
    return {"notes": "Besproken op het MT.", "version": item.version}


def _start_data(world):
    from teamwerk.tenancy.selectors import current_school_year

    next_year = current_school_year(world.organisation).start_year + 1
    return {
        "form": "school",
        "school": world.noord.pk,
        "school-start_year": next_year,
        "school-source": "catalogue",
    }


def _pending_import(world):
    """A file Ilse (ICT, Campus Noord) uploaded and has not confirmed yet."""
    from teamwerk.planning.services import pending_import_create

    plan = _noord_plan(world)
    pending = pending_import_create(
        actor=world.users["ict_noord"],
        plan=plan,
        rows=[
            {
                "row": 9,
                "code": "POL-01",
                "title": "",
                "domain": "",
                "values": {"hours": "12.0"},
            }
        ],
        filename="takenoverzicht.xlsx",
    )
    return {"pk": plan.pk, "import_pk": pending.pk}


def _standard_task(world):
    from teamwerk.catalogue.models import Task

    return {"task_pk": Task.objects.get(organisation=None, code="TEC-04").pk}


# Only the uploader sees or confirms their own import; read-only roles get 403 first.
PENDING = {"ict_noord": 200, **READ_ONLY}
PENDING_POST = {"ict_noord": 302, **READ_ONLY}

URL_ACCESS = {
    "plan_index": Row(signed_in(302)),
    "plan_list": Row(signed_in()),
    "plan_start": Row(only({**EDITORS, **READ_ONLY}), method="post", data=_start_data),
    "plan_detail": Row(only(READERS), kwargs=_plan),
    "plan_item_update": Row(
        only({**EDITORS, **READ_ONLY}), kwargs=_item_kwargs, method="post", data=_item_data
    ),
    "plan_bulk_update": Row(
        only({**EDITORS, **READ_ONLY}),
        kwargs=_plan,
        method="post",
        data=lambda w: {"scope": "domain:POL", "action": "priority_1"},
    ),
    "plan_custom_task_add": Row(only(EDIT_PAGES), kwargs=_plan),
    "plan_catalogue_tasks_add": Row(only(EDIT_PAGES), kwargs=_plan),
    "plan_history": Row(only(READERS), kwargs=_plan),
    "plan_export": Row(only(READERS), kwargs=_plan),
    "plan_import": Row(only(EDIT_PAGES), kwargs=_plan),
    "plan_import_preview": Row(only(PENDING), kwargs=_pending_import),
    "plan_import_confirm": Row(only(PENDING_POST), kwargs=_pending_import, method="post"),
    "plan_import_cancel": Row(only(PENDING_POST), kwargs=_pending_import, method="post"),
    "plan_group_overview": Row(only(GROUP_VIEW)),
    "plan_group_decide": Row(
        only(GROUP_DECIDERS),
        kwargs=_standard_task,
        method="post",
        data=lambda w: {"decision": "group"},
    ),
}
