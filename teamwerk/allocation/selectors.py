"""Reads of the allocation assistant, scoped to the user, and the one place where the
engine's codes and numbers become sentences (in the reader's language)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import formats
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from teamwerk.team.models import Assignment, AssignmentRole, Availability, Person
from teamwerk.team.selectors import ratings_shown_from_result
from teamwerk.tenancy.models import Organisation, School
from teamwerk.tenancy.roles import Action
from teamwerk.tenancy.selectors import user_can
from teamwerk.tenancy.terms import active_terms, fill_terms

from .models import ProposalRun, RunKind, RunStatus
from .services import drops_without_replacement, may_run

# ------------------------------------------------------------------------------- runs


def runs_for_user(user, action: str = Action.VIEW) -> QuerySet[ProposalRun]:
    """Proposals for everyone who may view the school; a "what if … leaves?" only for who
    may change the distribution (it is leadership's planning about a colleague)."""
    runs = ProposalRun.objects.for_user(user, action)
    if action == Action.EDIT:
        return runs
    editable = ProposalRun.objects.for_user(user, Action.EDIT).values("pk")
    return runs.filter(Q(kind=RunKind.PROPOSAL) | Q(pk__in=editable))


def run_get(user, pk, action: str = Action.VIEW) -> ProposalRun:
    """A run inside the user's scope, or 404."""
    try:
        return (
            runs_for_user(user, action)
            .select_related(
                "organisation", "school", "school_year", "requested_by", "leaving_person"
            )
            .get(pk=pk)
        )
    except (ProposalRun.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def recent_runs(
    user, *, school: School | None, organisation: Organisation | None, limit: int = 12
) -> tuple[list[ProposalRun], list[ProposalRun]]:
    """The latest runs of the school, and of the group's plan (for organisation-wide roles)."""
    runs = runs_for_user(user).select_related("requested_by", "leaving_person", "school_year")
    school_runs = list(runs.filter(school=school)[:limit]) if school is not None else []
    group_runs = []
    if organisation is not None and may_see_group(user, organisation):
        group_runs = list(runs.filter(organisation=organisation, school__isnull=True)[:limit])
    return school_runs, group_runs


def may_see_group(user, organisation: Organisation) -> bool:
    """Group proposals are for whoever works for the whole organisation."""
    return user_can(user, Action.VIEW, organisation=organisation)


def may_start_group(user, organisation: Organisation | None) -> bool:
    return organisation is not None and may_run(user, school=None, organisation=organisation)


def people_who_could_leave(user, school: School, school_year) -> QuerySet[Person]:
    """People of the school's ICT team: ICT hours here this year, or a task here."""
    with_hours = Availability.objects.filter(
        person=OuterRef("pk"), school=school, school_year=school_year, hours_available__gt=0
    )
    holding = Assignment.objects.filter(
        person=OuterRef("pk"), school=school, planned_task__plan__school_year=school_year
    )
    return (
        Person.objects.for_user(user)
        .filter(organisation=school.organisation, active=True)
        .filter(Exists(with_hours) | Exists(holding))
        .order_by("last_name", "first_name", "pk")
    )


# ------------------------------------------------------------------------ page models


@dataclass
class UncoveredLine:
    role: str
    reason: str
    advice: str
    kind: str  # recruit, outsource, hours, train


@dataclass
class TaskRow:
    id: int
    code: str
    title: str
    hours: float
    needs_qualification: bool
    current_owner: str
    current_backups: list[str]
    proposed_owner: str
    proposed_backups: list[str]
    changed: bool
    owner_changed: bool
    backup_changed: bool
    owner_reason: str = ""
    backup_reason: str = ""
    uncovered: list[UncoveredLine] = field(default_factory=list)
    drops: bool = False  # takes someone off without a replacement
    accepted_by: str = ""
    accepted_at: object = None
    changed_since: bool = False  # the distribution moved since the proposal was made
    plan_link: str = ""

    @property
    def accepted(self) -> bool:
        return self.accepted_at is not None

    @property
    def can_accept(self) -> bool:
        return self.changed and not self.accepted and not self.changed_since


@dataclass
class DomainRows:
    name: str
    rows: list[TaskRow]


@dataclass
class LoadRow:
    name: str
    available: float
    before: float
    after: float
    in_team: bool
    leaving: bool = False

    @property
    def delta(self) -> float:
        return round(self.after - self.before, 2)

    @property
    def over_after(self) -> bool:
        return self.after > self.available + 1e-9

    @property
    def over_before(self) -> bool:
        return self.before > self.available + 1e-9

    @property
    def after_percent(self) -> int:
        if self.available <= 0:
            return 100 if self.after > 0 else 0
        return min(100, round(self.after / self.available * 100))


@dataclass
class WhatIfView:
    person: str
    owner_tasks: list[TaskRow]
    backup_tasks: list[TaskRow]
    knowledge_tasks: list[TaskRow]
    knowledge_domains: list[str]
    owner_covered: int
    backup_covered: int
    moved_elsewhere: int = 0  # other tasks that change to make room

    @property
    def changed(self) -> int:
        return len(self.owner_tasks) + len(self.backup_tasks) + self.moved_elsewhere


@dataclass
class OpenBackups:
    """Tasks left without back-up for the same reason."""

    reason: str
    advice: str
    rows: list[TaskRow]


@dataclass
class ProposalPage:
    run: ProposalRun
    groups: list[DomainRows]
    loads: list[LoadRow]
    notes: list[str]
    quality: str
    uncovered_rows: list[TaskRow]
    without_owner: list[tuple[TaskRow, UncoveredLine]]
    without_backup: list[OpenBackups]
    whatif: WhatIfView | None
    summary: dict
    show_skills: bool
    show_all: bool
    hidden_count: int
    pending: int  # changed rows not accepted yet
    accept_all_count: int
    stale_count: int
    step6_link: str
    plan_link: str
    over_now: int = 0

    @property
    def over_before(self) -> int:
        """People over their ICT hours now: the same count as the team dashboard."""
        return self.over_now

    @property
    def over_after(self) -> int:
        return sum(1 for load in self.loads if load.over_after)


def proposal_page(user, run: ProposalRun, *, show_all: bool = False) -> ProposalPage:
    """Everything the proposal page shows, in a fixed number of queries."""
    result = run.result or {}
    english = (get_language() or "nl").startswith("en")
    show_skills = (
        user_can(user, Action.VIEW_SENSITIVE, school=run.school)
        if run.school_id
        else user_can(user, Action.VIEW_SENSITIVE, organisation=run.organisation)
    )
    names = {p["id"]: p["name"] for p in result.get("people", [])}
    # The proposal is built from ratings; with show_skills it shows them too.
    ratings_shown_from_result(user, list(names), with_values=show_skills)
    hours_of = {p["id"]: p["hours_available"] for p in result.get("people", [])}
    decisions = {
        d.planned_task_id: d for d in run.decisions.select_related("accepted_by").order_by("pk")
    }
    entries = result.get("tasks", [])
    changed_since = _changed_since(entries, decisions)
    plan_id = result.get("plan_id")
    plan_url = reverse("plan_detail", args=[plan_id]) if plan_id else ""
    where = "group" if run.school_id is None else "school"

    def name(pid) -> str:
        if pid is None:
            return ""
        return names.get(pid) or _("iemand die niet meer in het team is")

    rows: dict[int, TaskRow] = {}
    groups: list[DomainRows] = []
    for entry in entries:
        current, proposed = entry["current"], entry["proposed"]
        decision = decisions.get(entry["id"])
        row = TaskRow(
            id=entry["id"],
            code=entry["code"],
            # Catalogue titles name regional words as placeholders ({Teachers}).
            title=fill_terms(entry["title_en"] if english else entry["title_nl"]),
            hours=entry["hours"],
            needs_qualification=entry["needs_qualification"],
            current_owner=name(current["owner"]),
            current_backups=[name(p) for p in current["backups"]],
            proposed_owner=name(proposed["owner"]),
            proposed_backups=[name(p) for p in proposed["backups"]],
            changed=entry["changed"],
            owner_changed=current["owner"] != proposed["owner"],
            backup_changed=set(current["backups"]) != set(proposed["backups"]),
            drops=drops_without_replacement(entry),
            accepted_by=_user_name(decision.accepted_by) if decision else "",
            accepted_at=decision.accepted_at if decision else None,
            changed_since=entry["id"] in changed_since,
            plan_link=f"{plan_url}#item-{entry['id']}" if plan_url else "",
        )
        for reason in entry["reasons"]:
            text = reason_text(reason, name=name, show_skills=show_skills)
            if reason["role"] == AssignmentRole.OWNER:
                row.owner_reason = text
            else:
                row.backup_reason = text
        for slot in entry["uncovered"]:
            row.uncovered.append(uncovered_line(slot, entry, where=where, hours_of=hours_of))
        rows[row.id] = row
        domain = entry["domain_en"] if english else entry["domain_nl"]
        if show_all or row.changed or row.uncovered:
            if not groups or groups[-1].name != domain:
                groups.append(DomainRows(domain, []))
            groups[-1].rows.append(row)

    leaving_id = (result.get("whatif") or {}).get("person_id")
    loads = _recorded_loads(run, result, rows, decisions, changed_since, leaving_id)
    whatif = None
    if run.kind == RunKind.WHAT_IF and "whatif" in result:
        impact = result["whatif"]
        domains = {
            e["domain_code"]: (e["domain_en"] if english else e["domain_nl"]) for e in entries
        }
        owner_rows = [rows[t] for t in impact["owner_tasks"] if t in rows]
        backup_rows = [rows[t] for t in impact["backup_tasks"] if t in rows]
        lost = set(impact["owner_tasks"]) | set(impact["backup_tasks"])
        whatif = WhatIfView(
            person=name(impact["person_id"]),
            moved_elsewhere=sum(1 for r in rows.values() if r.changed and r.id not in lost),
            owner_tasks=owner_rows,
            backup_tasks=backup_rows,
            knowledge_tasks=[rows[t] for t in impact["knowledge_tasks"] if t in rows],
            knowledge_domains=[domains.get(c, c) for c in impact["knowledge_domains"]],
            owner_covered=sum(1 for r in owner_rows if r.proposed_owner),
            backup_covered=sum(1 for r in backup_rows if r.proposed_backups),
        )
    all_rows = list(rows.values())
    pending = [r for r in all_rows if r.changed and not r.accepted]
    without_owner = [
        (row, line) for row in all_rows for line in row.uncovered if line.kind != "train"
    ]
    by_reason: dict[str, OpenBackups] = {}
    for row in all_rows:
        for line in row.uncovered:
            if line.kind == "train":
                group = by_reason.setdefault(line.reason, OpenBackups(line.reason, line.advice, []))
                group.rows.append(row)
    return ProposalPage(
        run=run,
        groups=groups,
        loads=loads,
        notes=notes_text(result, names=names, tasks={e["id"]: e["code"] for e in entries}),
        quality=quality_text(result),
        over_now=_over_now(loads),
        uncovered_rows=[r for r in all_rows if r.uncovered],
        without_owner=without_owner,
        without_backup=list(by_reason.values()),
        whatif=whatif,
        summary=result.get("summary", {}),
        show_skills=show_skills,
        show_all=show_all,
        hidden_count=len(all_rows) - sum(len(g.rows) for g in groups),
        pending=len(pending),
        accept_all_count=sum(1 for r in pending if not r.drops and not r.changed_since),
        stale_count=sum(1 for r in pending if r.changed_since),
        step6_link=(reverse("stappenplan_step", args=[run.school_id, 6]) if run.school_id else ""),
        plan_link=plan_url,
    )


def _recorded_loads(run, result, rows, decisions, changed_since, leaving_id) -> list[LoadRow]:
    """Everyone's hours as the team dashboard counts them: the hours recorded on their
    assignments now ("before"), and what they would be once every open change of this
    proposal is accepted ("after"), with the rules of ``team.services.distribution_apply``
    (a new trekker carries the task's hours, a back-up starts without, whoever keeps a
    role keeps their hours). Two queries, whatever the size."""
    plan_id = result.get("plan_id")
    held: dict[int, dict[int, tuple[str, float]]] = defaultdict(dict)
    for a in Assignment.objects.filter(planned_task__plan_id=plan_id).values_list(
        "planned_task_id", "person_id", "role", "hours"
    ):
        held[a[0]][a[1]] = (a[2], float(a[3]))
    people = {p["id"]: p for p in result.get("people", [])}
    available = {pid: float(p["hours_available"]) for pid, p in people.items()}
    if run.school_id:
        available = dict.fromkeys(available, 0.0)
        for pid, hours in Availability.objects.filter(
            school_id=run.school_id, school_year_id=run.school_year_id
        ).values_list("person_id", "hours_available"):
            available[pid] = float(hours)
    before: dict[int, float] = defaultdict(float)
    after: dict[int, float] = defaultdict(float)
    entries = {e["id"]: e for e in result.get("tasks", [])}
    for task_id in set(held) | set(entries):
        now = held.get(task_id, {})
        for pid, (_role, hours) in now.items():
            before[pid] += hours
        row, entry = rows.get(task_id), entries.get(task_id)
        open_change = (
            row is not None
            and row.changed
            and task_id not in decisions
            and task_id not in changed_since
        )
        if not open_change:
            for pid, (_role, hours) in now.items():
                after[pid] += hours
            continue
        owner = entry["proposed"]["owner"]
        if owner is not None:
            role, hours = now.get(owner, ("", 0.0))
            keeps = role == AssignmentRole.OWNER or (role and hours > 0)
            after[owner] += hours if keeps else float(entry["hours"])
        for pid in entry["proposed"]["backups"]:
            role, hours = now.get(pid, ("", 0.0))
            after[pid] += hours if role == AssignmentRole.BACKUP else 0.0
    ids = [pid for pid in people if before[pid] or after[pid] or available.get(pid)]
    ids += sorted(pid for pid in set(before) | set(after) if pid not in people and before[pid])
    return [
        LoadRow(
            name=people[pid]["name"] if pid in people else _("iemand die niet meer in het team is"),
            available=available.get(pid, 0.0),
            before=round(before[pid], 2),
            after=round(after[pid], 2),
            in_team=people[pid]["in_team"] if pid in people else False,
            leaving=pid == leaving_id,
        )
        for pid in ids
    ]


def _over_now(loads: list[LoadRow]) -> int:
    return sum(1 for load in loads if load.over_before)


def _changed_since(entries: list[dict], decisions: dict) -> set[int]:
    """Tasks whose owner or back-ups are no longer what the proposal started from (one
    query). Accepted tasks changed because of the proposal itself, so they do not count."""
    ids = [e["id"] for e in entries if e["changed"] and e["id"] not in decisions]
    if not ids:
        return set()
    held: dict[int, tuple] = defaultdict(lambda: (None, set()))
    for task_id, person_id, role in Assignment.objects.filter(planned_task_id__in=ids).values_list(
        "planned_task_id", "person_id", "role"
    ):
        owner, backups = held[task_id]
        if role == AssignmentRole.OWNER:
            owner = person_id
        else:
            backups = backups | {person_id}
        held[task_id] = (owner, backups)
    return {
        e["id"]
        for e in entries
        if e["id"] in ids and held[e["id"]] != (e["current"]["owner"], set(e["current"]["backups"]))
    }


def _user_name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.email


# ------------------------------------------------------------------ codes to sentences

# From this fit score on (kennis 2 and zin 2 = 67) a match is worth calling strong.
STRONG_FIT = 60


def hours_text(value: float) -> str:
    value = round(float(value), 1)
    return formats.number_format(value, decimal_pos=0 if value == int(value) else 1)


def reason_text(reason: dict, *, name, show_skills: bool) -> str:
    """Why this person got this slot, in one or two short sentences."""
    codes = set(reason["codes"])
    owner = reason["role"] == AssignmentRole.OWNER
    parts: list[str] = []
    skill = (
        show_skills and reason.get("expertise") is not None and reason.get("motivation") is not None
    )
    skill_words = (
        _("kennis %(expertise)s, zin %(motivation)s (score %(score)s)")
        % {
            "expertise": reason["expertise"],
            "motivation": reason["motivation"],
            "score": round(reason["fit"]),
        }
        if skill
        else ""
    )
    if "locked" in codes:
        parts.append(_("Vastgezet op jouw vraag."))
    elif "kept_current" in codes:
        parts.append(
            _("Blijft bij de huidige trekker (continuïteit).")
            if owner
            else _("Blijft back-up (continuïteit).")
        )
        if "best_fit" in codes:
            parts.append(_("Ook de beste match."))
    elif "only_eligible" in codes:
        parts.append(_("De enige die deze taak kan opnemen."))
    elif "best_fit" in codes:
        if skill and reason["fit"] >= STRONG_FIT:
            parts.append(_("Beste match: %(skill)s.") % {"skill": skill_words})
        elif skill:
            parts.append(
                _("Past het best van wie het kan, al is het geen sterke match: %(skill)s.")
                % {"skill": skill_words}
            )
        else:
            parts.append(
                _("Past het best van de %(count)s mensen die het kunnen.")
                % {"count": reason["eligible_count"]}
            )
    elif skill:
        parts.append(
            _("%(skill)s; wie beter past, heeft geen uren meer vrij.")
            % {"skill": skill_words[:1].upper() + skill_words[1:]}
        )
    else:
        parts.append(
            _(
                "Nummer %(rank)s van de %(count)s mensen die het kunnen; wie beter past, heeft "
                "geen uren meer vrij."
            )
            % {"rank": reason["fit_rank"], "count": reason["eligible_count"]}
        )
    if "replaced_current" in codes and reason.get("previous") is not None:
        parts.append(_("Neemt over van %(name)s.") % {"name": name(reason["previous"])})
    if "fit_missing" in codes:
        parts.append(_("Voor deze taak is nog geen kennis en zin ingevuld."))
    if "over_hours" in codes:
        parts.append(
            _("Komt op %(after)s uur, meer dan de %(available)s uur die er zijn.")
            % {
                "after": hours_text(reason["hours_after"]),
                "available": hours_text(reason["hours_available"]),
            }
        )
    elif reason["hours_left"] < 0.05:
        parts.append(_("Zit daarmee precies aan de eigen uren."))
    else:
        parts.append(
            _("Houdt %(left)s uur over.") % {"left": hours_text(max(0, reason["hours_left"]))}
        )
    return " ".join(parts)


def uncovered_line(slot: dict, entry: dict, *, where: str, hours_of: dict) -> UncoveredLine:
    """Why a slot stays empty, and what the school can do about it (step 6)."""
    code = slot["reasons"][0] if slot["reasons"] else ""
    owner = slot["role"] == AssignmentRole.OWNER
    texts = {
        "no_eligible_person": (
            _("Niemand in het team heeft ICT-uren op deze school.")
            if where == "school"
            else _("Niemand heeft nog ICT-uren over naast de taken in de scholen.")
        ),
        "no_qualified_person": _(
            "Niemand met ICT-uren heeft een %(qualification)s, en deze taak vraagt dat."
        )
        % {"qualification": active_terms()["qualification"]},
        "no_one_has_hours": _("Niemand heeft genoeg uren voor deze taak (%(hours)s uur).")
        % {"hours": hours_text(entry["hours"])},
        "only_one_eligible_person": _(
            "Alleen de trekker kan deze taak; er is niemand anders voor de back-up."
        ),
        "hours_used_elsewhere": _("Wie het kan, heeft geen uren meer vrij."),
        "overload_too_costly": _("Dat zou iemand te veel overuren geven."),
    }
    reason = texts.get(code, _("Niemand kan deze taak opnemen."))
    if not owner:
        return UncoveredLine(
            AssignmentRole.BACKUP.label,
            reason,
            _(
                "Maak uren vrij, leid iemand op als back-up, of spreek een back-up af met een "
                "andere school."
            ),
            "train",
        )
    if entry["strategic"]:
        kind = "recruit"
        advice = _("Aanwerven: dit is een strategische taak, die kennis wil je in huis.")
    elif entry["outsourceable"] or entry["technical"]:
        kind = "outsource"
        advice = _("Uitbesteden: een niet-strategische of technische taak mag een partner doen.")
    elif code in ("no_one_has_hours", "hours_used_elsewhere", "overload_too_costly"):
        kind = "hours"
        advice = _("Uren vrijmaken (of overuren toestaan), of iemand aanwerven.")
    else:
        kind = "recruit"
        advice = _("Aanwerven, of iemand opleiden voor deze taak.")
    if code == "no_qualified_person" and kind != "recruit":
        kind = "recruit"
        advice = _("Aanwerven: iemand met een %(qualification)s.") % {
            "qualification": active_terms()["qualification"]
        }
    return UncoveredLine(AssignmentRole.OWNER.label, reason, advice, kind)


def notes_text(result: dict, *, names: dict, tasks: dict) -> list[str]:
    """Remarks about the run: choices that could not be kept, answers that are missing."""
    lines = []
    for note in result.get("notes", []):
        values = {
            "name": names.get(note.get("person_id"), "?"),
            "task": tasks.get(note.get("task_id"), "?"),
        }
        code = note["code"]
        if code == "lock_not_in_team":
            lines.append(
                _("%(task)s is niet vastgezet: %(name)s staat niet meer in het team.") % values
            )
        elif code == "lock_no_hours":
            lines.append(
                _("%(task)s is niet vastgezet: %(name)s heeft hier geen ICT-uren.") % values
            )
        elif code == "lock_not_qualified":
            lines.append(
                _(
                    "%(task)s is niet vastgezet: %(name)s heeft geen %(qualification)s, en de "
                    "taak vraagt dat."
                )
                % {**values, "qualification": active_terms()["qualification"]}
            )
        elif code == "lock_over_hours":
            available = next(
                (p["hours_available"] for p in result["people"] if p["id"] == note["person_id"]),
                0,
            )
            lines.append(
                _(
                    "Niet alles van %(name)s kon vast blijven: samen %(hours)s uur, meer dan de "
                    "%(available)s uur die er zijn. Vrijgelaten: %(tasks)s. Sta overuren toe "
                    "als dat mag."
                )
                % {
                    **values,
                    "hours": hours_text(note["value"]),
                    "available": hours_text(available),
                    "tasks": ", ".join(tasks.get(t, "?") for t in note.get("task_ids", [])),
                }
            )
    for message in result.get("messages", []):
        if message["code"] == "fit_missing_default_used":
            lines.append(
                _(
                    "Voor %(count)s combinaties van persoon en taak is nog geen kennis en zin "
                    "ingevuld; daar rekende de assistent met een lage score. Vraag het team om "
                    "hun kennis en motivatie in te vullen."
                )
                % {"count": int(message["value"] or 0)}
            )
        elif message["code"] == "time_limit_start_solution":
            lines.append(
                _(
                    "De rekentijd was op voor de assistent de eerste verdeling kon verbeteren. "
                    "Die verdeling voldoet aan alle regels, maar is misschien niet de beste: "
                    "probeer opnieuw met meer rekentijd."
                )
            )
        elif message["code"] == "time_limit_before_first_solution":
            lines.append(
                _("De rekentijd was op voor er een voorstel was; alleen wat vastligt, is ingevuld.")
            )
        elif message["code"] == "no_hours_available":
            lines.append(_("Niemand heeft ICT-uren: vul eerst de uren van het team in."))
    return lines


def quality_text(result: dict) -> str:
    status = result.get("status")
    changed = (result.get("summary") or {}).get("changed", 0)
    if status == "optimal" and not changed:
        return _("De huidige verdeling is al de beste binnen je keuzes: er verandert niets.")
    if status == "optimal":
        return ngettext(
            "Dit voorstel is de beste verdeling binnen je keuzes: %(count)s taak wordt anders "
            "verdeeld dan nu.",
            "Dit voorstel is de beste verdeling binnen je keuzes: %(count)s taken worden anders "
            "verdeeld dan nu.",
            changed,
        ) % {"count": changed}
    if status == "feasible":
        return _("De rekentijd was op: dit is de beste verdeling die de assistent vond.")
    if status == "empty":
        return _("Er viel niets te verdelen.")
    return ""


def failure_text(run: ProposalRun) -> str:
    if run.has_given_up:
        return _(
            "Dit voorstel raakte niet klaar: de achtergrondverwerking is gestopt. Er is niets "
            "veranderd; maak een nieuw voorstel."
        )
    error = (run.result or {}).get("error")
    if error == "interrupted":
        return run.message
    if error == "no_plan":
        return _(
            "Er is nog geen takenoverzicht voor dit schooljaar. Maak het eerst: daarin beslis "
            "je welke taken het eigen team doet."
        )
    if error == "person_not_in_team":
        return _("Deze persoon heeft geen ICT-uren en geen taken (meer) in deze school.")
    if error == "no_solution_yet":
        if offers_more_time(run):
            return _(
                "Binnen de rekentijd vond de assistent nog geen verdeling die aan alle regels "
                "voldoet. Dat betekent niet dat er geen is: probeer opnieuw met meer rekentijd."
            )
        return _(
            "Ook met meer rekentijd vond de assistent nog geen verdeling die aan alle regels "
            "voldoet. Dat betekent niet dat er geen is: zet minder taken of mensen vast en "
            "probeer opnieuw."
        )
    if error == "solver":
        return _(
            "Met deze keuzes kon de assistent geen verdeling maken. Zet minder vast of sta "
            "overuren toe, en probeer opnieuw."
        )
    return run.message or _("Het voorstel kon niet gemaakt worden. Probeer het opnieuw.")


def status_label(run: ProposalRun) -> str:
    if run.has_given_up:
        return str(RunStatus.FAILED.label)
    return run.get_status_display()


def options_summary(run: ProposalRun) -> list[str]:
    """The user's choices in a few words, shown under the title of the run."""
    if run.kind == RunKind.WHAT_IF:
        lines = [_("De rest van de verdeling blijft zo veel mogelijk waar ze is.")]
    else:
        levels = {"laag": _("laag"), "middel": _("middel"), "hoog": _("hoog")}
        options = run.options or {}
        lines = [
            _("Continuïteit: %(continuity)s; eerlijke spreiding: %(balance)s.")
            % {
                "continuity": levels.get(options.get("continuity"), levels["middel"]),
                "balance": levels.get(options.get("balance"), levels["middel"]),
            }
        ]
        if options.get("keep_owners"):
            lines.append(_("Alle huidige trekkers blijven."))
        if options.get("locked_tasks"):
            lines.append(
                ngettext(
                    "%(count)s taak vastgezet.",
                    "%(count)s taken vastgezet.",
                    len(options["locked_tasks"]),
                )
                % {"count": len(options["locked_tasks"])}
            )
        if options.get("locked_people"):
            lines.append(
                ngettext(
                    "%(count)s persoon houdt zijn taken.",
                    "%(count)s mensen houden hun taken.",
                    len(options["locked_people"]),
                )
                % {"count": len(options["locked_people"])}
            )
    if (run.options or {}).get("allow_overload"):
        lines.append(_("Overuren mogen als het niet anders kan."))
    else:
        lines.append(_("Niemand gaat boven de eigen ICT-uren."))
    if (run.options or {}).get("more_time"):
        lines.append(_("Met meer rekentijd."))
    return lines


def offers_more_time(run: ProposalRun) -> bool:
    """A run that ran out of time before any distribution: offer one with more time."""
    options = run.options or {}
    return (run.result or {}).get("error") == "no_solution_yet" and not options.get("more_time")


def progress_phase(run: ProposalRun) -> str:
    """What the running assistant is doing now, read from its progress (PHASE_PROGRESS)."""
    from .problem import PHASE_PROGRESS

    started = [key for key, percent in PHASE_PROGRESS.items() if percent <= run.progress]
    if not started:
        return _("De gegevens van de school worden gelezen.")
    role, phase = max(started, key=lambda key: PHASE_PROGRESS[key])
    if role == "owners":
        texts = {
            "prepare": _("Trekkers: wie komt in aanmerking voor welke taak."),
            "start": _("Trekkers: een eerste verdeling die aan alle regels voldoet."),
            "search": _("Trekkers: de assistent zoekt een betere verdeling."),
            "explain": _("Trekkers: de keuzes worden uitgelegd."),
        }
    else:
        texts = {
            "prepare": _("Back-ups: wie komt in aanmerking voor welke taak."),
            "start": _("Back-ups: een eerste verdeling die aan alle regels voldoet."),
            "search": _("Back-ups: de assistent zoekt een betere verdeling."),
            "explain": _("Back-ups: de keuzes worden uitgelegd."),
        }
    return texts[phase]
