"""What the data of the other modules says about a check ("evidence"), shown next to it.

The route names an evidence key per check (route.toml). The school still answers the
question itself; the evidence only helps. Keys:

* planning: ``plan_decided_share``, ``recruit_outsource_tasks`` (and ``hours`` as planned
  hours against the budget while the team has no distribution yet);
* team: ``no_expertise_tasks``, ``team_members``, ``owners``, ``hours``, ``mandates``,
  ``agreement:<kind>`` — all read in :func:`_team_evidence`, the one place that knows the
  team module (through its public selectors). Without the team module, or while a school has
  no distribution, these keys say "nog geen gegevens" rather than guess;
* the step plan itself: ``last_evaluation`` (the last "yes" to S8.evaluated).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal

from django.apps import apps
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from teamwerk.core.figures import counts_for_team, task_hours
from teamwerk.planning.models import Horizon, PlannedTask, Sourcing, TaskPlan
from teamwerk.tenancy.models import School, SchoolYear
from teamwerk.tenancy.roles import Action
from teamwerk.tenancy.selectors import current_school_year

from .selectors import RouteState

AGREEMENT_KINDS = ("knowledge", "backup", "documentation", "organisation", "working")
ITEMS_SHOWN = 8


@dataclass(frozen=True)
class Evidence:
    key: str
    available: bool  # False: the module holding this data has nothing yet
    summary: str
    items: tuple[str, ...] = ()
    more: int = 0  # items left out of ``items``
    hint: bool | None = None  # the answer the data points to, if it points anywhere
    items_label: str = ""  # what the list is ("Zonder trekker"), when the summary does not say
    why: str = ""  # why the data points to ``hint``, in a few words
    figures: tuple[tuple[str, object], ...] = ()  # (core.figures key, value) shown with it
    progress: int | None = None  # share of the work done (0-100), where that has a meaning

    @property
    def hint_label(self) -> str:
        if self.hint is None:
            return ""
        return _("ja") if self.hint else _("nee")


def _unavailable(key: str) -> Evidence:
    return Evidence(key, False, _("Nog geen gegevens."))


def _listed(
    key: str,
    summary: str,
    names: list[str],
    hint: bool | None,
    label: str = "",
    *,
    why: str = "",
    figures: tuple = (),
    progress: int | None = None,
) -> Evidence:
    return Evidence(
        key,
        True,
        summary,
        tuple(names[:ITEMS_SHOWN]),
        max(0, len(names) - ITEMS_SHOWN),
        hint,
        label if names else "",
        why,
        figures,
        progress,
    )


def _hours(value) -> str:
    return formats.number_format(Decimal(value or 0).normalize(), decimal_pos=None)


def _day(value: dt.date) -> str:
    return formats.date_format(value, "j F Y")


def evidence_for_school(user, school: School, state: RouteState) -> dict[str, Evidence]:
    """Every evidence key of the route for this school, in a fixed number of queries."""
    year = current_school_year(school.organisation)
    plan = (
        TaskPlan.objects.for_user(user, Action.VIEW)
        .filter(school=school, school_year=year)
        .select_related("school_year")
        .first()
    )
    items = (
        list(
            PlannedTask.objects.for_user(user, Action.VIEW)
            .filter(plan=plan)
            .select_related("task")
            .order_by("task__domain__order", "task__code")
        )
        if plan
        else []
    )
    found: dict[str, Evidence] = {}
    found.update(_plan_evidence(plan, items, year))
    found.update(_team_evidence(user, school, year))
    if not found["hours"].available:
        found["hours"] = _planned_hours_evidence(school, items)
    gaps = found["no_expertise_tasks"]
    if gaps.available:  # every task nobody can do has moved to recruiting or outsourcing
        open_gaps = gaps.progress  # tasks nobody in the team can do (see _distribution_evidence)
        found["recruit_outsource_tasks"] = replace(
            found["recruit_outsource_tasks"],
            hint=not open_gaps,
            why=_(
                "elke taak waarvoor niemand in het team de kennis heeft, staat op aanwerven "
                "of uitbesteden"
            )
            if not open_gaps
            else ngettext(
                "voor %(count)d taak van het eigen team heeft niemand de kennis, en die staat "
                "nog niet op aanwerven of uitbesteden",
                "voor %(count)d taken van het eigen team heeft niemand de kennis, en die staan "
                "nog niet op aanwerven of uitbesteden",
                open_gaps,
            )
            % {"count": open_gaps},
        )
        found["no_expertise_tasks"] = replace(gaps, progress=None)
    found["last_evaluation"] = _evaluation_evidence(state, school)
    return found


# --- planning -----------------------------------------------------------------------------


def _plan_evidence(plan, items: list[PlannedTask], year: SchoolYear) -> dict[str, Evidence]:
    if plan is None:
        missing = _("Er is nog geen takenoverzicht voor schooljaar %(year)s.") % {"year": year}
        return {
            "plan_decided_share": Evidence(
                "plan_decided_share",
                True,
                missing,
                hint=False,
                why=_("er is nog geen takenoverzicht"),
            ),
            "recruit_outsource_tasks": Evidence("recruit_outsource_tasks", True, missing),
        }
    total = len(items)
    undecided = [i.task.title for i in items if not i.is_decided]
    decided = total - len(undecided)
    share = round(100 * decided / total) if total else 0
    decided_summary = _(
        "%(decided)d van de %(total)d taken zijn beslist (%(share)d%%) in het takenoverzicht "
        "%(year)s."
    ) % {"decided": decided, "total": total, "share": share, "year": plan.school_year}
    labels = dict(Sourcing.choices)
    external = [
        f"{i.task.title} ({labels[i.sourcing]})"
        for i in items
        if i.applies
        and i.horizon in ("", Horizon.NOW)  # this year's work, as core.figures counts it
        and i.sourcing in (Sourcing.RECRUIT, Sourcing.OUTSOURCE)
    ]
    if external:
        external_summary = _("%(count)d taken worden aangeworven of uitbesteed.") % {
            "count": len(external)
        }
    else:
        external_summary = _("Geen enkele taak staat op aanwerven of uitbesteden.")
    return {
        "plan_decided_share": _listed(
            "plan_decided_share",
            decided_summary,
            undecided,
            total > 0 and not undecided,
            _("Nog te beslissen"),
            why=_("elke taak van het takenoverzicht is beslist")
            if total and not undecided
            else ngettext(
                "%(count)d taak is nog niet beslist",
                "%(count)d taken zijn nog niet beslist",
                len(undecided),
            )
            % {"count": len(undecided)},
            figures=(("tasks_plan", total),),
            progress=share,
        ),
        "recruit_outsource_tasks": _listed(
            "recruit_outsource_tasks", external_summary, external, None
        ),
    }


def _planned_hours_evidence(school: School, items: list[PlannedTask]) -> Evidence:
    """Before the team module has a distribution: the planned hours against the budget."""
    if not items:
        return _unavailable("hours")
    planned = sum((task_hours(i) for i in items if counts_for_team(i)), Decimal(0))
    return Evidence(
        "hours",
        True,
        _(
            "Er is nog geen verdeling: dit zijn de uren van het takenoverzicht tegenover het "
            "budget."
        ),
        figures=(("hours_needed", planned), ("budget", school.ict_hours_available)),
    )


# --- the step plan itself -----------------------------------------------------------------


def _evaluation_evidence(state: RouteState, school: School | None = None) -> Evidence:
    # The last evaluation round of the school (evaluation module), when there is one with
    # results; otherwise the last "yes" to S8.evaluated.
    if school is not None and apps.is_installed("teamwerk.evaluation"):
        from teamwerk.evaluation.selectors import step8_evidence

        found = step8_evidence(school, review_months=state.route.review_interval_months)
        if found is not None:
            return Evidence("last_evaluation", True, **found)
    stale = state.stale.get("S8.evaluated")
    if stale is not None and stale.value:
        when = _day(timezone.localdate(stale.answered_at))
        return Evidence(
            "last_evaluation",
            True,
            _("De laatste evaluatie (%(date)s) is langer dan %(months)d maanden geleden.")
            % {"date": when, "months": state.route.review_interval_months},
            hint=False,
        )
    if state.evaluated_on is None:
        return Evidence(
            "last_evaluation", True, _("In het stappenplan staat nog geen evaluatie."), hint=None
        )
    return Evidence(
        "last_evaluation",
        True,
        _("Laatste evaluatie: %(date)s. Volgende ten laatste: %(next)s.")
        % {"date": _day(state.evaluated_on), "next": _day(state.next_review_on)},
        hint=True,
    )


# --- team (issue 4) -----------------------------------------------------------------------

TEAM_KEYS = (
    "no_expertise_tasks",
    "team_members",
    "owners",
    "hours",
    "mandates",
    *(f"agreement:{kind}" for kind in AGREEMENT_KINDS),
)


def _team_api():
    """The team module's public reads, or None while the team module does not have them."""
    if not apps.is_installed("teamwerk.team"):
        return None
    try:
        apps.get_model("team", "Assignment")
        from teamwerk.team import selectors as team_selectors
    except (LookupError, ImportError):
        return None
    if not all(
        hasattr(team_selectors, name) for name in ("dashboard_figures", "agreements_for_school")
    ):
        return None
    return team_selectors


