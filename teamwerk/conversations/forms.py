from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from teamwerk.core.forms import BootstrapFormMixin
from teamwerk.core.versions import version_field

from .content import Guide
from .models import AGREEMENT_MAX, NOTES_MAX, PREPARATION_MAX, SUBJECT_MAX


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class PersonChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        extra = f" · {obj.job_title}" if obj.job_title else ""
        return f"{obj.full_name}{extra}"


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.full_name


def _guide_choices(guide: Guide) -> dict[str, list[tuple[str, str]]]:
    return {
        "key_figures": [(f["code"], f["name"]) for f in guide.figures],
        "questions": [(q["code"], f"{q['code']}. {q['title']}") for q in guide.questions],
        "topics": [
            (t["code"], f"{t['code']} {t['title']}") for q in guide.questions for t in q["topics"]
        ],
    }


class ConversationForm(BootstrapFormMixin, forms.Form):
    """Prepare a conversation (and, with ``record``, write down how it went)."""

    subject = forms.CharField(label=_("Onderwerp"), max_length=SUBJECT_MAX)
    held_on = forms.DateField(label=_("Datum"), widget=DateInput)
    key_figures = forms.MultipleChoiceField(
        label=_("Met welke sleutelfiguren?"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    questions = forms.MultipleChoiceField(
        label=_("Welke hoofdvragen?"), required=False, widget=forms.CheckboxSelectMultiple
    )
    topics = forms.MultipleChoiceField(
        label=_("Welke onderwerpen uit de gids?"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    participants = PersonChoices(
        label=_("Deelnemers"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Wie deelneemt, leest het verslag; de directie ook."),
    )
    preparation = forms.CharField(
        label=_("Voorbereiding"),
        required=False,
        max_length=PREPARATION_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Vragen van de deelnemers, wat je meebrengt."),
    )

    def __init__(self, *args, guide: Guide, people, **kwargs):
        super().__init__(*args, **kwargs)
        for name, choices in _guide_choices(guide).items():
            self.fields[name].choices = choices
        self.fields["participants"].queryset = people
        for name in ("key_figures", "questions", "topics", "participants"):
            self.fields[name].widget.attrs["class"] = "form-check-input"


class RecordForm(ConversationForm):
    notes = forms.CharField(
        label=_("Verslag"),
        required=False,
        max_length=NOTES_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Alleen de deelnemers, wie het vastlegde en de directie lezen dit."),
    )
    recorded = forms.BooleanField(label=_("Het gesprek heeft plaatsgevonden"), required=False)
    version = version_field()

    field_order = [
        "subject",
        "held_on",
        "recorded",
        "participants",
        "key_figures",
        "questions",
        "topics",
        "preparation",
        "notes",
    ]


class AgreementForm(BootstrapFormMixin, forms.Form):
    text = forms.CharField(label=_("Afspraak"), max_length=AGREEMENT_MAX)
    owner = PersonChoice(
        label=_("Trekker"), queryset=None, required=False, empty_label=_("(nog niemand)")
    )
    due = forms.DateField(label=_("Tegen wanneer?"), required=False, widget=DateInput)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people


class KeyFigureForm(BootstrapFormMixin, forms.Form):
    user = forms.ModelChoiceField(label=_("Wie"), queryset=None)
    figure = forms.ChoiceField(label=_("Sleutelfiguur"))

    def __init__(self, *args, candidates, guide: Guide, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = candidates
        self.fields["user"].label_from_instance = lambda u: (
            f"{u.get_full_name()} ({u.email})" if u.get_full_name() else u.email
        )
        self.fields["figure"].choices = [(f["code"], f["name"]) for f in guide.figures]
