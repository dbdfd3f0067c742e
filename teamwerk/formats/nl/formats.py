"""Dates in Dutch as a Dutch or Flemish reader writes them: "3 nov. 2026", "3-11-2026"."""

from django.conf.locale.nl.formats import *  # noqa: F403 - Django's Dutch formats, then ours

# "N" is the month abbreviation with its full stop where Dutch writes one ("nov.", but "mei");
# the project's Dutch catalogue (locale/nl) gives those abbreviations.
DATE_FORMAT = "j N Y"
DATETIME_FORMAT = "j N Y H:i"
SHORT_DATETIME_FORMAT = "j-n-Y H:i"
