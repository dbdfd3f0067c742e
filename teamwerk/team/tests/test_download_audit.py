"""Downloads leave a trace in the audit log of the organisation that owns the data."""

from __future__ import annotations

import pytest
from django.urls import reverse

from teamwerk.accounts.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_the_import_template_download_is_audited(world, client_for):
    response = client_for("ict_noord").get(reverse("team_import_template"))
    assert response.status_code == 200
    event = AuditEvent.objects.filter(kind="people.template_downloaded").latest("pk")
    assert event.actor == world.users["ict_noord"]
    assert event.organisation_id == world.organisation.pk


def test_the_step_plan_pdf_download_is_audited(world, client_for):
    response = client_for("directie_noord").get(reverse("stappenplan_pdf", args=[world.noord.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    event = AuditEvent.objects.filter(kind="stappenplan.exported").latest("pk")
    assert event.actor == world.users["directie_noord"]
    assert event.organisation_id == world.organisation.pk
    assert event.data["school"] == world.noord.pk
