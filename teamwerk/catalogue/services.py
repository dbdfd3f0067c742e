"""Writes for the catalogue: loading the standard file, own tasks, hiding standard tasks."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from teamwerk.core.versions import check_version
from teamwerk.tenancy.querysets import scope_for
from teamwerk.tenancy.roles import Action

from .content import Catalogue, default_catalogue
from .models import CatalogueState, Domain, HiddenTask, Profile, Task


def catalogue_load(*, catalogue: Catalogue | None = None, force: bool = False) -> int:
    """Load or upgrade the standard catalogue. Idempotent; schools' plans are never touched:
    tasks keep their primary key, and a task that left the file is retired, not deleted."""
    catalogue = catalogue or default_catalogue()
    with transaction.atomic():
        state, _ = CatalogueState.objects.select_for_update().get_or_create(pk=1)
        if state.version == catalogue.version and not force:
            return state.version
        domains = {}
        for domain in catalogue.domains:
            domains[domain.code], _ = Domain.objects.update_or_create(
                code=domain.code,
                defaults={
                    "order": domain.order,
                    "seed_ref": domain.seed_ref,
                    "name_nl": domain.name.nl,
                    "name_en": domain.name.en,
                    "description_nl": domain.description.nl,
                    "description_en": domain.description.en,
                },
            )
        profiles = {}
        for profile in catalogue.profiles:
            profiles[profile.code], _ = Profile.objects.update_or_create(
                code=profile.code,
                defaults={
                    "name_nl": profile.name.nl,
                    "name_en": profile.name.en,
                    "description_nl": profile.description.nl,
                    "description_en": profile.description.en,
                    "competences": [{"nl": c.nl, "en": c.en} for c in profile.competences],
                },
            )
        codes = set()
        for spec in catalogue.tasks:
            codes.add(spec.code)
            task, _ = Task.objects.update_or_create(
                organisation=None,
                code=spec.code,
                defaults={
                    "domain": domains[spec.domain],
                    "title_nl": spec.title.nl,
                    "title_en": spec.title.en,
                    "description_nl": spec.description.nl,
                    "description_en": spec.description.en,
                    "core": spec.core,
                    "strategic": spec.strategic,
                    "technical": spec.technical,
                    "needs_pedagogical_qualification": spec.needs_pedagogical_qualification,
                    "outsourceable": spec.outsourceable,
                    "usual_level": spec.usual_level,
                    "hours_min": spec.usual_hours[0],
                    "hours_max": spec.usual_hours[1],
                    "sources": list(spec.sources),
                    "catalogue_version": catalogue.version,
                    "retired": False,
                },
            )
            task.profiles.set([profiles[code] for code in spec.profiles])
        Task.objects.filter(organisation__isnull=True).exclude(code__in=codes).update(retired=True)
        state.version = catalogue.version
        state.save()
        return state.version


def own_task_code(organisation, domain: Domain) -> str:
    """The next free code for an organisation's own task in a domain: POL-E01, POL-E02, ...
    (standard codes are POL-01; the E keeps own tasks apart from future standard ones)."""
    prefix = f"{domain.code}-E"
    taken = set(
        Task.objects.filter(organisation=organisation, code__startswith=prefix).values_list(
            "code", flat=True
        )
    )
    number = 1
    while f"{prefix}{number:02d}" in taken:
        number += 1
    return f"{prefix}{number:02d}"


def task_create_own(*, actor, organisation, school=None, **fields) -> Task:
    """An organisation's own task, next to the standard ones. Without a code it gets the
    next free one of its domain. Made for ``school``: that school's directie and ICT
    coordinator may change it later; without a school only organisation-wide roles may make
    (and change) it."""
    scope = scope_for(actor, Action.EDIT)
    if school is not None:
        if school.organisation_id != organisation.pk or not (
            organisation.pk in scope.organisation_wide or school.pk in scope.schools
        ):
            raise PermissionDenied
    elif organisation.pk not in scope.organisation_wide:
        raise PermissionDenied
    fields.pop("version", None)
    with transaction.atomic():
        profiles = fields.pop("profiles", [])
        if not fields.get("code"):
            fields["code"] = own_task_code(organisation, fields["domain"])
        task = Task(organisation=organisation, made_by_school=school, **fields)
        task.full_clean()
        task._history_user = actor
        task.save()
        if profiles:
            task.profiles.set(profiles)
        return task


def task_update_own(*, actor, task: Task, expected_version: int | None = None, **fields) -> Task:
    """Change an organisation's own task (standard tasks change only with the catalogue file).

    ``expected_version`` is the version the form was filled in on (None = no check); a stale
    one raises ``ConcurrentChange`` with the stored task and changes nothing."""
    if task.organisation_id is None:
        raise PermissionDenied
    if not Task.objects.changeable_by(actor).filter(pk=task.pk).exists():
        raise PermissionDenied
    with transaction.atomic():
        task = Task.objects.select_for_update().order_by().get(pk=task.pk)
        if expected_version is not None:
            check_version(task.version, expected_version, current=task)
        profiles = fields.pop("profiles", None)
        fields.pop("code", None)
        fields.pop("organisation", None)
        fields.pop("version", None)
        for name, value in fields.items():
            setattr(task, name, value)
        task.version += 1
        task.full_clean()
        task._history_user = actor
        task.save()
        if profiles is not None:
            task.profiles.set(profiles)
        return task


def task_set_hidden(*, actor, organisation, task: Task, hidden: bool) -> None:
    if organisation.pk not in scope_for(actor, Action.MANAGE_ORGANISATION).organisation_wide:
        raise PermissionDenied
    with transaction.atomic():
        if hidden:
            HiddenTask.objects.get_or_create(organisation=organisation, task=task)
        else:
            HiddenTask.objects.filter(organisation=organisation, task=task).delete()
