"""Writes of the privacy module: audited exports, erasure (art. 17), retention settings and
the daily purge."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

from django.apps import apps
from django.contrib.sessions.models import Session
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from teamwerk.accounts.services import audit_log
from teamwerk.core.versions import check_version
from teamwerk.team.models import Person

from .models import (
    RETENTION,
    UNATTACHED_AUDIT_DAYS,
    UNVERIFIED_SIGNUP_DAYS,
    RetentionSettings,
    retention_for,
)
from .register import KEEP, PERSON, USER, erasure_of
from .registry import (
    is_historical,
    label_of,
    organisation_models,
    organisation_path,
    organisation_rows,
)
from .selectors import erasure_blockers

ERASED_FIRST_NAME = "verwijderde"
ERASED_LAST_NAME = "persoon"
ERASED_NAME = f"{ERASED_FIRST_NAME} {ERASED_LAST_NAME}"


class ErasureRefused(Exception):
    def __init__(self, reasons: list[str]):
        super().__init__(" ".join(reasons))
        self.reasons = reasons


def person_export_record(*, actor, person: Person, fmt: str, ip_address: str | None = None):
    audit_log(
        actor=actor,
        organisation=person.organisation,
        kind="privacy.person_exported",
        target=person.full_name,
        data={"person": person.pk, "type": fmt},
        ip_address=ip_address,
    )


def _fks(model, target: str) -> list:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.ForeignKey) and label_of(f.related_model) == target
    ]


def person_erase(*, actor, person: Person, today: dt.date | None = None) -> dict[str, int]:
    """Remove the person's personal data everywhere, history included; the distribution's
    rows stay and show "verwijderde persoon". Refused (ErasureRefused) while the person still
    holds running tasks or open actions."""
    removed: Counter = Counter()
    with transaction.atomic():
        person = Person.objects.select_for_update().select_related("organisation").get(pk=person.pk)
        reasons = erasure_blockers(person, today)
        if reasons:
            raise ErasureRefused(reasons)
        pk, organisation, user = person.pk, person.organisation, person.user
        old_names = {n for n in (person.full_name, person.email) if n and len(n) > 3}

        # 1. Rows that point at the person: deleted (live first, then every history row), or
        #    kept pointing at the anonymised record.
        all_models = apps.get_models(include_auto_created=True)
        for historical_pass in (False, True):
            for model in all_models:
                if is_historical(model) != historical_pass:
                    continue
                base = label_of(model.instance_type) if historical_pass else label_of(model)
                if base == PERSON:
                    continue
                policy = erasure_of(base)
                for fk in _fks(model, PERSON):
                    qs = model._base_manager.filter(**{fk.attname: pk})
                    if policy == KEEP:
                        continue
                    if policy is None and fk.null and not historical_pass:
                        removed[label_of(model)] += qs.update(**{fk.attname: None})
                    elif historical_pass:
                        removed[label_of(model)] += qs._raw_delete(qs.db)
                    else:
                        removed[label_of(model)] += qs.delete()[0]

        # 2. The person record and every version of it in the history.
        blank = {
            "first_name": ERASED_FIRST_NAME,
            "last_name": ERASED_LAST_NAME,
            "email": "",
            "job_title": "",
            "user": None,
            "active": False,
            "pedagogically_qualified": False,
        }
        for name, value in blank.items():
            setattr(person, name, value)
        person.version += 1
        person.save()
        history = Person.history.model
        removed["team.historicalperson (anonymised)"] = history.objects.filter(id=pk).update(
            **{("user_id" if k == "user" else k): v for k, v in blank.items()}
        )

        # 3. The account: its roles here end; without roles elsewhere it is anonymised.
        if user is not None:
            _erase_account(user=user, organisation=organisation, removed=removed)

        # 4. Data the system wrote (proposal results, snapshots) loses the name; a document
        #    recorded as signed is kept as it was signed.
        removed["json (anonymised)"] = _scrub_json(organisation, old_names)
        # Free texts others wrote (notes, reports, actions) lose the full name and address;
        # a first name alone cannot be told apart from a colleague's, so the page says so.
        removed["text (anonymised)"] = _scrub_text(organisation, old_names)

        # 5. The audit log keeps the events, not the content about the person.
        about = Q(data__person=pk)
        for text in old_names:
            about |= Q(target__icontains=text)
        removed["accounts.auditevent (anonymised)"] = (
            apps.get_model("accounts.auditevent")
            .objects.filter(organisation=organisation)
            .filter(about)
            .update(target=ERASED_NAME)
        )
        audit_log(
            actor=actor,
            organisation=organisation,
            kind="privacy.person_erased",
            target=ERASED_NAME,
            data={"person": pk},
        )
    return {k: v for k, v in removed.items() if v}


KEPT_AS_SIGNED = {"documents.recordeddocument"}


def _replace(value, names: set[str]):
    if isinstance(value, str):
        for name in names:
            value = value.replace(name, ERASED_NAME)
        return value
    if isinstance(value, list):
        return [_replace(item, names) for item in value]
    if isinstance(value, dict):
        return {key: _replace(item, names) for key, item in value.items()}
    return value


# Rows whose text is the person's own record, or the audit log (handled on its own).
NOT_SCRUBBED = {PERSON, "accounts.user", "accounts.auditevent"}


def _text_fields(model) -> list:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField)
        and not isinstance(f, models.EmailField)
        and not f.choices
    ]


def _scrub_text(organisation, names: set[str]) -> int:
    """Replace the person's full name and address in every free-text column of the
    organisation (live rows and their history), within each column's length."""
    if not names:
        return 0
    changed = 0
    for item in organisation_models():
        base = label_of(item.model.instance_type) if is_historical(item.model) else item.label
        if base in KEPT_AS_SIGNED or base in NOT_SCRUBBED:
            continue
        fields = _text_fields(item.model)
        if not fields:
            continue
        mentions = Q()
        for field in fields:
            for name in names:
                mentions |= Q(**{f"{field.attname}__icontains": name})
        rows = organisation_rows(item, organisation.pk).filter(mentions)
        names_of = [f.attname for f in fields]
        for row in rows.values("pk", *names_of):
            update = {}
            for field in fields:
                value = row[field.attname]
                if value and any(name.lower() in value.lower() for name in names):
                    new = _replace_text(value, names)
                    update[field.attname] = new[: field.max_length] if field.max_length else new
            if update:
                item.model._base_manager.filter(pk=row["pk"]).update(**update)
                changed += 1
    return changed


