"""The standard wording of the documents (data/wording.toml), in the user's language and with
the region's terms filled in."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

from django.utils.translation import get_language

from teamwerk.tenancy.models import Region

WORDING_FILE = Path(__file__).parent / "data" / "wording.toml"
LANGUAGES = ("nl", "en")


@lru_cache(maxsize=1)
def load_wording() -> dict:
    with WORDING_FILE.open("rb") as handle:
        return tomllib.load(handle)


def _lang() -> str:
    code = (get_language() or "nl")[:2]
    return code if code in LANGUAGES else "nl"


class Wording:
    """Texts for one region in the active language: ``wording.text("job", "intro")``."""

    def __init__(self, region: str):
        data = load_wording()
        self.lang = _lang()
        terms = data["terms"].get(region) or data["terms"][Region.FLANDERS.value]
        self.terms = {name: value[self.lang] for name, value in terms.items()}
        self._data = data

    def _fill(self, text: str, **extra: str) -> str:
        return text.format(**self.terms, **extra)

    def text(self, section: str, key: str, **extra: str) -> str:
        entry = self._data.get(section, {}).get(key)
        return self._fill(entry[self.lang], **extra) if entry else ""

    def domain(self, code: str, key: str) -> str:
        entry = self._data["domains"].get(code, {}).get(key)
        return self._fill(entry[self.lang]) if entry else ""
