"""Reads of the catalogue: the standard tasks plus the organisation's own, scoped to the user."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from teamwerk.core.i18n import current_language
from teamwerk.tenancy.querysets import scope_for
from teamwerk.tenancy.roles import Action

from .content import SEED_004_BULLETS
from .models import Domain, HiddenTask, Profile, Task

FLAG_FIELDS = {
    "core": "core",
    "strategic": "strategic",
    "technical": "technical",
    "pedagogical": "needs_pedagogical_qualification",
    "outsourceable": "outsourceable",
}


def catalogue_tasks(user, organisation) -> QuerySet[Task]:
    """Every task the organisation can use (standard and own, not retired), readable by the user."""
    tasks = Task.objects.for_user(user).filter(retired=False)
    if organisation is not None:
        tasks = tasks.filter(Q(organisation__isnull=True) | Q(organisation=organisation))
    else:
        tasks = tasks.filter(organisation__isnull=True)
    return tasks.select_related("domain").prefetch_related(
        Prefetch("profiles", queryset=Profile.objects.order_by("name_nl"))
    )


def hidden_task_ids(organisation) -> set[int]:
    if organisation is None:
        return set()
    return set(
        HiddenTask.objects.filter(organisation=organisation).values_list("task_id", flat=True)
    )


def task_get(user, pk) -> Task:
    """A task the user may read (standard, or own task of one of their organisations), or 404."""
    try:
        return (
            Task.objects.for_user(user)
            .select_related("domain", "organisation")
            .prefetch_related(Prefetch("profiles", queryset=Profile.objects.order_by("name_nl")))
            .get(pk=pk)
        )
    except (Task.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def own_task_get(user, pk, organisation) -> Task:
    """An own task of this organisation that the user may change, or 404."""
    try:
        return Task.objects.changeable_by(user).get(pk=pk, organisation=organisation)
    except (Task.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def can_add_own_tasks(user, organisation) -> bool:
    return (
        organisation is not None and organisation.pk in scope_for(user, Action.EDIT).organisations
    )


def can_change_own_task(user, task: Task) -> bool:
    return not task.is_standard and Task.objects.changeable_by(user).filter(pk=task.pk).exists()


def own_task_school(user, organisation, school):
    """The school an own task the user makes belongs to: none for an organisation-wide role
    (the task is the organisation's), else the current school, where the user must edit."""
    scope = scope_for(user, Action.EDIT)
    if organisation.pk in scope.organisation_wide:
        return None
    if (
        school is not None
        and school.organisation_id == organisation.pk
        and school.pk in scope.schools
    ):
        return school
    raise PermissionDenied


def can_hide_tasks(user, organisation) -> bool:
    return (
        organisation is not None
        and organisation.pk in scope_for(user, Action.MANAGE_ORGANISATION).organisation_wide
    )


@dataclass
class CatalogueFilters:
    q: str = ""
    domain: str = ""
    flags: list[str] = field(default_factory=list)
    level: str = ""
    profile: str = ""
    origin: str = ""  # "" | "standard" | "own"

    @property
    def active(self) -> bool:
        return any((self.q, self.domain, self.flags, self.level, self.profile, self.origin))

    def apply(self, tasks: QuerySet[Task]) -> QuerySet[Task]:
        if self.domain:
            tasks = tasks.filter(domain__code=self.domain)
        for flag in self.flags:
            tasks = tasks.filter(**{FLAG_FIELDS[flag]: True})
        if self.level:
            tasks = tasks.filter(usual_level=self.level)
        if self.profile:
            tasks = tasks.filter(profiles__code=self.profile)
        if self.origin == "standard":
            tasks = tasks.filter(organisation__isnull=True)
        elif self.origin == "own":
            tasks = tasks.filter(organisation__isnull=False)
        for word in self.q.split():
            tasks = tasks.filter(
                Q(code__icontains=word)
                | Q(title_nl__icontains=word)
                | Q(title_en__icontains=word)
                | Q(description_nl__icontains=word)
                | Q(description_en__icontains=word)
            )
        return tasks.distinct()


@dataclass
class DomainGroup:
    domain: Domain
    tasks: list[Task]


def group_by_domain(tasks) -> list[DomainGroup]:
    groups: dict[int, DomainGroup] = {}
    for task in tasks:
        groups.setdefault(task.domain_id, DomainGroup(task.domain, [])).tasks.append(task)
    return sorted(groups.values(), key=lambda g: (g.domain.order, g.domain.code))


def profiles_with_tasks(user, organisation) -> list[Profile]:
    tasks = catalogue_tasks(user, organisation).order_by("domain__order", "code")
    return list(
        Profile.objects.order_by("name_nl").prefetch_related(
            Prefetch("tasks", queryset=tasks.prefetch_related(None), to_attr="visible_tasks")
        )
    )


# -- where a task comes from -------------------------------------------------------------------

SEED_ROLE_NAMES = {
    "hr": "HR-medewerker",
    "ibp": "IBP-medewerker",
    "im": "informatiemanager",
}


@dataclass
class SourceLabel:
    document: str
    detail: str
    quote: str = ""


def source_label(ref: str) -> SourceLabel:
    """A source reference ("004:A.1.3", "000:website", "teamwerk") in words."""
    if ref == "teamwerk":
        return SourceLabel(_("Aanvulling van Teamwerk"), "")
    seed, _colon, rest = ref.partition(":")
    if seed == "004":
        quote = SEED_004_BULLETS.get(ref, "") if current_language() == "nl" else ""
        return SourceLabel(_("Modelfunctiebeschrijving ICT-coördinator"), rest, quote)
    if seed == "000":
        return SourceLabel(_("Vacature projectleider digitalisering"), rest.replace("-", " "))
    if seed == "001":
        match = re.fullmatch(r"stap(\d+)", rest)
        detail = _("stap %(number)s") % {"number": match[1]} if match else rest
        return SourceLabel(_("Stappenplan naar teamgerichte ICT-coördinatie"), detail)
    if seed == "002":
        detail = (
            _("onderwerp %(number)s") % {"number": rest}
            if re.fullmatch(r"\d+(\.\d+)*", rest)
            else SEED_ROLE_NAMES.get(rest, rest)
        )
        return SourceLabel(_("Kennisnet-gids over ICT-bekwaamheid"), detail)
    return SourceLabel(ref, "")
