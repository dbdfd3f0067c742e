"""Shared fixtures: the demo world, seeded once per test session."""

import pytest

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fast_passwords(request):
    # Argon2 is the production hasher (a test checks it); tests only need speed.
    # Engine tests also run without Django (-p no:django); they need nothing here.
    if not request.config.pluginmanager.hasplugin("django"):
        yield
        return
    settings = request.getfixturevalue("settings")
    settings.PASSWORD_HASHERS = FAST_HASHERS
    yield


@pytest.fixture(autouse=True)
def _default_language(request):
    """Each test starts in Dutch: a request in English must not change the next test's texts."""
    yield
    if request.config.pluginmanager.hasplugin("django"):
        from django.utils import translation

        translation.deactivate()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The demo is seeded once; every test runs in a transaction that is rolled back."""
    from django.test import override_settings

    from teamwerk.core.demo import seed_demo

    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        seed_demo()


@pytest.fixture
def world(db):
    from teamwerk.core.testing.world import load_world

    return load_world()


@pytest.fixture
def client_for(client, world):
    """client_for("ict_noord") gives the test client signed in as that demo user."""

    def sign_in(key: str):
        client.logout()
        if key != "anonymous":
            client.force_login(world.users[key])
        return client

    return sign_in


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = __import__("pathlib").Path(__file__).parent / "test-artifacts"


@pytest.fixture
def browser_page(live_server, transactional_db, settings):
    """A Playwright page in headless Chromium against the live server, with the demo seeded.

    Browser tests run after the other tests (pytest-django orders transactional tests last),
    on a database that starts empty, so the demo is seeded here.
    """
    import os

    from django.db import connections
    from playwright.sync_api import sync_playwright

    from teamwerk.core.demo import seed_demo

    # Playwright's sync API runs an event loop in this thread; the ORM calls are still sync.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    seed_demo()
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": 1300, "height": 900}
        )
        page = context.new_page()
        page.set_default_timeout(15000)
        yield page
        # The test's ORM calls ran in Playwright's context, on connections of their own that
        # the teardown outside it does not see; left open, PostgreSQL refused to drop the
        # test database ("is being accessed by other users").
        connections.close_all()
        context.close()
        browser.close()


@pytest.fixture
def sign_in():
    """sign_in(page, "ict.noord@scholengroep-demo.be") signs in through the real login form."""

    def do_sign_in(page, email: str, password: str = "teamwerk-demo"):  # noqa: S107
        page.goto("/accounts/logout/")
        if page.locator("form button[type=submit]").count() and "/logout" in page.url:
            page.locator("main form button[type=submit]").first.click()
        page.goto("/accounts/login/")
        page.fill("#id_login", email)
        page.fill("#id_password", password)
        page.click("main button[type=submit]")
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        return page

    return do_sign_in


def screenshot(page, name: str) -> str:
    """Save a full-page screenshot under test-artifacts/ and return its path."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return str(path)
