"""The editable values of a planned task: one place that turns input into clean values.

Inline edits, bulk actions, the Excel import and the demo all pass their input through
:func:`clean_values`, so a value means the same wherever it comes from. Choice fields accept
the stored value as well as the Dutch and English labels (what a spreadsheet shows).
"""

from __future__ import annotations

import functools
import math
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from teamwerk.catalogue.models import Level
from teamwerk.core.limits import HOURS_PER_YEAR

from .models import Horizon, Priority, Sourcing

EDITABLE_FIELDS = ("applies", "horizon", "level", "sourcing", "hours", "priority", "notes")
CHOICE_FIELDS = {"horizon": Horizon, "level": Level, "sourcing": Sourcing}
# More than any one task could take in a year; stops typing errors (an extra 0).
MAX_HOURS = HOURS_PER_YEAR.high
MAX_NOTES = 2000
ONE_DECIMAL = Decimal("0.1")
# Characters a spreadsheet cannot hold and nobody types on purpose (keep tab and newline).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")

YES_WORDS = {"ja", "j", "yes", "y", "true", "waar", "1", "x"}
NO_WORDS = {"nee", "n", "no", "false", "onwaar", "0"}


class InvalidValue(ValueError):
    """A value that cannot be stored; the message is meant for the user."""


def _labels(choices, language: str) -> dict[str, object]:
    with translation.override(language):
        return {str(label).casefold(): value for value, label in choices.choices}


@functools.cache
def _choice_lookup(field: str) -> dict[str, object]:
    choices = Priority if field == "priority" else CHOICE_FIELDS[field]
    lookup: dict[str, object] = {}
    for language in ("nl", "en"):
        lookup.update(_labels(choices, language))
    for value in choices.values:
        lookup[str(value).casefold()] = value
    return lookup


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def clean_applies(value) -> bool | None:
    if _is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    text = str(value).strip().casefold()
    if text in YES_WORDS:
        return True
    if text in NO_WORDS:
        return False
    raise InvalidValue(_("Kies ja, nee of laat leeg."))


def clean_choice(field: str, value) -> str:
    if _is_blank(value):
        return ""
    found = _choice_lookup(field).get(str(value).strip().casefold())
    if found is None:
        options = ", ".join(str(label) for label in CHOICE_FIELDS[field].labels)
        raise InvalidValue(
            _("'%(value)s' is geen geldige keuze. Kies uit: %(options)s.")
            % {"value": value, "options": options}
        )
    return str(found)


def clean_hours(value) -> Decimal | None:
    if _is_blank(value):
        return None
    if isinstance(value, bool):
        raise InvalidValue(_("Vul een aantal uren in, bijvoorbeeld 12 of 7,5."))
    if isinstance(value, float) and not math.isfinite(value):
        raise InvalidValue(_("Vul een aantal uren in, bijvoorbeeld 12 of 7,5."))
    text = str(value).strip().replace(" ", "")
    if isinstance(value, str) and "," in text:
        # Dutch decimal comma ("7,5"); a thousands separator would be "1.200,5".
        text = text.replace(".", "").replace(",", ".")
    try:
        hours = Decimal(text)
    except InvalidOperation:
        raise InvalidValue(
            _("'%(value)s' is geen getal. Vul een aantal uren in, bijvoorbeeld 12 of 7,5.")
            % {"value": value}
        )
    if not hours.is_finite():
        raise InvalidValue(_("Vul een aantal uren in, bijvoorbeeld 12 of 7,5."))
    if hours < 0:
        raise InvalidValue(_("Het aantal uren kan niet negatief zijn."))
    if hours > MAX_HOURS:
        raise InvalidValue(
            _("Meer dan %(max)s uur voor één taak kan niet kloppen.") % {"max": MAX_HOURS}
        )
    return hours.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def clean_priority(value) -> int | None:
    if _is_blank(value):
        return None
    if isinstance(value, bool):
        raise InvalidValue(_("Kies hoog, middel of laag."))
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    found = _choice_lookup("priority").get(str(value).strip().casefold())
    if found is None:
        raise InvalidValue(_("Kies hoog, middel of laag."))
    return int(found)


def clean_notes(value) -> str:
    if _is_blank(value):
        return ""
    if not isinstance(value, str):
        value = str(value)
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    text = CONTROL_CHARACTERS.sub("", text).strip()
    if len(text) > MAX_NOTES:
        raise InvalidValue(
            _("Een notitie mag hoogstens %(max)s tekens lang zijn (nu %(count)s).")
            % {"max": MAX_NOTES, "count": len(text)}
        )
    return text


def clean_value(field: str, value):
    if field == "applies":
        return clean_applies(value)
    if field in CHOICE_FIELDS:
        return clean_choice(field, value)
    if field == "hours":
        return clean_hours(value)
    if field == "priority":
        return clean_priority(value)
    if field == "notes":
        return clean_notes(value)
    raise KeyError(field)


def clean_values(raw: dict) -> tuple[dict, dict[str, str]]:
    """Clean every editable field in ``raw``; returns (clean values, {field: message})."""
    cleaned: dict = {}
    errors: dict[str, str] = {}
    for field, value in raw.items():
        if field not in EDITABLE_FIELDS:
            raise KeyError(field)
        try:
            cleaned[field] = clean_value(field, value)
        except InvalidValue as error:
            errors[field] = str(error)
    return cleaned, errors


def field_label(field: str) -> str:
    from .models import PlannedTask

    return capfirst(str(PlannedTask._meta.get_field(field).verbose_name))


def display_value(field: str, value) -> str:
    """How a stored value reads for people (used in previews, history and conflicts)."""
    if value is None or value == "":
        return _("leeg")
    if field == "applies":
        return _("ja") if value else _("nee")
    if field in CHOICE_FIELDS:
        return str(CHOICE_FIELDS[field](value).label)
    if field == "priority":
        return str(Priority(int(value)).label)
    if field == "hours":
        return format_hours(value)
    return str(value)


def format_hours(value) -> str:
    if value is None:
        return ""
    number = Decimal(value)
    text = f"{number:.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    if translation.get_language() and not translation.get_language().startswith("en"):
        text = text.replace(".", ",")
    return text
