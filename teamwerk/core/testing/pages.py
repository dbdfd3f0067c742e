"""The pages a demo user can open, for the walks that read every page (phone width, axe, links,
regional words).

The list comes from the URL access table (every app's ``tests/access.py``): every GET row that
answers 200 for the user, with the demo objects of its row. A new module's pages are walked as
soon as its access rows exist. The step plan adds every step of the school and the group
route, since each step is its own page.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path

from django.urls import NoReverseMatch, reverse

from .access import Row
from .world import World

PACKAGE = Path(__file__).resolve().parents[2]

# GET rows that are not pages a person reads.
NOT_PAGES = {"health"}
# URL names of files (Excel, PDF, Word, zip): links to them are followed, but they are not
# read as pages (making a PDF takes seconds).
FILE_SUFFIXES = ("_file", "_download", "_export", "_pdf", "_template")


def is_file_url(url_name: str | None) -> bool:
    return bool(url_name) and url_name.endswith(FILE_SUFFIXES)


def access_rows() -> dict[str, Row]:
    rows: dict[str, Row] = {}
    for access_file in sorted(PACKAGE.glob("*/tests/access.py")):
        module = import_module(f"teamwerk.{access_file.parent.parent.name}.tests.access")
        for name, row in module.URL_ACCESS.items():
            assert name not in rows, f"URL {name} has two rows"
            rows[name] = row
    return rows


def page_urls(world: World, *user_keys: str) -> dict[str, list[str]]:
    """user key -> every GET URL that answers 200 for that user, once each, in a stable order.

    A row's demo objects are made once for all users (some rows create them). Files are left
    out; htmx fragments are in the lists, so a walk that needs a whole HTML page skips what is
    not one (see ``is_full_page``).
    """
    urls: dict[str, list[str]] = {key: [] for key in user_keys}
    for name, row in sorted(access_rows().items()):
        if row.method != "get" or name in NOT_PAGES or is_file_url(name):
            continue
        readers = [key for key in user_keys if row.status_for(key) == 200]
        if not readers:
            continue
        url = reverse(name, kwargs=row.kwargs(world) if row.kwargs else None) + row.query
        for key in readers:
            urls[key].append(url)
    for key in user_keys:
        urls[key] = list(dict.fromkeys(urls[key] + _step_pages(world, key)))
    return urls


def _step_pages(world: World, user_key: str) -> list[str]:
    """Every step of the user's first school's route (the access table names step 5 only)."""
    from teamwerk.tenancy.selectors import schools_for_user

    schools = list(schools_for_user(world.users[user_key]).order_by("pk"))
    if not schools:
        return []
    school = world.noord if world.noord in schools else schools[0]
    urls = []
    for number in range(1, 9):
        try:
            urls.append(reverse("stappenplan_step", args=[school.pk, number]))
        except NoReverseMatch:
            break
    return urls


def is_full_page(content_type: str, body: str) -> bool:
    """An HTML document with its own <html> (not a download, not an htmx fragment)."""
    return content_type.startswith("text/html") and "<html" in body[:2000].lower()