def _replace_text(value: str, names: set[str]) -> str:
    """``value`` with every name replaced, whatever its case."""
    for name in sorted(names, key=len, reverse=True):
        value = re.sub(re.escape(name), str(ERASED_NAME), value, flags=re.IGNORECASE)
    return value


def _scrub_json(organisation, names: set[str]) -> int:
    """Replace the person's name and address in every JSON column of the organisation."""
    if not names:
        return 0
    changed = 0
    for item in organisation_models():
        if item.label in KEPT_AS_SIGNED or (
            is_historical(item.model) and label_of(item.model.instance_type) in KEPT_AS_SIGNED
        ):
            continue
        json_fields = [
            f for f in item.model._meta.concrete_fields if isinstance(f, models.JSONField)
        ]
        for json_field in json_fields:
            mentions = Q()
            for name in names:
                mentions |= Q(**{f"{json_field.attname}__icontains": name})
            rows = organisation_rows(item, organisation.pk).filter(mentions)
            for pk, value in rows.values_list("pk", json_field.attname):
                item.model._base_manager.filter(pk=pk).update(
                    **{json_field.attname: _replace(value, names)}
                )
                changed += 1
    return changed


def _erase_account(*, user, organisation, removed: Counter) -> None:
    from teamwerk.tenancy.models import Membership

    removed["tenancy.membership"] += Membership.objects.filter(
        user=user, organisation=organisation
    ).delete()[0]
    elsewhere = (
        Membership.objects.filter(user=user).exists()
        or Person.objects.filter(user=user).exclude(organisation=organisation).exists()
    )
    if elsewhere:
        return  # the account belongs to other organisations too: theirs to decide
    for model in apps.get_models(include_auto_created=True):
        label = label_of(model)
        if is_historical(model) or label == "admin.logentry" or organisation_path(model):
            continue
        for fk in _fks(model, USER):
            qs = model._base_manager.filter(**{fk.attname: user.pk})
            if fk.null:
                removed[label] += qs.update(**{fk.attname: None})
            else:
                removed[label] += qs.delete()[0]
    user.email = f"verwijderd-{user.pk}@verwijderd.invalid"
    user.first_name = user.last_name = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()
    removed["accounts.user (anonymised)"] += 1


# ------------------------------------------------------------------------- retention


def retention_settings_update(*, actor, organisation, data: dict, version) -> RetentionSettings:
    with transaction.atomic():
        settings, _created = RetentionSettings.objects.select_for_update().get_or_create(
            organisation=organisation
        )
        check_version(settings.version, version, current=settings)
        changed = {}
        for field_name, _default, _label in RETENTION.values():
            if field_name in data and data[field_name] != getattr(settings, field_name):
                changed[field_name] = [getattr(settings, field_name), data[field_name]]
                setattr(settings, field_name, data[field_name])
        settings.version += 1
        settings.full_clean()
        settings.save()
        audit_log(
            actor=actor,
            organisation=organisation,
            kind="privacy.retention_changed",
            target=organisation.name,
            data={"fields": sorted(changed)},
        )
    return settings


