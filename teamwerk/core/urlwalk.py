"""Every named URL pattern of the project, for the access test that walks them all."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, get_resolver


def named_patterns() -> dict[str, str]:
    """url name -> route text; a URL without a name cannot be walked, so it is reported too."""
    found: dict[str, str] = {}

    def walk(patterns, prefix: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                route = prefix + str(pattern.pattern)
                name = pattern.name or f"<unnamed {route}>"
                found.setdefault(name, route)

    walk(get_resolver().url_patterns, "")
    return found
