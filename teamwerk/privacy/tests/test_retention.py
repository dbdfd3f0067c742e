"""Retention: settings per organisation, and the daily job that purges what is past them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from teamwerk.accounts.models import AuditEvent, Invitation
from teamwerk.core.daily import registered_jobs, run_daily_jobs
from teamwerk.privacy.models import RetentionSettings, retention_for
from teamwerk.team.models import Competence

pytestmark = pytest.mark.django_db


def test_defaults_without_settings(world):
    settings = retention_for(world.organisation)
    assert settings.pk is None
    assert settings.days("audit_log") == 730
    assert settings.days("rating_history") == 365


def test_the_daily_job_purges_what_is_past_each_organisations_retention(world):
    assert "privacy.retention" in registered_jobs()
    now = timezone.now()
    RetentionSettings.objects.create(
        organisation=world.organisation, audit_log_days=30, rating_history_days=30
    )
    ours = AuditEvent.objects.filter(organisation=world.organisation).count()
    theirs = AuditEvent.objects.filter(organisation=world.other_organisation).count()
    assert ours and theirs
    rating_history = Competence.history.model.objects.filter(organisation_id=world.organisation.pk)
    assert rating_history.exists()
    current_ratings = Competence.objects.filter(organisation=world.organisation).count()
    invitation = Invitation.objects.create(
        organisation=world.organisation,
        email="oud@example.org",
        role="teamlid",
        expires_at=now + dt.timedelta(days=7),
        cancelled_at=now,
    )
    store = SessionStore()
    store["_auth_user_id"] = str(world.users["ict_noord"].pk)
    store.create()
    Session.objects.filter(session_key=store.session_key).update(expire_date=now)

    # Tomorrow nothing is old enough yet.
    assert run_daily_jobs(now=now + dt.timedelta(days=1), force=True)["privacy.retention"] == "ok"
    assert AuditEvent.objects.filter(organisation=world.organisation).count() >= ours
    assert not AuditEvent.objects.filter(kind="retention.purged").exists()

    # Forty days on: our audit log and rating history (30 days) go, theirs (730) stays.
    later = now + dt.timedelta(days=40)
    assert run_daily_jobs(now=later, force=True)["privacy.retention"] == "ok"
    left = AuditEvent.objects.filter(organisation=world.organisation)
    assert list(left.values_list("kind", flat=True)) == ["retention.purged"]
    record = left.get()
    assert record.data["removed"]["audit_log"] >= ours
    assert record.data["removed"]["rating_history"] > 0
    assert AuditEvent.objects.filter(organisation=world.other_organisation).count() == theirs
    assert not rating_history.exists()
    assert Competence.objects.filter(organisation=world.organisation).count() == current_ratings
    assert not Session.objects.filter(session_key=store.session_key).exists()
    # A cancelled invitation stays 90 days.
    assert Invitation.objects.filter(pk=invitation.pk).exists()

    much_later = now + dt.timedelta(days=100)
    run_daily_jobs(now=much_later, force=True)
    assert not Invitation.objects.filter(pk=invitation.pk).exists()
    from teamwerk.core.models import DailyJobRun

    assert DailyJobRun.objects.get(name="privacy.retention").summary["closed_invitations"] >= 1


def test_the_beheerder_sets_retention_within_bounds(world, client_for):
    client = client_for("beheerder")
    url = reverse("privacy_retention")
    page = client.get(url)
    assert page.status_code == 200
    data = dict(page.context["form"].initial.items())
    data.update(audit_log_days=365)
    assert client.post(url, data).status_code == 302
    assert retention_for(world.organisation).days("audit_log") == 365
    assert AuditEvent.objects.filter(kind="privacy.retention_changed").exists()

    stale = {**data, "audit_log_days": 400}  # still the old version
    response = client.post(url, stale)
    assert response.status_code == 409
    assert retention_for(world.organisation).days("audit_log") == 365

    fresh = {**data, "version": retention_for(world.organisation).version, "audit_log_days": 0}
    response = client.post(url, fresh)
    assert response.status_code == 400
    assert "1 tot en met 3.650" in response.content.decode()
    assert retention_for(world.organisation).days("audit_log") == 365


def test_the_database_refuses_a_retention_out_of_bounds(world):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        RetentionSettings.objects.create(organisation=world.organisation, audit_log_days=0)


def test_what_belongs_to_no_organisation_is_purged_too(world):
    """Audit events of no organisation (an unknown address that tried to sign in) follow the
    default audit retention; a sign-up never verified goes with its account after 14 days,
    while a verified one, or an account with a role, stays."""
    from allauth.account.models import EmailAddress

    from teamwerk.accounts.models import User
    from teamwerk.privacy.models import UNATTACHED_AUDIT_DAYS, UNVERIFIED_SIGNUP_DAYS
    from teamwerk.privacy.register import REGISTER
    from teamwerk.tenancy.models import Membership
    from teamwerk.tenancy.services import organisation_signup_record

    now = timezone.now()
    stray = AuditEvent.objects.create(kind="login.failed", target="onbekend@example.org")
    never = User.objects.create_user("nooit@example.org", "x")
    EmailAddress.objects.create(user=never, email=never.email, verified=False, primary=True)
    organisation_signup_record(user=never, name="Nooit bevestigd", kind="school", region="BE-VL")
    verified = User.objects.create_user("wel@example.org", "x")
    EmailAddress.objects.create(user=verified, email=verified.email, verified=True, primary=True)
    organisation_signup_record(user=verified, name="Wel bevestigd", kind="school", region="BE-VL")
    with_role = User.objects.create_user("rol@example.org", "x")
    organisation_signup_record(user=with_role, name="Met rol", kind="school", region="BE-VL")
    Membership.objects.create(user=with_role, organisation=world.organisation, role="teamlid")

    run_daily_jobs(now=now + dt.timedelta(days=UNVERIFIED_SIGNUP_DAYS - 1), force=True)
    assert User.objects.filter(pk=never.pk).exists()

    run_daily_jobs(now=now + dt.timedelta(days=UNVERIFIED_SIGNUP_DAYS + 1), force=True)
    assert not User.objects.filter(pk=never.pk).exists()
    assert not EmailAddress.objects.filter(email="nooit@example.org").exists()
    assert User.objects.filter(pk__in=[verified.pk, with_role.pk]).count() == 2
    assert AuditEvent.objects.filter(pk=stray.pk).exists()

    run_daily_jobs(now=now + dt.timedelta(days=UNATTACHED_AUDIT_DAYS + 1), force=True)
    assert not AuditEvent.objects.filter(pk=stray.pk).exists()
    from teamwerk.core.models import DailyJobRun

    summary = DailyJobRun.objects.get(name="privacy.retention").summary
    assert summary["audit_log"] >= 1
    # The register says what the job does.
    text = str(REGISTER["tenancy.organisationsignup"].retention_text)
    assert f"{UNVERIFIED_SIGNUP_DAYS} dagen" in text