def _team_evidence(user, school: School, year: SchoolYear) -> dict[str, Evidence]:
    """Evidence from the team module, only through its public reads:

    * ``dashboard_figures(school, school_year)``: tasks (``TaskLine`` with owner and
      back-ups), ``no_owner``, ``no_expertise``, ``over_hours``, ``hours_needed``,
      ``hours_assigned``, ``hours_available``;
    * ``agreements_for_school(user, school, school_year)``: the agreements, by ``kind``;
    * the ``mandate`` of the owners' ``Assignment`` rows.

    While the team module is not there, every team key says "nog geen gegevens".
    """
    team = _team_api()
    if team is None:
        return {key: _unavailable(key) for key in TEAM_KEYS}
    figures = team.dashboard_figures(school, year)
    if not figures.has_plan or not figures.tasks:
        found = {key: _unavailable(key) for key in TEAM_KEYS if not key.startswith("agreement:")}
    else:
        found = _distribution_evidence(user, school, figures)
    kinds = set(team.agreements_for_school(user, school, year).values_list("kind", flat=True))
    for kind in AGREEMENT_KINDS:
        present = kind in kinds
        found[f"agreement:{kind}"] = Evidence(
            f"agreement:{kind}",
            True,
            _("Deze afspraak staat bij de afspraken van het team.")
            if present
            else _("Deze afspraak staat nog niet bij de afspraken van het team."),
            hint=present,
        )
    return found


