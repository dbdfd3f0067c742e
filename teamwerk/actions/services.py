"""Writes for actions, reminders and calendar feeds.

Public API for other modules (evaluation, conversations, the route, agreements) — stable::

    action_create(
        *, user, organisation, title, source,
        school=None,            # None: an action of the group (organisation-wide roles)
        source_label="",        # readable: "Gesprek met de i-coach, 3 maart"
        source_url="",          # internal path to the origin: "/gesprekken/12/" (must start "/")
        source_ref="",          # your own reference, e.g. "conversation:12:agreement:3"
        owner=None,             # a team.Person of that organisation (and school, if any)
        due=None,               # datetime.date
        status="plan",          # ActionStatus: plan, do, check, act
        notes="",
    ) -> Action

``user`` is the acting user (None only for the system: the demo seeder). It must hold the
EDIT action for the school (or organisation-wide for a group action); otherwise
``PermissionDenied``. Bad input raises ``ValidationError``. ``source`` is one of
``ActionSource``: evaluation, conversation, route_step, agreement_review, task,
professionalisation, other. ``actions_for_source(user, source, source_ref)`` in selectors
lists the actions made from one origin.

Further: ``action_update`` (editors: every field), ``action_progress`` (editors and the owner:
status, notes, done), ``action_delete``, ``reminders_opt`` and ``calendar_token_renew``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from teamwerk.core.versions import ConcurrentChange, check_version
from teamwerk.tenancy.roles import Action as Perm
from teamwerk.tenancy.selectors import user_can

from .models import (
    LABEL_MAX,
    NOTES_MAX,
    REF_MAX,
    TITLE_MAX,
    URL_MAX,
    Action,
    ActionSource,
    ActionStatus,
    ReminderSettings,
)

EDITOR_FIELDS = frozenset(
    {"title", "source", "source_label", "source_url", "source_ref", "owner", "due", "status"}
    | {"notes", "done_on"}
)
OWNER_FIELDS = frozenset({"status", "notes", "done_on"})


def may_edit_actions(user, *, organisation, school=None) -> bool:
    """Directie / ICT of the school (or an organisation-wide role for a group action)."""
    if school is not None:
        return user_can(user, Perm.EDIT, school=school)
    return user_can(user, Perm.EDIT, organisation=organisation)


def is_owner(user, action: Action) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and action.owner_id is not None
        and action.owner.user_id == user.pk
    )


def _require_edit(user, *, organisation, school) -> None:
    if user is None:  # the system: the demo seeder
        return
    if not may_edit_actions(user, organisation=organisation, school=school):
        raise PermissionDenied


def _clean(action: Action, user) -> None:
    errors: dict[str, str] = {}
    action.title = (action.title or "").strip()
    if not action.title:
        errors["title"] = _("Geef de actie een naam.")
    if action.source not in ActionSource.values:
        errors["source"] = _("Onbekende bron.")
    if action.status not in ActionStatus.values:
        errors["status"] = _("Onbekende fase.")
    if action.source_url and (
        not action.source_url.startswith("/") or action.source_url.startswith("//")
    ):
        errors["source_url"] = _("Alleen een adres binnen Teamwerk.")
    for name, limit in (
        ("title", TITLE_MAX),
        ("source_label", LABEL_MAX),
        ("source_url", URL_MAX),
        ("source_ref", REF_MAX),
        ("notes", NOTES_MAX),
    ):
        if len(getattr(action, name) or "") > limit:
            errors[name] = _("Hoogstens %(n)s tekens.") % {"n": limit}
    if action.school_id is not None and action.school.organisation_id != action.organisation_id:
        errors["school"] = _("Deze school hoort niet bij de organisatie.")
    if action.owner_id is not None:
        owner = action.owner
        if owner.organisation_id != action.organisation_id:
            errors["owner"] = _("Kies iemand van de eigen organisatie.")
        elif user is not None:
            from teamwerk.team.models import Person

            if not Person.objects.for_user(user).filter(pk=owner.pk).exists():
                errors["owner"] = _("Kies iemand van de eigen organisatie.")
    for name in ("due", "done_on"):
        value = getattr(action, name)
        if value is not None and not isinstance(value, dt.date):
            errors[name] = _("Geef een datum.")
        elif value is not None and not dt.date(2000, 1, 1) <= value <= dt.date(2100, 12, 31):
            errors[name] = _("Geef een datum tussen 2000 en 2100.")
    if errors:
        raise ValidationError(errors)


def action_create(
    *,
    user,
    organisation,
    title: str,
    source: str,
    school=None,
    source_label: str = "",
    source_url: str = "",
    source_ref: str = "",
    owner=None,
    due: dt.date | None = None,
    status: str = ActionStatus.PLAN,
    notes: str = "",
) -> Action:
    _require_edit(user, organisation=organisation, school=school)
    with transaction.atomic():
        action = Action(
            organisation=organisation,
            school=school,
            title=title,
            source=source,
            source_label=source_label or "",
            source_url=source_url or "",
            source_ref=source_ref or "",
            owner=owner,
            due=due,
            status=status,
            notes=notes or "",
            created_by=user if user is not None and user.is_authenticated else None,
        )
        _clean(action, user)
        action._history_user = user
        action.save()
        return action


def _locked(action: Action) -> Action:
    current = Action.objects.select_for_update().filter(pk=action.pk).first()
    if current is None:
        raise ConcurrentChange(_("Deze actie bestaat niet meer."))
    return current


def action_update(*, user, action: Action, expected_version=None, **fields) -> Action:
    """Change an action (directie / ICT of its school). ``expected_version``: the version the
    form was filled in on; a stale save raises ``ConcurrentChange``."""
    unknown = set(fields) - EDITOR_FIELDS
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    _require_edit(user, organisation=action.organisation, school=action.school)
    with transaction.atomic():
        current = _locked(action)
        if expected_version is not None:
            check_version(current.version, expected_version, current=current)
        for name, value in fields.items():
            setattr(current, name, value)
        _clean(current, user)
        current.version += 1
        current._history_user = user
        current.save()
        return current


def action_progress(
    *, user, action: Action, expected_version=None, status=None, notes=None, done=None
) -> Action:
    """What the owner may change on their own action (and editors on every action): the PDCA
    status, the notes, and done (today) or open again."""
    with transaction.atomic():
        current = _locked(action)
        allowed = is_owner(user, current) or (
            user is not None
            and may_edit_actions(user, organisation=current.organisation, school=current.school)
        )
        if not allowed:
            raise PermissionDenied
        if expected_version is not None:
            check_version(current.version, expected_version, current=current)
        if status is not None:
            current.status = status
        if notes is not None:
            current.notes = notes
        if done is True and current.done_on is None:
            current.done_on = timezone.localdate()
        elif done is False:
            current.done_on = None
        _clean(current, None)
        current.version += 1
        current._history_user = user
        current.save()
        return current


def action_delete(*, user, action: Action, expected_version=None) -> None:
    _require_edit(user, organisation=action.organisation, school=action.school)
    with transaction.atomic():
        current = Action.objects.select_for_update().filter(pk=action.pk).first()
        if current is None:
            return
        if expected_version is not None:
            check_version(current.version, expected_version, current=current)
        current._history_user = user
        current.delete()


# ----------------------------------------------------------------- reminders, calendar


def reminder_settings_of(user) -> ReminderSettings:
    settings_row, _created = ReminderSettings.objects.get_or_create(user=user)
    return settings_row


def reminders_opt(*, user, off: bool) -> ReminderSettings:
    """Turn the user's reminder mails off (opt-out) or on again."""
    with transaction.atomic():
        row = ReminderSettings.objects.select_for_update().filter(user=user).first()
        if row is None:
            row = ReminderSettings(user=user)
        row.reminders_off = bool(off)
        row._history_user = user
        row.save()
        return row


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def calendar_token_renew(*, user) -> str:
    """A new secret for the user's calendar feed; the previous address stops working at once.
    Returns the token (shown once: only its hash is kept)."""
    from teamwerk.accounts.services import audit_log

    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        row = ReminderSettings.objects.select_for_update().filter(user=user).first()
        if row is None:
            row = ReminderSettings(user=user)
        had_one = bool(row.calendar_token_hash)
        row.calendar_token_hash = token_hash(token)
        row.calendar_token_created_at = timezone.now()
        row._history_user = user
        row.save()
        audit_log(
            kind="calendar.renewed" if had_one else "calendar.created",
            actor=user,
            organisation=None,
        )
    return token


def calendar_token_revoke(*, user) -> None:
    from teamwerk.accounts.services import audit_log

    with transaction.atomic():
        row = ReminderSettings.objects.select_for_update().filter(user=user).first()
        if row is None or not row.calendar_token_hash:
            return
        row.calendar_token_hash = ""
        row.calendar_token_created_at = None
        row._history_user = user
        row.save()
        audit_log(kind="calendar.revoked", actor=user, organisation=None)
