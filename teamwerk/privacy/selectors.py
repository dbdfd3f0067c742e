"""Reads of the privacy pages: whose data a user may export or erase, everything held about a
person, why an erasure is refused, and the processing register.

Who may do what (docs/security.md, "AVG"):

- export a person's data (art. 15/20): the directie of a school the person works in, the
  organisation's beheerders and organisation-wide directie, and the person themself;
- erase a person (art. 17): the same directie and beheerders, never the person themself (a
  request goes through the school, which checks it first);
- change the retention periods: who manages the organisation's settings (beheerder).

Everyone else gets 404. Every read of a person's data here marks the response no-store.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.apps import apps
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from teamwerk.core.sensitive import mark_sensitive
from teamwerk.team.models import Person
from teamwerk.tenancy.roles import Action

from .register import PERSON, REGISTER, USER
from .registry import is_historical, label_of

# Never part of an export: secrets, not information about the person.
SECRET_FIELDS = {"password", "token", "token_hash", "calendar_token_hash"}
SECRET_MODELS = {"mfa.authenticator"}


def _managed_people(user):
    return Person.objects.for_user(user, Action.MANAGE_MEMBERS)


def may_export(user, person: Person) -> bool:
    if person.user_id and person.user_id == user.pk:
        return True
    return _managed_people(user).filter(pk=person.pk).exists()


def may_erase(user, person: Person) -> bool:
    return _managed_people(user).filter(pk=person.pk).exists()


def person_for_export(user, pk) -> Person:
    """The person whose data the user may export (404 otherwise); the response is no-store."""
    try:
        person = Person.objects.select_related("organisation", "user").get(pk=int(pk))
    except (Person.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not user.is_authenticated or not may_export(user, person):
        raise Http404
    mark_sensitive()
    return person


def person_for_erasure(user, pk) -> Person:
    try:
        person = _managed_people(user).select_related("organisation", "user").get(pk=int(pk))
    except (Person.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    mark_sensitive()
    return person


# ------------------------------------------------------------------------- what is held


@dataclass
class Section:
    label: str
    name: str
    purpose: str
    columns: list[str]
    headers: list[str]
    rows: list[dict] = field(default_factory=list)

    def pairs(self) -> list[list[tuple[str, str]]]:
        """The rows as (column, text) pairs, for the readable (PDF) export; empty values are
        left out so a row reads as one short paragraph."""
        return [
            [
                (header, _display(value))
                for header, value in zip(self.headers, row.values(), strict=True)
                if value not in (None, "", [], {})
            ]
            for row in self.rows
        ]


def _display(value) -> str:
    import json

    if value is None or value == "":
        return "—"
    if isinstance(value, dict) and "text" in value:
        return str(value["text"])
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    if isinstance(value, dict | list):
        text = json.dumps(value, ensure_ascii=False, default=str)
        return text if len(text) <= 500 else text[:500] + "…"
    return str(value)


def _relations_to(model, targets: tuple[str, ...]) -> list:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.ForeignKey) and label_of(f.related_model) in targets
    ]


def _readable(value):
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, memoryview | bytes):
        return f"<{len(value)} bytes>"
    if isinstance(value, models.Model):
        return str(value)
    return value


def _row(obj, columns: list) -> dict:
    row = {}
    for model_field in columns:
        if isinstance(model_field, models.ForeignKey):
            key = getattr(obj, model_field.attname)
            row[model_field.name] = (
                None if key is None else {"id": key, "text": str(getattr(obj, model_field.name))}
            )
        elif model_field.choices:
            raw = getattr(obj, model_field.attname)
            row[model_field.name] = {
                "value": raw,
                "text": str(dict(model_field.flatchoices).get(raw, raw)),
            }
        else:
            row[model_field.name] = _readable(getattr(obj, model_field.attname))
    return row


def person_data(person: Person) -> list[Section]:
    """Every row held about the person: their record and its history, every row of every
    model that points at them or their account (history included), and the audit events
    about them. New apps are picked up through their foreign keys."""
    sections: list[Section] = []
    user = person.user
    seen: set[str] = set()
    for model in apps.get_models(include_auto_created=True):
        label = label_of(model)
        if label in SECRET_MODELS:
            continue
        base = label_of(model.instance_type) if is_historical(model) else label
        condition = Q()
        if base == PERSON:
            condition |= Q(**{"id" if is_historical(model) else "pk": person.pk})
        for fk in _relations_to(model, (PERSON,)):
            condition |= Q(**{fk.attname: person.pk})
        if user is not None:
            if base == USER:
                condition |= Q(**{"id" if is_historical(model) else "pk": user.pk})
            for fk in _relations_to(model, (USER,)):
                if fk.name == "history_user":
                    continue  # what they changed elsewhere is not data about them
                condition |= Q(**{fk.attname: user.pk})
        if label == "accounts.auditevent":
            condition |= Q(data__person=person.pk)
        if not condition:
            continue
        qs = model._base_manager.filter(condition)
        org_field = (
            "organisation_id"
            if any(f.attname == "organisation_id" for f in model._meta.concrete_fields)
            else None
        )
        if org_field and base not in (USER,):
            qs = qs.filter(
                Q(organisation_id=person.organisation_id) | Q(organisation_id__isnull=True)
            )
        columns = [f for f in model._meta.concrete_fields if f.name not in SECRET_FIELDS]
        rows = [_row(obj, columns) for obj in qs.order_by("pk")[:5000]]
        if not rows:
            continue
        entry = REGISTER.get(base)
        seen.add(label)
        name = str(model._meta.verbose_name_plural)
        if is_historical(model):
            name = _("Geschiedenis: %(name)s") % {
                "name": model.instance_type._meta.verbose_name_plural
            }
        sections.append(
            Section(
                label=label,
                name=name,
                purpose=str(entry.purpose) if entry else "",
                columns=[f.name for f in columns],
                headers=[str(f.verbose_name) for f in columns],
                rows=rows,
            )
        )
    sections.sort(key=lambda s: (s.label != PERSON, s.label != USER, s.label))
    return sections


def person_data_json(person: Person) -> dict:
    return {
        "format": "teamwerk-person-data",
        "format_version": 1,
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "organisation": person.organisation.name,
        "person": {"id": person.pk, "name": person.full_name},
        "sections": [
            {"model": s.label, "name": s.name, "purpose": s.purpose, "rows": s.rows}
            for s in person_data(person)
        ],
    }


# ------------------------------------------------------------------------- erasure


def erasure_blockers(person: Person, today: dt.date | None = None) -> list[str]:
    """Why the person cannot be erased now (empty: they can)."""
    from teamwerk.team.models import Assignment

    today = today or timezone.localdate()
    reasons = []
    running = Assignment.objects.filter(person=person).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today)
    )
    if running.exists():
        reasons.append(
            _(
                "%(name)s heeft nog %(count)s lopende taak/taken als trekker of back-up. Geef "
                "ze eerst door of zet een einddatum: de verdeling mag geen gat krijgen."
            )
            % {"name": person.full_name, "count": running.count()}
        )
    if apps.is_installed("teamwerk.actions"):
        from teamwerk.actions.models import Action as FollowUp

        open_actions = FollowUp.objects.filter(owner=person, done_on__isnull=True)
        if open_actions.exists():
            reasons.append(
                _(
                    "%(name)s trekt nog %(count)s open actie(s). Geef ze eerst aan iemand anders "
                    "of rond ze af."
                )
                % {"name": person.full_name, "count": open_actions.count()}
            )
    return reasons


def erasure_preview(person: Person) -> list[tuple[str, int, str]]:
    """(what, how many, what happens) for the confirm page."""
    from .register import erasure_of

    out = []
    for model in apps.get_models(include_auto_created=True):
        if is_historical(model):
            continue
        label = label_of(model)
        fks = _relations_to(model, (PERSON,))
        if not fks or label == PERSON:
            continue
        condition = Q()
        for fk in fks:
            condition |= Q(**{fk.attname: person.pk})
        count = model._base_manager.filter(condition).count()
        if not count:
            continue
        policy = erasure_of(label) or "delete"
        what = (
            _("blijft, bij “verwijderde persoon”")
            if policy == "keep"
            else _("wordt verwijderd, met de geschiedenis")
        )
        out.append((str(model._meta.verbose_name_plural), count, what))
    from teamwerk.documents.models import RecordedDocument

    signed_plans = RecordedDocument.objects.filter(
        organisation=person.organisation, kind="plan", snapshot__icontains=person.full_name
    ).count()
    if signed_plans:
        out.append(
            (
                _("Vastgelegde (ondertekende) werkverdelingsplannen die de naam noemen"),
                signed_plans,
                _("blijven zoals ze ondertekend werden"),
            )
        )
    return sorted(out)
