"""The audit log: events land in every organisation they concern; readable labels; every
kind used in the code is in the one registry."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from teamwerk.accounts.audit import AUDIT_GROUPS, AUDIT_KINDS
from teamwerk.accounts.models import AuditEvent
from teamwerk.tenancy.services import membership_grant

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "teamwerk-demo"


def _member_of_both(world):
    """Campus Noord's ICT coordinator also works for the Stichting (a second organisation)."""
    user = world.users["ict_noord"]
    membership_grant(
        actor=None,
        user=user,
        organisation=world.other_organisation,
        school=world.other_organisation.schools.first(),
        role="lezer",
    )
    return user


def test_a_login_is_recorded_in_every_organisation_of_the_user(client, world):
    user = _member_of_both(world)
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    events = AuditEvent.objects.filter(kind="login.succeeded", target=user.email)
    assert sorted(e.organisation.name for e in events) == ["Scholengroep Demo", "Stichting Demo"]
    # Each board sees the sign-in on its own audit page.
    for key in ("beheerder", "beheerder_stichting"):
        client.force_login(world.users[key])
        page = client.get("/auditlog/?soort=login").content.decode()
        assert user.email in page


def test_a_failed_login_is_recorded_in_every_organisation_of_the_user(client, world):
    user = _member_of_both(world)
    client.post("/accounts/login/", {"login": user.email, "password": "fout-wachtwoord"})
    events = AuditEvent.objects.filter(kind="login.failed", target=user.email)
    assert {e.organisation_id for e in events} == {
        world.organisation.pk,
        world.other_organisation.pk,
    }


def test_the_audit_page_shows_readable_labels_and_filters_by_group(client_for, world):
    client = client_for("beheerder")
    AuditEvent.objects.create(
        organisation=world.organisation,
        kind="role.changed",
        target="iemand@scholengroep-demo.be",
        data={"from": "teamlid", "to": "ict"},
    )
    page = client.get("/auditlog/").content.decode()
    assert "Rol gewijzigd" in page
    assert "role.changed" not in page
    assert "van: Teamlid; naar: ICT-coördinator" in page
    for label in ("Aanmeldingen", "Uitnodigingen", "Koppelingen van accounts"):
        assert f">{label}</option>" in page
    filtered = client.get("/auditlog/?soort=login").content.decode()
    assert "Rol gewijzigd" not in filtered
    client.cookies["django_language"] = "en"
    english = client.get("/auditlog/").content.decode()
    assert "Role changed" in english


KIND_IN_CODE = re.compile(r"""kind\s*=\s*["']([a-z_]+\.[a-z_.]+)["']""")


def _kinds_used_in_code() -> dict[str, str]:
    used = {}
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT).parts
        if "tests" in parts or "migrations" in parts:
            continue
        for kind in KIND_IN_CODE.findall(path.read_text(encoding="utf-8")):
            used.setdefault(kind, str(path.relative_to(ROOT)))
    return used


def test_every_audit_kind_used_in_the_code_is_in_the_registry():
    used = _kinds_used_in_code()
    assert "login.succeeded" in used and "person.linked" in used  # the scan finds them
    missing = {kind: where for kind, where in used.items() if kind not in AUDIT_KINDS}
    assert not missing, f"audit kinds without a label in accounts/audit.py: {missing}"


def test_every_group_of_kinds_has_a_readable_name():
    groups = {kind.split(".", 1)[0] for kind in AUDIT_KINDS}
    assert groups <= set(AUDIT_GROUPS), groups - set(AUDIT_GROUPS)
