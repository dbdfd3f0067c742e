"""Optimistic versions: a form carries the version of the row it was filled in on; the service
compares it, inside ``atomic()`` with the row locked, and bumps it. A stale save is refused
with :class:`ConcurrentChange`; the view keeps the user's input and shows what is stored now.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext as _


class ConcurrentChange(Exception):
    """Someone else saved the same thing meanwhile. ``current`` is what is stored now."""

    def __init__(self, message: str | None = None, *, current=None):
        message = message or changed_meanwhile()
        super().__init__(message)
        self.message = message
        self.current = current


def changed_meanwhile() -> str:
    return _(
        "Iemand anders heeft dit intussen gewijzigd. Jouw wijziging is nog niet bewaard: "
        "vergelijk hieronder en bewaar opnieuw als je ze wilt behouden."
    )


def check_version(stored: int, expected, *, current=None) -> None:
    """Refuse the save unless the caller saw the stored version. A form without a version
    (an old page, a hand-made request) cannot prove it saw the current row: refused too."""
    try:
        seen = int(expected)
    except (TypeError, ValueError):
        seen = None
    if seen != stored:
        raise ConcurrentChange(current=current)


def version_field() -> forms.IntegerField:
    """The hidden input that carries the version a form was filled in on."""
    return forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


def with_version(data, version: int):
    """The user's input again, now based on the current version: saving once more puts their
    input over the newer one (after they have seen it)."""
    data = data.copy()
    data["version"] = str(version)
    return data


@dataclass(frozen=True)
class Difference:
    label: str
    theirs: str
    yours: str


def _shown(field: forms.BoundField, value) -> str:
    if value in (None, "", [], ()):
        return "—"
    if isinstance(field.field, forms.BooleanField):
        return _("ja") if value in (True, "on", "true", "True", "1") else _("nee")
    choices = getattr(field.field, "choices", None)
    if choices is not None:
        values = value if isinstance(value, list | tuple) else [value]
        labels = {str(key): str(label) for key, label in choices}
        return ", ".join(labels.get(str(v), str(v)) for v in values)
    return str(value)


def differences(form: forms.Form, current: dict) -> list[Difference]:
    """The fields where the stored values (``current``, by field name) differ from what the
    user typed: shown next to each other above the form."""
    rows = []
    for name, bound in form.fields.items():
        if name == "version" or name not in current or isinstance(bound.widget, forms.HiddenInput):
            continue
        field = form[name]
        theirs = _shown(field, current[name])
        yours = _shown(field, field.value())
        if theirs != yours:
            rows.append(Difference(str(field.label), theirs, yours))
    return rows
