"""Loaded with `-p` before pytest-django reads the settings, which read the environment."""

import atexit
import os
import tempfile
from pathlib import Path

os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("SECRET_KEY", "test-only-secret-key")
os.environ.setdefault("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")
# The SQLite test database is one file per process (each xdist worker is one). Django removes
# the file itself; its write-ahead log may outlive it, so whatever is left goes at exit.
_SQLITE_TEST_NAME = Path(tempfile.gettempdir()) / f"teamwerk-test-{os.getpid()}.sqlite3"
os.environ.setdefault("SQLITE_TEST_NAME", str(_SQLITE_TEST_NAME))


@atexit.register
def _remove_sqlite_test_files() -> None:
    for path in _SQLITE_TEST_NAME.parent.glob(f"{_SQLITE_TEST_NAME.name}*"):
        path.unlink(missing_ok=True)
