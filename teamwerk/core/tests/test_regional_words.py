"""A Dutch foundation reads Dutch terms and a Flemish school group Flemish ones, on every page.

Every page of the Dutch demo organisation (Stichting Demo, as its beheerder) is read for words
only Flanders uses, and every page of the Flemish one (Scholengroep Demo, as its coordinating
directeur) for words only the Netherlands uses. The terms come from one lookup,
``teamwerk/tenancy/terms.py`` (``organisation.terms`` and ``{{ terms }}`` in templates).
"""

from __future__ import annotations

import re
from html import unescape

import pytest

from teamwerk.core.testing.pages import page_urls

pytestmark = pytest.mark.django_db

FLEMISH_ONLY = (
    "scholengroep",
    "instellingsnummer",
    "leraar",
    "leraren",
    "pedagogische begeleidingsdienst",
    "begeleidingsdienst",
    "Digisprong",
    "voltijdse opdracht",
    "bewijs van pedagogische bekwaamheid",
    "pedagogisch bekwaam",
    "lerarenopleiding",
)
DUTCH_ONLY = (
    "BRIN",
    "docent",
    "docenten",
    "onderwijsadviesbureau",
    "Kennisnet",
    "fte",
    "lesbevoegdheid",
    "bevoegd",
    "normjaartaak",
    "stichting",
)


# Not yet regional: named here so nothing slips in unnoticed (empty now that the people
# import's column and the organisation kinds follow the region). The content files
# (catalogue.toml, route.toml) write these words as placeholders filled from the
# organisation's terms.
NOT_YET_REGIONAL: list[tuple[str, set[str]]] = []


def not_yet(url: str) -> set[str]:
    return set().union(*[words for pattern, words in NOT_YET_REGIONAL if re.match(pattern, url)])


def visible_text(html: str) -> str:
    """The words a reader sees: no tags, scripts, styles or attribute values."""
    html = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", html)
    html = re.sub(r"(?s)<[^>]*>", " ", html)
    return re.sub(r"\s+", " ", unescape(html))


def found_words(text: str, words: tuple[str, ...], *, allowed: tuple[str, ...]) -> set[str]:
    for name in allowed:  # the organisation's own name may hold any word
        text = text.replace(name, " ")
    return {
        word
        for word in words
        if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text, flags=re.IGNORECASE)
    }


def _read(client, user, urls, words, allowed) -> list[str]:
    wrong = []
    client.force_login(user)
    for url in urls:
        response = client.get(url)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        found = found_words(visible_text(response.content.decode()), words, allowed=allowed)
        found -= {word for word in not_yet(url) if word in words}
        if found:
            wrong.append(f"{url}: {sorted(found)}")
    client.logout()
    return wrong


def test_the_dutch_organisation_reads_no_flemish_words_and_the_flemish_one_no_dutch_words(
    world, client
):
    client.raise_request_exception = False
    pages = page_urls(world, "beheerder_stichting", "directeur")
    dutch = _read(
        client,
        world.users["beheerder_stichting"],
        pages["beheerder_stichting"],
        FLEMISH_ONLY,
        allowed=(world.other_organisation.name,),
    )
    flemish = _read(
        client,
        world.users["directeur"],
        pages["directeur"],
        DUTCH_ONLY,
        allowed=(world.organisation.name,),
    )
    assert len(pages["beheerder_stichting"]) > 20
    assert (dutch, flemish) == ([], []), (
        "Flemish words for Stichting Demo:\n"
        + "\n".join(dutch)
        + "\nDutch words for Scholengroep Demo:\n"
        + "\n".join(flemish)
    )
