from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[3]


def test_health_reports_the_database(client, db):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json()["database"] is True


@pytest.mark.django_db
def test_home_shows_organisation_schools_and_role(client_for):
    page = client_for("directie_noord").get("/").content.decode()
    assert "Scholengroep Demo" in page
    assert "Campus Noord" in page
    assert "Directie" in page
    assert "Campus Zuid" not in page


@pytest.mark.django_db
def test_group_director_sees_every_school(client_for):
    page = client_for("directeur").get("/").content.decode()
    for school in ("Campus Noord", "Campus Zuid", "Basisschool De Linde"):
        assert school in page


@pytest.mark.django_db
def test_dutch_by_default_even_for_an_english_browser(client_for):
    page = client_for("ict_noord").get("/", HTTP_ACCEPT_LANGUAGE="en-US,en").content.decode()
    assert '<html lang="nl">' in page
    assert "Welkom" in page


@pytest.mark.django_db
def test_language_switch_to_english(client_for):
    client = client_for("ict_noord")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/").content.decode()
    assert '<html lang="en">' in page
    assert "Welcome" in page


@pytest.mark.django_db
def test_friendly_404(client_for):
    response = client_for("ict_noord").get("/bestaat-niet/")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.content.decode()


def test_security_headers(client, db):
    response = client.get("/accounts/login/")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_passwords_are_stored_as_argon2_hashes(world, settings):
    from teamwerk import settings as project_settings
    from teamwerk.accounts.models import User

    # The suite hashes quickly; here the project's own hashers apply, as in production.
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    user = User.objects.get(pk=world.users["ict_noord"].pk)
    user.set_password("een-nieuw-wachtwoord")
    user.save()
    user.refresh_from_db()
    assert user.password.startswith("argon2$")
    assert user.check_password("een-nieuw-wachtwoord")


def _session_of(client):
    from django.contrib.sessions.models import Session

    return Session.objects.get(session_key=client.session.session_key)


def test_each_request_extends_the_session_and_an_idle_one_ends(client_for):
    import datetime as dt

    from django.utils import timezone

    client = client_for("ict_noord")
    session = _session_of(client)
    session.expire_date = timezone.now() + dt.timedelta(minutes=1)
    session.save()

    # Working keeps you signed in: the idle window starts again at every request.
    assert client.get("/").status_code == 200
    remaining = _session_of(client).expire_date - timezone.now()
    assert remaining > dt.timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)

    # Idle past the window: the next request asks to sign in again.
    session = _session_of(client)
    session.expire_date = timezone.now() - dt.timedelta(seconds=1)
    session.save()
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def production_env(**extra) -> dict:
    # A clean environment, as on a server: nothing the test run itself sets leaks in.
    env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    env.update(
        DEBUG="0",
        SECRET_KEY="a-long-production-secret-" + "x" * 40,
        ALLOWED_HOSTS="teamwerk.example.org",
        DATA_DIR=str(ROOT / "var"),
    )
    env.update(extra)
    return env


def test_check_deploy_is_clean_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = production_env()
    env.pop("SECRET_KEY")
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_cookies_are_secure():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from teamwerk import settings as s; "
            "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT)",
        ],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == ["True", "True", "True"]


def test_permissions_doc_matches_the_role_table():
    from teamwerk.tenancy.roles import ROLE_ACTIONS, Action, Role

    doc = (ROOT / "docs" / "permissions.md").read_text(encoding="utf-8")
    rows = {line.split("`")[1]: line for line in doc.splitlines() if line.startswith("| `")}
    for action in Action:
        assert action.value in rows, f"docs/permissions.md misses action {action.value}"
        cells = [c.strip() for c in rows[action.value].split("|")[2:-1]]
        for role, cell in zip(Role, cells, strict=False):
            allowed = action.value in ROLE_ACTIONS[role]
            assert (cell == "✓") == allowed, f"{action.value} × {role.value} differs from code"
