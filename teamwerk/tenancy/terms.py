"""The words that differ between Flanders and the Netherlands, in one lookup.

``organisation.terms`` gives the organisation's region's words, and templates read them as
``{{ terms.<name> }}`` (the ``tenancy`` context processor). The route, the catalogue, the
documents and the interface take a differing word from here, never write it themselves;
``teamwerk/core/tests/test_regional_words.py`` reads every page of a Dutch and a Flemish
organisation for the other region's words.

Keys are the values of ``Region`` (``tenancy.models``), which imports this table.
"""

from __future__ import annotations

import re
from contextvars import ContextVar, Token

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

FLANDERS = "BE-VL"
NETHERLANDS = "NL"

REGION_TERMS = {
    FLANDERS: {
        "school_number": _("Instellingsnummer"),
        "teacher": _("leraar"),
        "teachers": _("leraren"),
        "organisation": _("scholengroep"),
        "board": _("Schoolbestuur"),
        "advisory_service": _("pedagogische begeleidingsdienst"),
        "the_advisory_service": _("de pedagogische begeleidingsdienst"),
        "the_group": _("de scholengroep of scholengemeenschap"),
        "the_organisation": _("de scholengroep"),
        "national_programme": _("Digisprong"),
        "fte": _("voltijdse opdracht"),
        "hours_per_fte_label": _("uren per voltijdse opdracht"),
        "post_size_label": _("omvang (deel van een voltijdse opdracht)"),
        # One flag, one vocabulary: the proof that someone may teach.
        "qualification": _("bewijs van pedagogische bekwaamheid"),
        "qualification_short": _("pedagogische bekwaamheid"),
        "qualified": _("pedagogisch bekwaam"),
        "not_qualified": _("niet pedagogisch bekwaam"),
        "qualified_column": _("Pedagogisch bekwaam"),
        "needs_qualification": _("vraagt een bewijs van pedagogische bekwaamheid"),
        "no_qualification_needed": _("geen bewijs van pedagogische bekwaamheid nodig"),
        "hours_per_fte": 1600,
    },
    NETHERLANDS: {
        "school_number": _("BRIN-nummer"),
        "teacher": _("docent"),
        "teachers": _("docenten"),
        "organisation": _("bestuur"),
        "board": _("Bestuur"),
        "advisory_service": _("onderwijsadviesbureau"),
        "the_advisory_service": _("een onderwijsadviesbureau"),
        "the_group": _("het bestuur"),
        "the_organisation": _("het bestuur"),
        "national_programme": _("Kennisnet"),
        "fte": _("fte"),
        "hours_per_fte_label": _("uren per fte (normjaartaak)"),
        "post_size_label": _("omvang (fte)"),
        "qualification": _("lesbevoegdheid"),
        "qualification_short": _("lesbevoegdheid"),
        "qualified": _("bevoegd"),
        "not_qualified": _("niet bevoegd"),
        "qualified_column": _("Lesbevoegd"),
        "needs_qualification": _("vraagt een lesbevoegdheid"),
        "no_qualification_needed": _("geen lesbevoegdheid nodig"),
        "hours_per_fte": 1659,
    },
}


def terms_for(region: str | None) -> dict:
    """The words of a region; Flanders' when the region is unknown."""
    return REGION_TERMS.get(region or FLANDERS, REGION_TERMS[FLANDERS])


def terms_of(request) -> dict:
    """The words of the request's organisation (the current school's), or none."""
    organisation = getattr(request, "organisation", None)
    return organisation.terms if organisation is not None else {}


# ------------------------------------------------------------ placeholders in content files
#
# Content files (the route, the catalogue) write a differing word as a placeholder:
# ``{teachers}``, ``{the_group}``; ``{Teachers}`` gives it with a capital. The words of the
# request's organisation are activated by ``CurrentSchoolMiddleware``; outside a request
# (commands, tests without one) Flanders' words fill them.

_ACTIVE_REGION: ContextVar[str | None] = ContextVar("teamwerk_region", default=None)
PLACEHOLDER_RE = re.compile(r"\{([A-Za-z_]+)\}")


def activate_region(region: str | None) -> Token:
    """Make ``region``'s words fill placeholders until ``deactivate_region(token)``."""
    return _ACTIVE_REGION.set(region)


def deactivate_region(token: Token) -> None:
    _ACTIVE_REGION.reset(token)


def active_terms() -> dict:
    """The words of the current request's organisation (Flanders' outside a request): for
    messages written in Python, which have no template context."""
    return terms_for(_ACTIVE_REGION.get())


def fill_terms(text: str, lang: str | None = None, region: str | None = None) -> str:
    """``text`` with its term placeholders filled in ``lang`` (the active language if None).

    Unknown placeholders stay as they are, so other templates ({step}, {title}) pass through.
    """
    if "{" not in text:
        return text
    terms = terms_for(region or _ACTIVE_REGION.get())

    def word(match: re.Match) -> str:
        name = match.group(1)
        key = name[:1].lower() + name[1:]
        value = terms.get(key)
        if value is None or not isinstance(value, str | Promise):
            return match.group(0)
        if lang:
            with translation.override(lang):
                value = str(value)
        else:
            value = str(value)
        return value[:1].upper() + value[1:] if name[:1].isupper() else value

    return PLACEHOLDER_RE.sub(word, text)
