from __future__ import annotations

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from teamwerk.catalogue.models import Profile
from teamwerk.core.forms import BootstrapFormMixin
from teamwerk.planning.models import PlannedTask

from .models import (
    TEXT_LIMIT,
    DocumentKind,
    JobDescriptionInfo,
    SchoolDocumentSettings,
    Vacancy,
)

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


class VacancyStartForm(forms.Form):
    """Start a vacancy from the tasks to recruit for (step 6) and/or a role profile."""

    tasks = forms.ModelMultipleChoiceField(
        label=_("Taken voor deze rol"),
        queryset=PlannedTask.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    profile = forms.ModelChoiceField(
        label=_("Rolprofiel"), queryset=Profile.objects.order_by("name_nl"), required=False
    )

    def __init__(self, *args, recruit=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tasks"].queryset = PlannedTask.objects.filter(pk__in=[t.pk for t in recruit])
        self.fields["tasks"].label_from_instance = lambda item: (
            f"{item.task.code} {item.task.title}"
        )
        self.fields["profile"].label_from_instance = lambda profile: profile.name
        self.fields["profile"].widget.attrs["class"] = "form-select"

    def clean(self):
        data = super().clean()
        if not data.get("tasks") and not data.get("profile"):
            raise forms.ValidationError(_("Kies minstens één taak of een rolprofiel."))
        return data


class VacancyForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Vacancy
        fields = [
            "title",
            "context",
            "role",
            "profile_text",
            "tasks_text",
            "fte",
            "hours_per_year",
            "duration",
            "presence",
            "start",
            "how_to_apply",
            "timeline_internal",
            "timeline_external",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 4, "maxlength": TEXT_LIMIT})
            for name in ("context", "role", "profile_text", "tasks_text", "how_to_apply")
        } | {
            "fte": forms.NumberInput(attrs={"step": "0.1", "min": "0.1", "max": "1.0"}),
            "hours_per_year": forms.NumberInput(attrs={"step": "1", "min": "1", "max": "2000"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.organisation_id:  # the region's word for the size of the post
            self.fields["fte"].label = str(
                self.instance.organisation.terms["post_size_label"]
            ).capitalize()
        for name in ("context", "role", "profile_text", "tasks_text", "how_to_apply"):
            self.fields[name].max_length = TEXT_LIMIT
            self.fields[name].validators.append(MaxLengthValidator(TEXT_LIMIT))


class HouseStyleForm(forms.Form):
    kind = forms.ChoiceField(label=_("Voor welk document"), choices=DocumentKind.choices)
    file = forms.FileField(label=_("Word-sjabloon (.docx)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].widget.attrs["class"] = "form-select"
        self.fields["file"].widget.attrs["class"] = "form-control"
        self.fields["file"].widget.attrs["accept"] = ".docx"
