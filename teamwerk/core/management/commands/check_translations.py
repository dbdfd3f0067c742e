"""Each app keeps its own English catalogue (teamwerk/<app>/locale); the project's templates
keep theirs in locale/. This command checks every catalogue is complete, or with --update
refreshes them (what `make messages` runs)."""

from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from teamwerk.core.pofile import read_po

LANGUAGE = "en"
ALWAYS_IGNORED = [".venv", "node_modules", "var", "tests"]


@contextmanager
def working_directory(path: Path):
    before = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


def catalogue_places() -> list[tuple[Path, list[str]]]:
    """(folder to extract from, extra ignore patterns): one per app, one for the project."""
    package = Path(settings.BASE_DIR) / "teamwerk"
    apps = sorted(p.parent for p in package.glob("*/apps.py"))
    project_ignores = [f"teamwerk/{app.name}" for app in apps]
    return [(app, []) for app in apps] + [(Path(settings.BASE_DIR), project_ignores)]


def extract(folder: Path, ignores: list[str]) -> None:
    (folder / "locale").mkdir(exist_ok=True)
    with working_directory(folder):
        call_command(
            "makemessages",
            locale=[LANGUAGE],
            no_location=True,
            no_obsolete=True,
            ignore_patterns=ALWAYS_IGNORED + ignores,
            verbosity=0,
        )


class Command(BaseCommand):
    help = "Check that every English catalogue has every text, translated and not fuzzy."

    def add_arguments(self, parser):
        parser.add_argument("--update", action="store_true", help="Refresh the catalogues.")

    def handle(self, *args, update: bool = False, **options):
        problems = []
        total = 0
        for folder, ignores in catalogue_places():
            po_path = folder / "locale" / LANGUAGE / "LC_MESSAGES" / "django.po"
            if update:
                extract(folder, ignores)
                continue
            if not po_path.exists():
                if self._has_texts(folder, ignores):
                    problems.append(f"{po_path} is missing: run `make messages`.")
                continue
            committed = read_po(po_path)
            total += len(committed)
            with tempfile.TemporaryDirectory() as tmp:
                backup = Path(tmp) / "django.po"
                shutil.copy2(po_path, backup)
                try:
                    extract(folder, ignores)
                    fresh = read_po(po_path)
                finally:
                    shutil.copy2(backup, po_path)
            known = {entry.key for entry in committed}
            missing = [e.msgid for e in fresh if e.key not in known]
            untranslated = [e.msgid for e in committed if not e.translated]
            rel = po_path.relative_to(settings.BASE_DIR)
            if missing:
                problems.append(
                    f"{rel}: {len(missing)} text(s) missing (run `make messages`): "
                    + "; ".join(repr(m[:60]) for m in missing[:10])
                )
            if untranslated:
                problems.append(
                    f"{rel}: {len(untranslated)} text(s) untranslated or fuzzy: "
                    + "; ".join(repr(m[:60]) for m in untranslated[:10])
                )
        if problems:
            raise CommandError("\n".join(problems))
        if not update:
            self.stdout.write(self.style.SUCCESS(f"Translations complete: {total} texts."))

    def _has_texts(self, folder: Path, ignores: list[str]) -> bool:
        with tempfile.TemporaryDirectory():
            po_path = folder / "locale" / LANGUAGE / "LC_MESSAGES" / "django.po"
            extract(folder, ignores)
            found = po_path.exists() and bool(read_po(po_path))
            if po_path.exists():
                po_path.unlink()
            return found
