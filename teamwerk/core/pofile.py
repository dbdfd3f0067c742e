"""A small reader for gettext .po files: enough to check that every text has a translation."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class PoEntry:
    msgid: str = ""
    msgctxt: str | None = None
    msgstrs: list[str] = field(default_factory=list)
    fuzzy: bool = False

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    @property
    def translated(self) -> bool:
        return bool(self.msgstrs) and all(self.msgstrs) and not self.fuzzy


def read_po(path: Path) -> list[PoEntry]:
    entries: list[PoEntry] = []
    current = PoEntry()
    target: str | None = None

    def finish() -> None:
        nonlocal current
        if current.msgid or current.msgstrs:
            entries.append(current)
        current = PoEntry()

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            finish()
            target = None
            continue
        if line.startswith("#,") and "fuzzy" in line:
            current.fuzzy = True
        if line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            text = ast.literal_eval(line)
        else:
            text = ast.literal_eval(rest) if rest else ""
            if keyword == "msgctxt":
                target = "ctxt"
                current.msgctxt = ""
            elif keyword == "msgid":
                target = "id"
            elif keyword == "msgid_plural":
                target = "plural"
                continue
            elif keyword.startswith("msgstr"):
                target = "str"
                current.msgstrs.append("")
        if target == "ctxt":
            current.msgctxt = (current.msgctxt or "") + text
        elif target == "id":
            current.msgid += text
        elif target == "str":
            current.msgstrs[-1] += text
    finish()
    # The header entry has an empty msgid.
    return [entry for entry in entries if entry.msgid]
