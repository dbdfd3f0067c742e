"""Forms of the action pages. Choices are scoped: only people the user may see, of the
school (or group) the action belongs to."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from teamwerk.core.forms import BootstrapFormMixin
from teamwerk.core.versions import version_field

from .models import LABEL_MAX, NOTES_MAX, TITLE_MAX, ActionSource, ActionStatus


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.full_name


class ActionForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=_("Wat moet er gebeuren?"), max_length=TITLE_MAX)
    owner = PersonChoiceField(
        label=_("Trekker"), queryset=None, required=False, empty_label=_("(nog niemand)")
    )
    due = forms.DateField(label=_("Tegen wanneer?"), required=False, widget=DateInput())
    status = forms.ChoiceField(label=_("PDCA-fase"), choices=ActionStatus.choices)
    source = forms.ChoiceField(label=_("Bron"), choices=ActionSource.choices)
    source_label = forms.CharField(
        label=_("Waar komt de actie vandaan?"),
        max_length=LABEL_MAX,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("bv. teamoverleg van 12 maart")}),
    )
    notes = forms.CharField(
        label=_("Notities"),
        max_length=NOTES_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    source_url = forms.CharField(widget=forms.HiddenInput, required=False, max_length=300)
    source_ref = forms.CharField(widget=forms.HiddenInput, required=False, max_length=100)
    version = version_field()

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners

    def clean_source_url(self):
        url = self.cleaned_data.get("source_url") or ""
        if url and (not url.startswith("/") or url.startswith("//")):
            return ""
        return url

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            name: data[name]
            for name in (
                "title",
                "owner",
                "due",
                "status",
                "source",
                "source_label",
                "notes",
                "source_url",
                "source_ref",
            )
        }


class ProgressForm(BootstrapFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("PDCA-fase"), choices=ActionStatus.choices)
    notes = forms.CharField(
        label=_("Notities"),
        max_length=NOTES_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = version_field()


class FilterForm(BootstrapFormMixin, forms.Form):
    """The list filters (GET). The owner choices are the owners in the list."""

    bron = forms.ChoiceField(
        label=_("Bron"), required=False, choices=[("", _("Alle bronnen")), *ActionSource.choices]
    )
    trekker = forms.ChoiceField(label=_("Trekker"), required=False)
    fase = forms.ChoiceField(
        label=_("Fase"), required=False, choices=[("", _("Alle fasen")), *ActionStatus.choices]
    )
    toon = forms.ChoiceField(
        label=_("Toon"),
        required=False,
        choices=[("open", _("Open")), ("done", _("Afgerond")), ("all", _("Alle"))],
    )
    te_laat = forms.BooleanField(label=_("Alleen te laat"), required=False)

    def __init__(self, *args, owners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trekker"].choices = [("", _("Iedereen"))] + [
            (str(p.pk), p.full_name) for p in owners
        ]


class RemindersForm(forms.Form):
    reminders_off = forms.BooleanField(required=False)
