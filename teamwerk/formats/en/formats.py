"""Dates in English as British readers write them: "3 Nov 2026", "03/11/2026", 24-hour time."""

from django.conf.locale.en_GB.formats import *  # noqa: F403 - Django's British formats, then ours

DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y H:i"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j F"
