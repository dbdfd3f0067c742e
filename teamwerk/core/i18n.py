"""Content that lives in two languages in the database (`title_nl`, `title_en`)."""

from __future__ import annotations

from django.utils.translation import get_language


def current_language() -> str:
    return "en" if (get_language() or "nl").startswith("en") else "nl"


def localized(obj, field: str) -> str:
    """obj.<field>_<lang>, falling back to Dutch when the English text is empty, with the
    region's words filled in for its placeholders."""
    from teamwerk.tenancy.terms import fill_terms

    language = current_language()
    value = getattr(obj, f"{field}_{language}", "") or ""
    # Content files write the words that differ by region as placeholders ({teachers}).
    return fill_terms(value or getattr(obj, f"{field}_nl", "") or "")
