import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "teamwerk.settings")
application = get_wsgi_application()

# Refuse to start without collected static files (DEBUG off): a clear message at start, not
# a 500 on every page.
from teamwerk.core.staticfiles import check_manifest  # noqa: E402

check_manifest()
