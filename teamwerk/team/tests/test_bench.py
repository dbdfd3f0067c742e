"""`manage.py bench_team` measures on a school it builds, and leaves nothing behind."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from teamwerk.team.models import Assignment, Person
from teamwerk.tenancy.models import Organisation

pytestmark = pytest.mark.django_db


def test_bench_team_reports_times_and_rolls_back(world):
    before = (Organisation.objects.count(), Person.objects.count(), Assignment.objects.count())
    out = StringIO()
    call_command("bench_team", people=6, tasks=70, repeat=1, stdout=out)
    report = out.getvalue()
    assert "school of 6 people and 70 tasks" in report
    for page in ("dashboard", "matrix", "people"):
        assert f"  {page}" in report and "ms" in report
    assert (
        Organisation.objects.count(),
        Person.objects.count(),
        Assignment.objects.count(),
    ) == before
