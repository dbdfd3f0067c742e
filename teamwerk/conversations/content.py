"""The conversation guide (``data/guide.toml``): loaded once, checked, and shown in the user's
language with the region's terms filled in.

The file is content, not code: key figures, the main questions with their topics and tips, the
teacher's questions as the starting point and PDCA as the frame. Every text is a table with
``nl`` and ``en``; :func:`load_guide` checks the whole file and lists every problem at once.
Loading is idempotent: the parsed file is kept (one read per process), and recorded
conversations refer to it only by code.
"""

from __future__ import annotations

import re
import string
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.utils.translation import get_language

GUIDE_FILE = Path(__file__).resolve().parent / "data" / "guide.toml"
LANGUAGES = ("nl", "en")
FIGURE_GROUPS = ("school", "board")
# The region's words the texts may use (see Organisation.terms); capitalised forms too.
TERM_NAMES = ("teacher", "teachers", "board", "organisation")
PLACEHOLDERS = frozenset(TERM_NAMES) | {name.capitalize() for name in TERM_NAMES}
CODE_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,29}$")


class GuideError(ValueError):
    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def _is_text(node: Any) -> bool:
    return isinstance(node, dict) and set(node) <= set(LANGUAGES) and bool(node)


def text_nodes(node: Any, path: str = "") -> list[tuple[str, dict]]:
    """Every text entry of the guide (a table with a language key), with where it sits."""
    found: list[tuple[str, dict]] = []
    if _is_text(node):
        found.append((path, node))
    elif isinstance(node, dict):
        for key, value in node.items():
            found.extend(text_nodes(value, f"{path}.{key}" if path else key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found.extend(text_nodes(value, f"{path}[{index}]"))
    return found


def _check(data: dict) -> list[str]:
    problems: list[str] = []
    for path, node in text_nodes(data):
        for lang in LANGUAGES:
            value = node.get(lang)
            if not isinstance(value, str) or not value.strip():
                problems.append(f"{path}: no {lang} text")
                continue
            try:
                names = {name for _t, name, _f, _c in string.Formatter().parse(value) if name}
            except ValueError as error:
                problems.append(f"{path}.{lang}: {error}")
                continue
            unknown = names - PLACEHOLDERS
            if unknown:
                problems.append(f"{path}.{lang}: unknown placeholder {sorted(unknown)}")
    sections = ("intro", "start", "pdca", "themes", "figures", "questions")
    missing = [f"missing section {key}" for key in sections if key not in data]
    if missing:
        return problems + missing
    themes = {theme["code"] for theme in data["themes"]}
    seen: set[str] = set()
    topic_codes: set[str] = set()
    for question in data["questions"]:
        code = question.get("code", "")
        if code in seen or not CODE_RE.match(code):
            problems.append(f"question {code!r}: code missing, malformed or used twice")
        seen.add(code)
        if question.get("theme") not in themes:
            problems.append(f"question {code}: unknown theme {question.get('theme')!r}")
        for key in ("title", "question", "text"):
            if key not in question:
                problems.append(f"question {code}: no {key}")
        if not question.get("topics"):
            problems.append(f"question {code}: no topics")
        if not question.get("tips"):
            problems.append(f"question {code}: no tips")
        for topic in question.get("topics", []):
            if topic.get("code") in topic_codes or not CODE_RE.match(topic.get("code", "")):
                problems.append(f"question {code}: topic code {topic.get('code')!r} bad or twice")
            topic_codes.add(topic.get("code"))
    figures: set[str] = set()
    for figure in data["figures"]:
        code = figure.get("code", "")
        if code in figures or not CODE_RE.match(code):
            problems.append(f"figure {code!r}: code missing, malformed or used twice")
        figures.add(code)
        if figure.get("group") not in FIGURE_GROUPS:
            problems.append(f"figure {code}: group must be one of {FIGURE_GROUPS}")
        for key in ("name", "summary"):
            if key not in figure:
                problems.append(f"figure {code}: no {key}")
        if not figure.get("prepare"):
            problems.append(f"figure {code}: nothing to prepare")
        unknown = set(figure.get("questions", [])) - seen
        if not figure.get("questions") or unknown:
            problems.append(f"figure {code}: questions missing or unknown {sorted(unknown)}")
    return problems


def loads_guide(text: str) -> dict:
    """Parse and check a guide; raises :class:`GuideError` naming every problem."""
    data = tomllib.loads(text)
    problems = _check(data)
    if problems:
        raise GuideError(problems)
    return data


@lru_cache(maxsize=1)
def load_guide() -> dict:
    return loads_guide(GUIDE_FILE.read_text(encoding="utf-8"))


def figure_codes() -> list[str]:
    return [figure["code"] for figure in load_guide()["figures"]]


def question_codes() -> list[str]:
    return [question["code"] for question in load_guide()["questions"]]


def topic_codes() -> list[str]:
    return [t["code"] for q in load_guide()["questions"] for t in q["topics"]]


# ---------------------------------------------------------------- in the user's language


def language() -> str:
    code = (get_language() or "nl")[:2]
    return code if code in LANGUAGES else "nl"


class _Terms(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def terms_for(organisation) -> dict[str, str]:
    """The region's words for the placeholders (``{teacher}`` → "leraar" or "docent")."""
    from teamwerk.tenancy.models import REGION_TERMS, Region

    raw = organisation.terms if organisation is not None else REGION_TERMS[Region.FLANDERS]
    terms = _Terms()
    for name in TERM_NAMES:
        value = str(raw.get(name, "")).lower() or name
        terms[name] = value
        terms[name.capitalize()] = value[:1].upper() + value[1:]
    return terms


def _localise(node: Any, lang: str, terms: dict) -> Any:
    if _is_text(node):
        return node[lang].format_map(terms)
    if isinstance(node, dict):
        return {key: _localise(value, lang, terms) for key, value in node.items()}
    if isinstance(node, list):
        return [_localise(value, lang, terms) for value in node]
    return node


@dataclass(frozen=True)
class Guide:
    """The guide as one reader sees it: plain strings in their language and region."""

    data: dict

    @property
    def figures(self) -> list[dict]:
        return self.data["figures"]

    @property
    def questions(self) -> list[dict]:
        return self.data["questions"]

    def figure(self, code: str) -> dict | None:
        return next((f for f in self.figures if f["code"] == code), None)

    def question(self, code: str) -> dict | None:
        return next((q for q in self.questions if q["code"] == code), None)

    def figures_in(self, group: str) -> list[dict]:
        return [f for f in self.figures if f["group"] == group]

    def figure_names(self, codes) -> list[str]:
        names = {f["code"]: f["name"] for f in self.figures}
        return [names.get(code, code) for code in codes]

    def question_titles(self, codes) -> list[str]:
        titles = {q["code"]: f"{q['code']}. {q['title']}" for q in self.questions}
        return [titles.get(code, code) for code in codes]

    def topic_titles(self, codes) -> list[str]:
        titles = {
            t["code"]: f"{t['code']} {t['title']}" for q in self.questions for t in q["topics"]
        }
        return [titles.get(code, code) for code in codes]

    def theme_name(self, code: str) -> str:
        return next((t["name"] for t in self.data["themes"] if t["code"] == code), code)


def guide_for(organisation=None) -> Guide:
    """The guide in the active language with the organisation's regional terms."""
    data = _localise(load_guide(), language(), terms_for(organisation))
    themes = {t["code"]: t["name"] for t in data["themes"]}
    for question in data["questions"]:
        question["theme_name"] = themes.get(question["theme"], question["theme"])
    return Guide(data)
