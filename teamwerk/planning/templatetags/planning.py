"""Small display helpers for the task overview templates."""

from __future__ import annotations

from django import template

from ..selectors import missing_choices
from ..values import display_value, format_hours

register = template.Library()


@register.filter
def hours(value) -> str:
    """12 → "12", 7.5 → "7,5" (Dutch) or "7.5" (English); empty stays empty."""
    if value is None or value == "":
        return ""
    return format_hours(value)


@register.filter
def form_value(item, field: str) -> str:
    """The value of a planned task's field as its <select> or <input> carries it."""
    value = getattr(item, field)
    if field == "applies":
        return "" if value is None else ("yes" if value else "no")
    if value is None:
        return ""
    if field == "hours":
        return format_hours(value)
    return str(value)


@register.filter
def shown(item, field: str) -> str:
    """The value as people read it (for read-only rows)."""
    value = getattr(item, field)
    if value is None or value == "":
        return "—"
    return display_value(field, value)


@register.filter
def still_open(item) -> list[str]:
    return missing_choices(item)
