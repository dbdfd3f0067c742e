"""Which models hold an organisation's data, found by walking the model registry.

A model belongs to an organisation when it has a path of foreign keys to
``tenancy.Organisation``: the model's own ``tenant_organisation_field``, a foreign key to the
organisation, or a foreign key to a model that has such a path (a comment on an action, the
through table of a many-to-many field). Historical models (django-simple-history) are found the
same way; the history of the organisation itself by its ``id``.

Every other model must be named below with the reason it is not part of an organisation's
archive; ``tests/test_registry.py`` fails for a model that is neither (a new app's model
without a path to an organisation has to be placed deliberately).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.db import models

ORGANISATION = "tenancy.organisation"
USER = "accounts.user"

# Shared content referred to by an organisation's rows, matched by a natural key on import
# (never copied over what is there; created only when missing).
REFERENCE_KEYS: dict[str, tuple[str, ...]] = {
    "catalogue.domain": ("code",),
    "catalogue.profile": ("code",),
    "catalogue.task": ("code",),  # the standard catalogue (rows without an organisation)
    USER: ("email",),
}

# Models that are not an organisation's data, with the reason.
NOT_ORGANISATION_DATA: dict[str, str] = {
    "admin.logentry": "Django admin's own log of staff edits (no organisation)",
    "auth.permission": "framework data, made by migrations",
    "auth.group": "framework data (not used by Teamwerk)",
    "auth.group_permissions": "framework data (not used by Teamwerk)",
    "contenttypes.contenttype": "framework data, made by migrations",
    "sessions.session": "sign-in sessions; a restored organisation signs in again",
    "account.emailaddress": "per account (allauth), not per organisation; addresses are "
    "verified again after a restore",
    "account.emailconfirmation": "short-lived confirmation keys",
    "mfa.authenticator": "per account secrets (TOTP, recovery codes); never leave the server",
    "django_tasks_database.dbtaskresult": "background work in progress; not restored",
    "core.dailyjobrun": "the server's own bookkeeping of daily jobs",
    "core.introdismissal": "per account: which module explanations a user closed",
    "accounts.user": "accounts: exported as references (e-mail, name, language), matched by "
    "e-mail on import and created without a usable password",
    "accounts.user_groups": "framework data (not used by Teamwerk)",
    "accounts.user_user_permissions": "framework data (not used by Teamwerk)",
    "catalogue.domain": "the standard catalogue (content shipped with the code)",
    "catalogue.profile": "the standard catalogue (content shipped with the code)",
    "catalogue.cataloguestate": "which catalogue file is loaded on this server",
    "actions.remindersent": "per account bookkeeping of reminders already sent",
    "actions.remindersettings": "per account reminder preferences",
    "actions.historicalremindersettings": "history of per account reminder preferences",
}


def label_of(model) -> str:
    return model._meta.label_lower


def is_historical(model) -> bool:
    return hasattr(model, "instance_type") and model._meta.pk.name == "history_id"


def _fk_fields(model):
    return [f for f in model._meta.concrete_fields if isinstance(f, models.ForeignKey)]


@cache
def organisation_path(model) -> str | None:
    """The ORM lookup from ``model`` to its organisation's id, or None."""
    return _organisation_path(model, depth=0)


def _organisation_path(model, depth: int) -> str | None:
    label = label_of(model)
    if label == ORGANISATION:
        return "pk"
    if is_historical(model) and label_of(model.instance_type) == ORGANISATION:
        return "id"
    own = getattr(model, "tenant_organisation_field", None)
    if own and not is_historical(model):
        return "pk" if own == "id" else f"{own}_id"
    fks = _fk_fields(model)
    for field in fks:
        if label_of(field.related_model) == ORGANISATION:
            return field.attname
    if depth >= 3:
        return None
    for field in fks:
        target = field.related_model
        if label_of(target) in (USER, *NOT_ORGANISATION_DATA) or target is model:
            continue
        inner = _organisation_path(target, depth + 1)
        if inner is not None:
            return f"{field.name}__{'pk' if inner == 'pk' else inner}"
    return None


@dataclass(frozen=True)
class Covered:
    model: type[models.Model]
    path: str

    @property
    def label(self) -> str:
        return label_of(self.model)


def all_models():
    return apps.get_models(include_auto_created=True)


@cache
def organisation_models() -> tuple[Covered, ...]:
    """Every model with an organisation path, live models in dependency order, then history."""
    found = {label_of(m): m for m in all_models() if organisation_path(m) is not None}
    live = {label: m for label, m in found.items() if not is_historical(m)}
    ordered: list[str] = []
    visiting: set[str] = set()

    def visit(label: str) -> None:
        if label in ordered:
            return
        if label in visiting:
            raise RuntimeError(f"foreign keys between organisation models form a cycle at {label}")
        visiting.add(label)
        for field in _fk_fields(live[label]):
            target = label_of(field.related_model)
            if target in live and target != label:
                visit(target)
        visiting.discard(label)
        ordered.append(label)

    for label in sorted(live):
        visit(label)
    ordered += sorted(label for label in found if label not in live)
    return tuple(Covered(found[label], organisation_path(found[label])) for label in ordered)


def uncovered_models() -> list[str]:
    """Models that are neither an organisation's data nor declared otherwise."""
    covered = {c.label for c in organisation_models()}
    return sorted(
        label_of(m)
        for m in all_models()
        if label_of(m) not in covered and label_of(m) not in NOT_ORGANISATION_DATA
    )


def organisation_rows(covered: Covered, organisation_id: int):
    """The rows of one covered model that belong to the organisation (no default filters)."""
    manager = covered.model._base_manager
    return manager.filter(**{covered.path: organisation_id})
