"""No dead links: every link on every page opens for the person who sees it.

For every demo user, every page they can open (the shared page list of
``teamwerk/core/testing/pages.py``) is read and the same-site links on it are followed: each
answers 200, or redirects to a page that does. Every distinct link is followed once per
user (every detail page of every demo object is also opened by test_every_page.py). A link to
a page the user may not open is not shown to them (the group's "which tasks run in several
schools" link on step 5 was a 404 for the ICT coordinator and the lezer).
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest

from teamwerk.core.testing.pages import page_urls
from teamwerk.core.testing.world import USER_EMAILS

pytestmark = pytest.mark.django_db

# Where a link may lead without being a page of the app.
NOT_FOLLOWED = ("/static/", "/media/", "/admin/")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[tuple[str, str]] = []
        self._open: list[int] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append((href, ""))
                self._open.append(len(self.hrefs) - 1)

    def handle_data(self, data):
        for index in self._open:
            href, text = self.hrefs[index]
            self.hrefs[index] = (href, (text + " " + data.strip()).strip())

    def handle_endtag(self, tag):
        if tag == "a" and self._open:
            self._open.pop()


def same_site_links(page_url: str, body: str) -> list[tuple[str, str]]:
    """(path with query, link text) of every link that stays on the site."""
    parser = _Links()
    parser.feed(body)
    found = []
    for href, text in parser.hrefs:
        if href.startswith(("#", "mailto:", "tel:", "javascript:")):
            continue
        parts = urlsplit(urljoin("http://testserver" + page_url, href))
        if parts.netloc != "testserver" or parts.path.startswith(NOT_FOLLOWED):
            continue
        found.append((parts.path + (f"?{parts.query}" if parts.query else ""), text[:60]))
    return found


# One test per demo user, so the parallel test workers share the walk.
@pytest.mark.parametrize("user", list(USER_EMAILS))
def test_every_link_on_every_page_opens_for_every_demo_user(world, client, user):
    client.raise_request_exception = False
    pages = page_urls(world, user)
    dead: list[str] = []
    followed = 0
    client.force_login(world.users[user])
    status: dict[str, int] = {}
    for page in pages[user]:
        response = client.get(page)
        status[page] = response.status_code
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        for link, text in same_site_links(page, response.content.decode()):
            if link not in status:
                answer = client.get(link, follow=True)
                status[link] = answer.status_code
                followed += 1
            if status[link] != 200:
                dead.append(f"{user} on {page}: “{text}” → {link} answers {status[link]}")
    assert followed > 10
    assert dead == [], "\n".join(dict.fromkeys(dead))
