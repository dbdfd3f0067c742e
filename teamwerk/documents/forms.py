from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from teamwerk.core.forms import BootstrapFormMixin

from .models import JobDescriptionInfo, SchoolDocumentSettings

DEFAULT_HELP = _("Staat in elke functiebeschrijving, tenzij je per persoon iets anders invult.")


class DocumentSettingsForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = SchoolDocumentSettings
        fields = ["first_evaluator", "second_evaluator", "place"]
        help_texts = {
            "first_evaluator": DEFAULT_HELP,
            "second_evaluator": DEFAULT_HELP,
        }


class JobInfoForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = JobDescriptionInfo
        fields = ["function_title", "first_evaluator", "second_evaluator"]
