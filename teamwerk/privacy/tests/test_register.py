"""The processing register lists every personal field; the page shows it per organisation."""

from __future__ import annotations

import pytest
from django.db import models
from django.test.utils import isolate_apps
from django.urls import reverse

from teamwerk.privacy.models import RetentionSettings
from teamwerk.privacy.register import REGISTER, personal_fields, undeclared_fields

pytestmark = pytest.mark.django_db


def test_every_personal_field_is_in_the_register_or_declared_not_personal():
    assert undeclared_fields() == []


def test_the_register_names_fields_that_exist():
    from django.apps import apps

    for label, entry in REGISTER.items():
        model = apps.get_model(label)
        for name in (*entry.fields, *entry.not_personal):
            model._meta.get_field(name)  # raises for a field that left the model


@isolate_apps("teamwerk.privacy")
def test_a_new_personal_field_is_reported_until_the_register_lists_it():
    from teamwerk.team.models import Person

    class Feedback(models.Model):
        person = models.ForeignKey(Person, on_delete=models.CASCADE)
        remark = models.TextField()
        score = models.PositiveSmallIntegerField()

        class Meta:
            app_label = "privacy"

        def __str__(self) -> str:
            return self.remark

    assert personal_fields([Feedback]) == {"privacy.feedback": ["person", "remark"]}
    assert undeclared_fields([Feedback]) == ["privacy.feedback.person", "privacy.feedback.remark"]


def test_the_register_page_shows_purpose_who_and_the_organisations_retention(world, client_for):
    RetentionSettings.objects.create(organisation=world.organisation, audit_log_days=400)
    page = client_for("teamlid_noord").get(reverse("privacy_register")).content.decode()
    assert "Verwerkingsregister" in page
    assert "wat wil je bijleren?" in page  # the development wish is listed
    assert "400 dagen" in page  # this organisation's audit log retention
    other = client_for("beheerder_stichting").get(reverse("privacy_register")).content.decode()
    assert "400 dagen" not in other and "730 dagen" in other


def test_anonymous_evaluation_comments_are_in_the_register(client_for):
    """They point at nobody, but people write them about their team."""
    assert personal_fields()["evaluation.answer"] == ["text"]
    page = client_for("beheerder").get(reverse("privacy_register")).content.decode()
    assert "Anonieme opmerkingen bij een evaluatie" in page