def _purge_organisation(organisation, settings: RetentionSettings, now) -> dict[str, int]:
    from teamwerk.accounts.models import AuditEvent, Invitation
    from teamwerk.allocation.models import ProposalRun
    from teamwerk.documents.models import DocumentBundle
    from teamwerk.planning.models import PendingImport
    from teamwerk.team.models import Competence

    def cutoff(key: str):
        return now - dt.timedelta(days=settings.days(key))

    removed: dict[str, int] = {}
    removed["audit_log"] = AuditEvent.objects.filter(
        organisation=organisation, created_at__lt=cutoff("audit_log")
    )._raw_delete(AuditEvent.objects.db)
    old_ratings = Competence.history.model.objects.filter(
        organisation_id=organisation.pk, history_date__lt=cutoff("rating_history")
    )
    removed["rating_history"] = old_ratings._raw_delete(old_ratings.db)
    removed["pending_imports"] = PendingImport.objects.filter(
        organisation=organisation, created_at__lt=cutoff("pending_imports")
    ).delete()[0]
    old_runs = ProposalRun.objects.filter(
        organisation=organisation,
        status__in=["done", "failed"],
        created_at__lt=cutoff("proposals"),
    )
    run_ids = list(old_runs.values_list("pk", flat=True))
    removed["proposals"] = old_runs.delete()[0]
    for model in (ProposalRun.history.model,):
        stale = model.objects.filter(id__in=run_ids)
        stale._raw_delete(stale.db)
    closed = cutoff("closed_invitations")
    removed["closed_invitations"] = (
        Invitation.objects.filter(organisation=organisation)
        .filter(
            Q(accepted_at__lt=closed)
            | Q(cancelled_at__lt=closed)
            | Q(declined_at__lt=closed)
            | Q(
                expires_at__lt=closed,
                accepted_at__isnull=True,
                cancelled_at__isnull=True,
                declined_at__isnull=True,
            )
        )
        .delete()[0]
    )
    removed["bundles"] = DocumentBundle.objects.filter(
        organisation=organisation, created_at__lt=cutoff("bundles")
    ).delete()[0]
    return {k: v for k, v in removed.items() if v}


def _purge_without_organisation(now) -> dict[str, int]:
    """Audit events of no organisation, and sign-ups never verified (with their account)."""
    from allauth.account.models import EmailAddress

    from teamwerk.accounts.models import AuditEvent, User
    from teamwerk.tenancy.models import Membership, OrganisationSignup

    removed: dict[str, int] = {}
    old_events = AuditEvent.objects.filter(
        organisation__isnull=True,
        created_at__lt=now - dt.timedelta(days=UNATTACHED_AUDIT_DAYS),
    )
    removed["audit_log"] = old_events._raw_delete(old_events.db)
    # Only an account that has nothing else: no verified address, no role anywhere.
    stale = (
        OrganisationSignup.objects.filter(
            fulfilled_at__isnull=True,
            created_at__lt=now - dt.timedelta(days=UNVERIFIED_SIGNUP_DAYS),
        )
        .exclude(user__in=EmailAddress.objects.filter(verified=True).values("user"))
        .exclude(user__in=Membership.objects.values("user"))
        .values_list("user_id", flat=True)
    )
    users = User.objects.filter(pk__in=list(stale))
    removed["unverified_signups"] = len(users)
    users.delete()
    return {k: v for k, v in removed.items() if v}


def _purge_sessions(now, days_by_user: dict[int, int], default_days: int) -> int:
    removed = 0
    for session in Session.objects.filter(expire_date__lt=now).iterator():
        try:
            user_id = int(session.get_decoded().get("_auth_user_id", 0))
        except (ValueError, TypeError):
            user_id = 0
        days = days_by_user.get(user_id, default_days)
        if session.expire_date < now - dt.timedelta(days=days):
            session.delete()
            removed += 1
    return removed


def retention_purge(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Remove what is past each organisation's retention; record it in its audit log.
    Returns the totals per kind (counts only: the daily job's summary)."""
    from teamwerk.tenancy.models import Membership, Organisation

    now = now or timezone.now()
    totals: Counter = Counter()
    session_days: dict[int, int] = {}
    for organisation in Organisation.objects.order_by("pk"):
        settings = retention_for(organisation)
        with transaction.atomic():
            removed = _purge_organisation(organisation, settings, now)
            if removed:
                audit_log(
                    organisation=organisation,
                    kind="retention.purged",
                    target=organisation.name,
                    data={"removed": removed},
                )
        totals.update(removed)
        for user_id in Membership.objects.filter(organisation=organisation).values_list(
            "user_id", flat=True
        ):
            days = settings.days("sessions")
            session_days[user_id] = min(days, session_days.get(user_id, days))
    with transaction.atomic():
        totals.update(_purge_without_organisation(now))
    sessions = _purge_sessions(now, session_days, RETENTION["sessions"][1])
    if sessions:
        totals["sessions"] = sessions
    return dict(totals)


def retention_daily_job(*, now=None):
    return retention_purge(now=now)
