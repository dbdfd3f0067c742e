"""Help per module: the first-visit introduction (closable, remembered per user) and the
help pages for school leaders. Content is data: ``core/data/help.toml`` (Dutch and English).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse

from teamwerk.core.i18n import current_language

HELP_FILE = Path(__file__).parent / "data" / "help.toml"
LANGS = ("nl", "en")


@dataclass(frozen=True)
class Section:
    heading: dict[str, str]
    body: dict[str, str]


@dataclass(frozen=True)
class Module:
    key: str
    url_name: str
    title: dict[str, str]
    intro: dict[str, str]
    sections: tuple[Section, ...]


def _texts(raw, where: str) -> dict[str, str]:
    if not isinstance(raw, dict) or any(not (raw.get(lang) or "").strip() for lang in LANGS):
        raise ValueError(f"{where}: needs a text in {', '.join(LANGS)}")
    return {lang: raw[lang].strip() for lang in LANGS}


@cache
def modules() -> dict[str, Module]:
    """Every module's help, checked on load: each text in Dutch and English."""
    raw = tomllib.loads(HELP_FILE.read_text(encoding="utf-8"))
    result = {}
    for key, entry in raw["modules"].items():
        result[key] = Module(
            key=key,
            url_name=entry["url_name"],
            title=_texts(entry["title"], f"{key}.title"),
            intro=_texts(entry["intro"], f"{key}.intro"),
            sections=tuple(
                Section(
                    _texts(s["heading"], f"{key}.sections[{i}].heading"),
                    _texts(s["body"], f"{key}.sections[{i}].body"),
                )
                for i, s in enumerate(entry.get("sections", []))
            ),
        )
    return result


def module_get(key: str) -> Module | None:
    return modules().get(key)


@dataclass(frozen=True)
class Intro:
    key: str
    title: str
    text: str
    help_url: str
    show: bool  # False once the user closed it: only the help link remains


def first_visit_intro(user, key: str) -> Intro | None:
    """The module's introduction for this user (``show`` until they closed it)."""
    from .models import IntroDismissal

    module = module_get(key)
    if module is None or not user.is_authenticated:
        return None
    lang = current_language()
    closed = IntroDismissal.objects.filter(user=user, module=key).exists()
    return Intro(
        key=key,
        title=module.title[lang],
        text=module.intro[lang],
        help_url=reverse("help_module", args=[key]),
        show=not closed,
    )


def intro_dismiss(*, user, module: str) -> None:
    """Remember that ``user`` closed the introduction of ``module`` (idempotent)."""
    from .models import IntroDismissal

    if module_get(module) is None:
        raise ValueError(module)
    try:
        with transaction.atomic():
            IntroDismissal.objects.get_or_create(user=user, module=module)
    except IntegrityError:
        pass  # closed twice at the same moment: closed is closed


def module_url(module: Module) -> str:
    if not module.url_name:
        return ""
    try:
        return reverse(module.url_name)
    except NoReverseMatch:
        return ""
