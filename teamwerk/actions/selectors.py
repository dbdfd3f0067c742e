"""Reads for actions: scoped to the user through ``Action.objects.for_user``.

Public API for other modules:

- ``home_actions(user, school)``: the user's own open actions, overdue first (home card).
- ``actions_for_source(user, source, source_ref)``: the actions made from one origin (a
  conversation, an evaluation round), as the user may see them.
- ``my_actions(user)``: every open or done action whose owner is the user's linked person.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from teamwerk.core.sensitive import mark_sensitive
from teamwerk.tenancy.roles import Action as Perm
from teamwerk.tenancy.selectors import user_can

from .models import Action, ActionSource, ActionStatus, ReminderSettings
from .services import is_owner, may_edit_actions, token_hash

HOME_LIMIT = 5


def actions_for_user(user, perm: str = Perm.VIEW) -> QuerySet[Action]:
    return Action.objects.for_user(user, perm).select_related("owner", "school", "organisation")


def action_get(user, pk) -> Action:
    """An action the user may see, or 404 (another school's action is not leaked)."""
    try:
        return actions_for_user(user).get(pk=pk)
    except (Action.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _overdue_first(queryset: QuerySet[Action], today: dt.date) -> QuerySet[Action]:
    return queryset.annotate(
        overdue_rank=Case(
            When(done_on__isnull=True, due__lt=today, then=Value(0)),
            When(done_on__isnull=True, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    ).order_by("overdue_rank", F("due").asc(nulls_last=True), "pk")


@dataclass(frozen=True)
class ActionFilter:
    """The filters of a list (from the query string; unknown values are ignored)."""

    source: str = ""
    owner: int | None = None
    status: str = ""
    overdue: bool = False
    state: str = "open"  # open, done, all

    @classmethod
    def from_query(cls, query) -> ActionFilter:
        source = query.get("bron", "")
        status = query.get("fase", "")
        state = query.get("toon", "open")
        try:
            owner = int(query.get("trekker", "")) or None
        except ValueError:
            owner = None
        return cls(
            source=source if source in ActionSource.values else "",
            owner=owner,
            status=status if status in ActionStatus.values else "",
            overdue=query.get("te_laat") in ("1", "on", "true"),
            state=state if state in ("open", "done", "all") else "open",
        )

    @property
    def active(self) -> bool:
        return bool(
            self.source or self.owner or self.status or self.overdue or self.state != "open"
        )

    def apply(self, queryset: QuerySet[Action], today: dt.date) -> QuerySet[Action]:
        if self.source:
            queryset = queryset.filter(source=self.source)
        if self.owner:
            queryset = queryset.filter(owner_id=self.owner)
        if self.status:
            queryset = queryset.filter(status=self.status)
        if self.overdue:
            queryset = queryset.filter(done_on__isnull=True, due__lt=today)
        elif self.state == "open":
            queryset = queryset.filter(done_on__isnull=True)
        elif self.state == "done":
            queryset = queryset.filter(done_on__isnull=False)
        return queryset


def school_actions(user, school, filters: ActionFilter, today: dt.date | None = None):
    today = today or timezone.localdate()
    rows = actions_for_user(user).filter(school=school)
    return _overdue_first(filters.apply(rows, today), today)


def group_actions(user, organisation, filters: ActionFilter, today: dt.date | None = None):
    today = today or timezone.localdate()
    rows = actions_for_user(user).filter(organisation=organisation, school__isnull=True)
    return _overdue_first(filters.apply(rows, today), today)


def my_actions(user, filters: ActionFilter | None = None, today: dt.date | None = None):
    """Actions whose owner is the person linked to this account (in any organisation the
    user still has a role in)."""
    today = today or timezone.localdate()
    rows = actions_for_user(user).filter(owner__user=user)
    if filters is not None:
        rows = filters.apply(rows, today)
    return _overdue_first(rows, today)


def home_actions(user, school=None, today: dt.date | None = None) -> dict:
    """The home card: the user's own open actions (overdue first, at most HOME_LIMIT), how
    many there are and how many are overdue. ``school`` is accepted for the home page's
    call; the user's own actions of every school are shown."""
    today = today or timezone.localdate()
    if not user.is_authenticated:
        return {"items": [], "count": 0, "overdue": 0, "today": today}
    rows = my_actions(user, ActionFilter(), today)
    items = list(rows[:HOME_LIMIT])
    count = rows.count() if len(items) == HOME_LIMIT else len(items)
    overdue = rows.filter(due__lt=today).count() if items else 0
    return {"items": items, "count": count, "overdue": overdue, "today": today}


def actions_for_source(user, source: str, source_ref: str) -> QuerySet[Action]:
    return actions_for_user(user).filter(source=source, source_ref=source_ref)


def owner_choices(user, organisation, school=None, *, keep=None):
    """People an action of this school (or the group) can be given to: active people with a
    place in the school this school year (or of the organisation for a group action) whom
    the user may see; ``keep``: the current owner stays a choice."""
    from teamwerk.team.models import Availability, Person
    from teamwerk.tenancy.selectors import current_school_year

    people = Person.objects.for_user(user).filter(organisation=organisation)
    chosen = Q(active=True)
    if school is not None:
        year = current_school_year(organisation)
        chosen &= Q(
            pk__in=Availability.objects.filter(school=school, school_year=year).values("person_id")
        )
    if keep is not None:
        chosen |= Q(pk=keep)
    return people.filter(chosen).order_by("last_name", "first_name", "pk")


def owners_in(queryset: QuerySet[Action]):
    """The owners that occur in a list (the owner filter's choices)."""
    from teamwerk.team.models import Person

    return Person.objects.filter(pk__in=queryset.values("owner_id")).order_by(
        "last_name", "first_name"
    )


def may_progress(user, action: Action) -> bool:
    return is_owner(user, action) or may_edit_actions(
        user, organisation=action.organisation, school=action.school
    )


def may_edit(user, action: Action) -> bool:
    return may_edit_actions(user, organisation=action.organisation, school=action.school)


def action_history(action: Action, limit: int = 30) -> list:
    return list(
        action.history.select_related("history_user", "owner").order_by("-history_date")[:limit]
    )


# ------------------------------------------------------------------ professionalisation


@dataclass
class Wish:
    person_id: int
    person_name: str
    text: str


@dataclass
class WishTopic:
    """What several people want to learn in one domain (or one task of it)."""

    key: str
    domain: str
    task: str = ""
    wishes: list[Wish] = field(default_factory=list)
    action_count: int = 0

    @property
    def people(self) -> int:
        return len({w.person_id for w in self.wishes})

    @property
    def title(self) -> str:
        return f"{self.domain} · {self.task}" if self.task else self.domain


def may_read_wishes(user, school) -> bool:
    """The overview of a school's development wishes: who reads the ratings of the school's
    people (directie / ICT coordinator of the school, or organisation-wide)."""
    return user_can(user, Perm.VIEW_SENSITIVE, school=school)


def professionalisation_overview(user, school, school_year) -> list[WishTopic]:
    """Who wants to learn what at this school, grouped by domain (and task): the wishes
    only, never the expertise or motivation next to them. Reads through team's
    ``ratings_for`` (who may read whose ratings), marks the response no-store and records
    the read like any read of someone else's ratings."""
    from teamwerk.team.models import Availability
    from teamwerk.team.selectors import ratings_for, record_ratings_read

    mark_sensitive()
    people = Availability.objects.filter(school=school, school_year=school_year).values("person_id")
    rows = (
        ratings_for(user)
        .filter(person_id__in=people, person__active=True)
        .exclude(development_wish="")
        .select_related("person", "domain", "task")
        .order_by("domain__order", "task__code", "person__last_name", "person__first_name")
    )
    topics: dict[str, WishTopic] = {}
    seen: set[int] = set()
    for row in rows:
        text = row.development_wish.strip()
        if not text:
            continue
        key = f"d{row.domain_id}" + (f"-t{row.task_id}" if row.task_id else "")
        topic = topics.get(key)
        if topic is None:
            topic = topics[key] = WishTopic(
                key=key,
                domain=str(row.domain.name),
                task=f"{row.task.code} {row.task.title}" if row.task_id else "",
            )
        topic.wishes.append(Wish(row.person_id, row.person.full_name, text))
        seen.add(row.person_id)
    counts = defaultdict(int)
    for ref in Action.objects.filter(
        school=school, source=ActionSource.PROFESSIONALISATION, source_ref__startswith="wish:"
    ).values_list("source_ref", flat=True):
        counts[ref.removeprefix("wish:")] += 1
    for key, topic in topics.items():
        topic.action_count = counts.get(key, 0)
    if seen:
        record_ratings_read(user, seen)
    return list(topics.values())


# ----------------------------------------------------------------------------- calendar


def calendar_user(token: str):
    """The user whose calendar feed this secret opens, or None (an old or wrong token)."""
    if not token or len(token) > 100:
        return None
    row = (
        ReminderSettings.objects.filter(calendar_token_hash=token_hash(token))
        .select_related("user")
        .first()
    )
    if row is None or not row.user.is_active:
        return None
    return row.user


def reminder_settings_for(user) -> ReminderSettings | None:
    return ReminderSettings.objects.filter(user=user).first()


def source_url_for(source: str, ref: str | None, school) -> str:
    """The page an action made from a route step, an agreement or a task links back to,
    from its reference; only a page of the action's own school, else nothing."""
    from django.urls import reverse

    from teamwerk.planning.models import PlannedTask
    from teamwerk.team.models import Agreement

    if school is None or not ref or len(ref) > 18:  # an id, not a number out of range
        return ""
    if source == ActionSource.ROUTE_STEP:
        school_id, _sep, number = ref.partition(":")
        if school_id == str(school.pk) and number.isdigit() and 1 <= int(number) <= 8:
            return reverse("stappenplan_step", kwargs={"school_id": school.pk, "number": number})
        return ""
    pages = {
        ActionSource.AGREEMENT_REVIEW: (Agreement, "team_agreement_edit"),
        ActionSource.TASK: (PlannedTask, "team_task"),
    }
    if source in pages and ref.isdigit():
        model, url_name = pages[source]
        if model.objects.filter(pk=int(ref), school=school).exists():
            return reverse(url_name, kwargs={"pk": int(ref)})
    return ""
