from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from teamwerk.core.i18n import current_language

from .content import default_content
from .models import QUESTION_MAX, TITLE_MAX, QuestionKind
from .services import LONGEST_ROUND_DAYS


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _set_choices():
    lang = current_language()
    return [(spec.key, spec.name.get(lang)) for spec in default_content().sets.values()]


class RoundForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=TITLE_MAX)
    set_key = forms.ChoiceField(label=_("Vragenlijst"), widget=forms.RadioSelect)
    closes_on = forms.DateField(label=_("Antwoorden kan tot en met"), widget=DateInput())
    people = forms.MultipleChoiceField(
        label=_("Wie beantwoordt de vragen?"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.people_by_id = {str(p.pk): p for p in people}
        self.fields["people"].choices = [
            (str(p.pk), f"{p.full_name}{' · ' + p.job_title if p.job_title else ''}")
            for p in people
        ]
        self.fields["set_key"].choices = _set_choices()
        today = timezone.localdate()
        self.fields["closes_on"].initial = today + dt.timedelta(days=14)
        self.fields["closes_on"].widget.attrs.update(
            {
                "min": today.isoformat(),
                "max": (today + dt.timedelta(days=LONGEST_ROUND_DAYS)).isoformat(),
            }
        )

    def chosen_people(self) -> list:
        return [self.people_by_id[pk] for pk in self.cleaned_data["people"]]


class CustomQuestionForm(forms.Form):
    text = forms.CharField(label=_("Eigen vraag"), max_length=QUESTION_MAX)
    kind = forms.ChoiceField(label=_("Soort"), choices=QuestionKind.choices)


class ReopenForm(forms.Form):
    closes_on = forms.DateField(label=_("Nieuwe sluitingsdatum"), widget=DateInput())


class ActionFromResultForm(forms.Form):
    title = forms.CharField(label=_("Actie"), max_length=200)
    question = forms.ChoiceField(label=_("Naar aanleiding van"), required=False)
    due = forms.DateField(label=_("Tegen"), required=False, widget=DateInput())

    def __init__(self, *args, questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        lang = current_language()
        self.questions_by_code = {q.code: q for q in questions}
        self.fields["question"].choices = [("", _("de ronde als geheel"))] + [
            (q.code, q.text(lang)[:90]) for q in questions
        ]
