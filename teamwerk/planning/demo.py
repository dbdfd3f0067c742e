"""Demo task plans: a filled plan for every demo school and a group plan, made through the
services by the demo people, so the history shows who decided what.

- Campus Noord: last year's plan, and this year's plan copied from it and fine-tuned (fully
  decided; "copy last year's plan" can be shown by starting next year's plan).
- Campus Zuid: about two thirds decided, so "still to decide" shows.
- Basisschool De Linde, Het Baken, De Vlinder: filled.
- Scholengroep Demo and Stichting Demo: a group plan with a few group-level tasks.

Choices follow the task's flags with a fixed pseudo-random spread (crc32 of the task code),
so the demo is the same on every run; a plan that exists already is left alone (idempotent).
"""

from __future__ import annotations

import zlib
from decimal import ROUND_HALF_UP, Decimal

from teamwerk.accounts.models import User
from teamwerk.catalogue.models import Level, Task
from teamwerk.tenancy.selectors import current_school_year
from teamwerk.tenancy.services import school_year_ensure

from . import services
from .models import Horizon, Priority, Sourcing, TaskPlan

NOTES = {
    "TEC-04": "Meldingen via het formulier op intranet; op woensdag helpen leerlingen-helpers.",
    "POL-05": "Budgetvoorstel klaar voor het MT in maart.",
    "SUP-05": "Twee sessies per trimester, telkens op de pedagogische studiedag.",
    "TEC-10": "Nieuwe Chromebooks voor het eerste jaar in september.",
    "PED-05": "Starten met de vakgroepen wiskunde en talen.",
    "TEC-06": "Website loopt via het sjabloon van de scholengroep.",
}


def _spread(code: str, salt: str) -> int:
    """A stable number 0..99 per task and school: the same every run."""
    return zlib.crc32(f"{salt}:{code}".encode()) % 100


def _hours(task: Task, scale: float) -> Decimal:
    """The catalogue's minimum, scaled to the size of the school's ICT budget."""
    value = (Decimal(task.hours_min) * Decimal(str(scale))).quantize(
        Decimal("1"), rounding=ROUND_HALF_UP
    )
    return max(value, Decimal(1))


def _choices(task: Task, *, salt: str, scale: float, small_school: bool) -> dict:
    """A sensible, fully decided set of choices for one task."""
    spread = _spread(task.code, salt)
    if not task.core and spread < (30 if small_school else 10):
        return {"applies": False}
    if task.core or (task.strategic and spread < 55) or spread < 45:
        horizon = Horizon.NOW
    elif spread < 85:
        horizon = Horizon.LATER
    else:
        horizon = Horizon.DROPPED
    if task.usual_level == Level.GROUP:
        level, sourcing = Level.GROUP, Sourcing.GROUP
    elif task.outsourceable and task.technical and (spread % 3 == 0 or small_school):
        level, sourcing = Level.SCHOOL, Sourcing.OUTSOURCE
    elif task.strategic and spread % 5 == 0:
        level, sourcing = Level.SCHOOL, Sourcing.RECRUIT
    else:
        level, sourcing = Level.SCHOOL, Sourcing.TEAM
    if sourcing == Sourcing.GROUP:
        hours = Decimal(2)  # keeping in touch with the group is all that is left
    elif sourcing == Sourcing.OUTSOURCE:
        hours = Decimal(4)  # following up the partner
    else:
        hours = _hours(task, scale)
    priority = Priority.HIGH if task.core else Priority.MEDIUM if task.strategic else Priority.LOW
    return {
        "applies": True,
        "horizon": horizon,
        "level": level,
        "sourcing": sourcing,
        "hours": hours,
        "priority": priority,
        "notes": NOTES.get(task.code, ""),
    }


def _decide(plan: TaskPlan, actor, *, salt: str, scale: float, small_school=False, keep=100):
    """Decide the plan's tasks; ``keep`` is the share (0..100) of tasks decided."""
    for item in plan.items.select_related("task").order_by("task__domain__order", "task__code"):
        if _spread(item.task.code, salt + ":open") >= keep:
            continue
        values = _choices(item.task, salt=salt, scale=scale, small_school=small_school)
        services.planned_task_update(
            actor=actor, item=item, expected_version=item.version, **values
        )


def _school_plan(*, actor, school, school_year, **decide) -> TaskPlan:
    plan = TaskPlan.objects.filter(school=school, school_year=school_year).first()
    if plan is None:
        plan = services.plan_create_from_catalogue(
            actor=actor, school=school, organisation=school.organisation, school_year=school_year
        )
        _decide(plan, actor, salt=school.name, **decide)
    return plan


