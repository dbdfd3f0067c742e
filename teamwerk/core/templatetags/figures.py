"""``{% figure "hours_needed" value %}``: one figure with its one label and explanation."""

from __future__ import annotations

from django import template

from teamwerk.core.figures import MEANINGS, plain_number

register = template.Library()


@register.inclusion_tag("core/_figure.html")
def figure(key: str, value, style: str = "stat", of=None, label=None):
    """``style``: "stat" (big number, label, explanation to open), "inline" (number and label
    in a sentence, the explanation as a tooltip and for screen readers), "value" (only the
    number, marked). ``of``: a total shown as "value / of"."""
    meaning = MEANINGS[key]
    return {
        "key": key,
        "value": value if value is not None else 0,
        "plain": plain_number(value),
        "of": of,
        "label": label or meaning.label,
        "explanation": meaning.explanation,
        "hours": meaning.hours,
        "style": style,
    }


@register.inclusion_tag("core/_figure_meanings.html")
def figure_meanings(*keys):
    """The labels and explanations of the given figures, as a short list to open."""
    return {"meanings": [(MEANINGS[key].label, MEANINGS[key].explanation) for key in keys]}
