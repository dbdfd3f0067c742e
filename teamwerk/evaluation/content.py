"""The evaluation questions as content: loader and checker of ``data/questions.toml``.

Plain Python (no Django): topics, questions and named sets, each with Dutch and English text.
Problems are collected and raised together so an editor fixes the file in one go.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from pathlib import Path

DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "questions.toml"
LANGUAGES = ("nl", "en")
KINDS = ("scale", "open")
STEPS = (5, 6, 7)
SCALE = (1, 2, 3, 4, 5)


class ContentError(ValueError):
    pass


@dataclass(frozen=True)
class Text:
    nl: str
    en: str

    def get(self, lang: str) -> str:
        return self.en if lang == "en" and self.en else self.nl


@dataclass(frozen=True)
class Topic:
    code: str
    name: Text
    step: int | None


@dataclass(frozen=True)
class Question:
    code: str
    topic: str
    kind: str
    text: Text


@dataclass(frozen=True)
class QuestionSetSpec:
    key: str
    name: Text
    description: Text
    questions: tuple[str, ...]


@dataclass(frozen=True)
class Content:
    version: int
    topics: dict[str, Topic]
    questions: dict[str, Question]
    sets: dict[str, QuestionSetSpec]

    def set_questions(self, key: str) -> list[Question]:
        return [self.questions[code] for code in self.sets[key].questions]


def _text(raw, where: str, problems: list[str]) -> Text:
    if not isinstance(raw, dict) or not all(isinstance(raw.get(lang), str) for lang in LANGUAGES):
        problems.append(f"{where}: needs nl and en text")
        return Text("", "")
    return Text(raw["nl"].strip(), raw["en"].strip())


def loads_content(source: str) -> Content:
    data = tomllib.loads(source)
    problems: list[str] = []
    version = data.get("version")
    if not isinstance(version, int) or version < 1:
        problems.append("version must be a positive whole number")
    topics: dict[str, Topic] = {}
    for raw in data.get("topics", []):
        code = raw.get("code", "")
        step = raw.get("step")
        if step is not None and step not in STEPS:
            problems.append(f"topic {code}: step must be one of {STEPS}")
        if code in topics:
            problems.append(f"topic {code}: listed twice")
        topics[code] = Topic(code, _text(raw.get("name"), f"topic {code}", problems), step)
    questions: dict[str, Question] = {}
    for raw in data.get("questions", []):
        code = raw.get("code", "")
        if not code or code in questions:
            problems.append(f"question {code!r}: missing or listed twice")
        if raw.get("topic") not in topics:
            problems.append(f"question {code}: unknown topic {raw.get('topic')!r}")
        if raw.get("kind") not in KINDS:
            problems.append(f"question {code}: kind must be one of {KINDS}")
        text = _text(raw.get("text"), f"question {code}", problems)
        questions[code] = Question(code, raw.get("topic", ""), raw.get("kind", ""), text)
    sets: dict[str, QuestionSetSpec] = {}
    for raw in data.get("sets", []):
        key = raw.get("key", "")
        codes = tuple(raw.get("questions", []))
        unknown = [c for c in codes if c not in questions]
        if unknown:
            problems.append(f"set {key}: unknown questions {unknown}")
        if len(set(codes)) != len(codes) or not codes:
            problems.append(f"set {key}: empty or a question listed twice")
        sets[key] = QuestionSetSpec(
            key,
            _text(raw.get("name"), f"set {key}", problems),
            _text(raw.get("description"), f"set {key}", problems),
            codes,
        )
    if not sets:
        problems.append("at least one set is needed")
    if problems:
        raise ContentError("; ".join(problems))
    return Content(version, topics, questions, sets)


@functools.cache
def default_content() -> Content:
    return loads_content(DEFAULT_PATH.read_text(encoding="utf-8"))