def _noord(schools, users, year) -> TaskPlan:
    noord = schools["Campus Noord"]
    last_year = school_year_ensure(organisation=noord.organisation, start_year=year.start_year - 1)
    previous = _school_plan(actor=users["ict"], school=noord, school_year=last_year, scale=0.55)
    plan = TaskPlan.objects.filter(school=noord, school_year=year).first()
    if plan is not None:
        return plan
    plan = services.plan_copy_from_year(actor=users["ict"], source_plan=previous, school_year=year)
    # This year's fine-tuning by the ICT coordinator and the school leader.
    tuning = [
        (users["ict"], "TEC-04", {"hours": Decimal(50), "notes": NOTES["TEC-04"]}),
        (users["ict"], "PED-05", {"horizon": Horizon.NOW, "hours": Decimal(30)}),
        (
            users["ict"],
            "SUP-07",
            {
                "applies": True,
                "horizon": Horizon.NOW,
                "level": Level.SCHOOL,
                "sourcing": Sourcing.TEAM,
                "hours": Decimal(20),
            },
        ),
        (users["directie"], "POL-07", {"horizon": Horizon.LATER}),
        (
            users["directie"],
            "TEC-06",
            {"sourcing": Sourcing.OUTSOURCE, "hours": Decimal(6), "notes": NOTES["TEC-06"]},
        ),
        (users["ict"], "PRO-05", {"horizon": Horizon.DROPPED}),
    ]
    items = {i.task.code: i for i in plan.items.select_related("task")}
    for actor, code, values in tuning:
        item = items.get(code)
        if item is not None:
            item.refresh_from_db()
            services.planned_task_update(
                actor=actor, item=item, expected_version=item.version, **values
            )
    # Anything the copy brought in as new is decided too: Noord's plan is complete.
    for item in plan.items.select_related("task").filter(applies__isnull=True):
        values = _choices(item.task, salt="Campus Noord", scale=0.55, small_school=False)
        services.planned_task_update(
            actor=users["ict"], item=item, expected_version=item.version, **values
        )
    return plan


def _group_plan(*, actor, organisation, school_year, decided: dict, move: list[str]):
    plan = TaskPlan.objects.filter(
        organisation=organisation, school=None, school_year=school_year
    ).first()
    if plan is not None:
        return plan
    plan = services.plan_create_from_catalogue(
        actor=actor, school=None, organisation=organisation, school_year=school_year
    )
    for item in plan.items.select_related("task"):
        values = decided.get(item.task.code)
        if values:
            services.planned_task_update(
                actor=actor, item=item, expected_version=item.version, **values
            )
    for code in move:
        task = Task.objects.get(organisation=None, code=code)
        services.planned_task_move_to_group(
            actor=actor, task=task, organisation=organisation, school_year=school_year
        )
    return plan


def _group_task(hours: int, sourcing: str = Sourcing.TEAM) -> dict:
    return {
        "applies": True,
        "horizon": Horizon.NOW,
        "level": Level.GROUP,
        "sourcing": sourcing,
        "hours": Decimal(hours),
        "priority": Priority.HIGH,
    }


def seed(context: dict) -> None:
    organisations = context["organisations"]
    schools = context["schools"]
    people = {user.email: user for user in User.objects.filter(email__contains="-demo.")}
    group = organisations["Scholengroep Demo"]
    board = organisations["Stichting Demo"]
    group_year = current_school_year(group)
    board_year = current_school_year(board)
    noord_users = {
        "ict": people["ict.noord@scholengroep-demo.be"],
        "directie": people["directie.noord@scholengroep-demo.be"],
    }
    directeur = people["directeur@scholengroep-demo.be"]
    board_admin = people["beheerder@stichting-demo.nl"]

    plans = {
        "Campus Noord": _noord(schools, noord_users, group_year),
        "Campus Zuid": _school_plan(
            actor=people["directie.zuid@scholengroep-demo.be"],
            school=schools["Campus Zuid"],
            school_year=group_year,
            scale=0.75,
            keep=65,
        ),
        "Basisschool De Linde": _school_plan(
            actor=directeur,
            school=schools["Basisschool De Linde"],
            school_year=group_year,
            scale=0.2,
            small_school=True,
        ),
        "Het Baken": _school_plan(
            actor=board_admin, school=schools["Het Baken"], school_year=board_year, scale=0.75
        ),
        "De Vlinder": _school_plan(
            actor=board_admin,
            school=schools["De Vlinder"],
            school_year=board_year,
            scale=0.25,
            small_school=True,
        ),
    }
    group_plans = {
        group.name: _group_plan(
            actor=directeur,
            organisation=group,
            school_year=group_year,
            decided={
                "POL-08": _group_task(40),
                "POL-09": _group_task(25),
                "TEC-02": _group_task(20),
                "TEC-11": _group_task(60, Sourcing.OUTSOURCE),
                "TEC-13": _group_task(20, Sourcing.OUTSOURCE),
                "COO-05": _group_task(15),
            },
            move=["TEC-05"],
        ),
        board.name: _group_plan(
            actor=board_admin,
            organisation=board,
            school_year=board_year,
            decided={"POL-08": _group_task(30), "TEC-08": _group_task(50)},
            move=[],
        ),
    }
    context["task_plans"] = plans
    context["group_plans"] = group_plans