def _distribution_evidence(user, school: School, figures) -> dict[str, Evidence]:
    tasks = figures.tasks
    found: dict[str, Evidence] = {}

    missing = [line.planned_task.task.title for line in figures.no_expertise]
    labels = dict(Sourcing.choices)
    external = [f"{pt.task.title} ({labels[pt.sourcing]})" for pt in figures.recruit_outsource]
    if missing:
        summary = _(
            "Voor %(count)d van de %(total)d taken van het eigen team kan niemand in het team "
            "het zelfstandig."
        ) % {"count": len(missing), "total": len(tasks)}
    else:
        summary = _("Voor elke taak van het eigen team is er iemand die ze zelfstandig kan.")
    if external:
        summary += " " + ngettext(
            "%(count)d taak staat op aanwerven of uitbesteden: daarvoor is de kennis niet in huis.",
            "%(count)d taken staan op aanwerven of uitbesteden: daarvoor is de kennis niet in "
            "huis.",
            len(external),
        ) % {"count": len(external)}
    reasons = []
    if missing:
        reasons.append(
            ngettext(
                "voor %(count)d taak heeft niemand in het team de kennis",
                "voor %(count)d taken heeft niemand in het team de kennis",
                len(missing),
            )
            % {"count": len(missing)}
        )
    if external:
        reasons.append(
            ngettext(
                "%(count)d taak wordt aangeworven of uitbesteed",
                "%(count)d taken worden aangeworven of uitbesteed",
                len(external),
            )
            % {"count": len(external)}
        )
    found["no_expertise_tasks"] = _listed(
        "no_expertise_tasks",
        summary,
        missing + external,
        not missing and not external,
        _("Kennis niet in huis"),
        why=_(" en ").join(reasons)
        if reasons
        else _("voor elke taak is er iemand in het team, en niets wordt aangeworven of uitbesteed"),
        progress=len(missing),  # read by evidence_for_school, then cleared
    )

    people = sorted(
        {str(line.owner) for line in tasks if line.owner}
        | {str(person) for line in tasks for person in line.backups}
    )
    found["team_members"] = _listed(
        "team_members",
        _("%(count)d mensen hebben een taak als trekker of back-up.") % {"count": len(people)}
        if people
        else _("Nog niemand heeft een taak als trekker of back-up."),
        people,
        True if len(people) >= 2 else None,
        why=_("minstens twee mensen dragen taken") if len(people) >= 2 else "",
    )

    without_owner = [line.planned_task.task.title for line in figures.no_owner]
    found["owners"] = _listed(
        "owners",
        _("%(owners)d van de %(total)d taken hebben een trekker, %(backups)d een back-up.")
        % {"owners": figures.with_owner, "total": len(tasks), "backups": figures.with_backup},
        without_owner,
        not without_owner,
        _("Zonder trekker"),
        why=_("elke taak heeft een trekker")
        if not without_owner
        else ngettext(
            "%(count)d taak heeft nog geen trekker",
            "%(count)d taken hebben nog geen trekker",
            len(without_owner),
        )
        % {"count": len(without_owner)},
        figures=(("tasks_with_owner", figures.with_owner), ("tasks_team", len(tasks))),
        progress=round(100 * figures.with_owner / len(tasks)) if tasks else 0,
    )

    over = [
        _("%(name)s: %(used)s van %(available)s uur")
        % {
            "name": line.person,
            "used": _hours(line.hours_used),
            "available": _hours(line.hours_available),
        }
        for line in figures.over_hours
    ]
    short = figures.hours_needed - figures.hours_assigned
    reasons = []
    if short > 0:
        reasons.append(
            _("er is %(hours)s uur minder verdeeld dan nodig") % {"hours": _hours(short)}
        )
    if over:
        reasons.append(
            ngettext(
                "%(count)d persoon zit boven de eigen uren",
                "%(count)d mensen zitten boven hun uren",
                len(over),
            )
            % {"count": len(over)}
        )
    found["hours"] = _listed(
        "hours",
        _("Uren van het eigen team dit schooljaar:"),
        over,
        figures.hours_assigned >= figures.hours_needed and not over,
        _("Meer uren dan beschikbaar"),
        why=_(" en ").join(reasons)
        if reasons
        else _("de verdeelde uren dekken wat nodig is en niemand zit boven de eigen uren"),
        figures=(
            ("hours_needed", figures.hours_needed),
            ("hours_divided", figures.hours_assigned),
            ("hours_available", figures.hours_available),
        ),
    )

    Assignment = apps.get_model("team", "Assignment")
    mandate_labels = dict(Assignment._meta.get_field("mandate").choices)
    counts: dict[str, int] = {}
    owner_ids: set[int] = set()
    for mandate, person_id in (
        Assignment.objects.for_user(user, Action.VIEW)
        .filter(planned_task__in=[line.planned_task.pk for line in tasks], role="owner")
        .values_list("mandate", "person_id")
    ):
        counts[mandate] = counts.get(mandate, 0) + 1
        owner_ids.add(person_id)
    found["mandates"] = _listed(
        "mandates",
        _("Zo zijn de mandaten van de %(owners)d trekkers verdeeld.")
        % {"owners": sum(counts.values())}
        + _recorded_job_descriptions(school, owner_ids)
        if counts
        else _("Nog geen trekkers, dus nog geen mandaten."),
        [f"{label}: {counts[value]}" for value, label in mandate_labels.items() if value in counts],
        None,
    )
    return found


def _recorded_job_descriptions(school: School, owner_ids: set[int]) -> str:
    """Whether the trekkers' mandates are in recorded job descriptions (documents module)."""
    if not apps.is_installed("teamwerk.documents") or not owner_ids:
        return ""
    from teamwerk.documents.selectors import recorded_job_people

    recorded = recorded_job_people(school, current_school_year(school.organisation), owner_ids)
    return " " + _(
        "%(recorded)d van de %(owners)d trekkers hebben een vastgelegde functiebeschrijving "
        "met hun mandaten."
    ) % {"recorded": len(recorded), "owners": len(owner_ids)}
