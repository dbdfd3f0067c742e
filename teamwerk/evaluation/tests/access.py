"""Expected status per demo user for every URL of this app (see core/tests/test_url_access.py)."""

URL_ACCESS: dict = {}
