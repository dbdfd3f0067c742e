"""Forms of the allocation assistant: what to keep, what matters, who might leave."""

from __future__ import annotations

from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from teamwerk.core.forms import BootstrapFormMixin
from teamwerk.planning.models import PlannedTask, TaskPlan
from teamwerk.team.models import Assignment, Person
from teamwerk.team.selectors import DISTRIBUTABLE
from teamwerk.tenancy.roles import Action

from .problem import ProposalOptions

CONTINUITY_CHOICES = [
    ("laag", _("Laag: schuif gerust door als iemand beter past")),
    ("middel", _("Middel: verander als het duidelijk beter is")),
    ("hoog", _("Hoog: verander alleen wat echt moet")),
]
BALANCE_CHOICES = [
    ("laag", _("Laag: wie het best past, krijgt de taak")),
    ("middel", _("Middel: let op de best passende mensen én op de uren")),
    ("hoog", _("Hoog: spreid het werk zo eerlijk mogelijk over de uren")),
]


class PlannedTaskChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.task.code} · {obj.task.title}"


class PersonChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name


class ProposalForm(BootstrapFormMixin, forms.Form):
    keep_owners = forms.BooleanField(
        label=_("Alle huidige trekkers blijven trekker"),
        required=False,
        help_text=_("De assistent zoekt dan alleen trekkers voor taken zonder, en back-ups."),
    )
    locked_tasks = PlannedTaskChoice(
        label=_("Deze taken blijven zoals ze zijn (trekker en back-up)"),
        queryset=PlannedTask.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    locked_people = PersonChoices(
        label=_("Deze mensen houden al hun huidige taken"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    continuity = forms.ChoiceField(
        label=_("Hoe belangrijk is het dat taken blijven waar ze zijn?"),
        choices=CONTINUITY_CHOICES,
        initial="middel",
        widget=forms.RadioSelect,
    )
    balance = forms.ChoiceField(
        label=_("Hoe belangrijk is een eerlijke spreiding van de uren?"),
        choices=BALANCE_CHOICES,
        initial="middel",
        widget=forms.RadioSelect,
    )
    allow_overload = forms.BooleanField(
        label=_("Iemand mag boven de eigen ICT-uren uitkomen als het niet anders kan"),
        required=False,
        help_text=_(
            "Zonder dit vinkje gaat niemand boven de eigen uren; wat niet past, blijft open."
        ),
    )
    more_time = forms.BooleanField(
        label=_("Geef de assistent meer rekentijd"),
        required=False,
        help_text=_("Het voorstel is dan later klaar (ongeveer vier keer zo lang rekenen)."),
    )

    def __init__(self, *args, user, plan: TaskPlan | None, people, **kwargs):
        super().__init__(*args, **kwargs)
        held = Assignment.objects.filter(planned_task=OuterRef("pk"))
        tasks = PlannedTask.objects.none()
        if plan is not None:
            tasks = (
                PlannedTask.objects.for_user(user, Action.EDIT)
                .filter(plan=plan)
                .filter(DISTRIBUTABLE)
                .filter(Exists(held))
                .select_related("task")
                .order_by("task__domain__order", "task__code")
            )
        self.fields["locked_tasks"].queryset = tasks
        self.fields["locked_people"].queryset = people
        for name in ("locked_tasks", "locked_people", "continuity", "balance"):
            # Lists of checkboxes and radios: Bootstrap styles each input, not the list.
            self.fields[name].widget.attrs["class"] = "form-check-input"

    def to_options(self) -> ProposalOptions:
        data = self.cleaned_data
        return ProposalOptions(
            keep_owners=data["keep_owners"],
            locked_tasks=tuple(t.pk for t in data["locked_tasks"]),
            locked_people=tuple(p.pk for p in data["locked_people"]),
            continuity=data["continuity"],
            balance=data["balance"],
            allow_overload=data["allow_overload"],
            more_time=data["more_time"],
        )


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name


class WhatIfForm(BootstrapFormMixin, forms.Form):
    person = PersonChoice(
        label=_("Wie valt uit?"),
        queryset=Person.objects.none(),
        empty_label=_("Kies iemand van het team"),
        error_messages={"invalid_choice": _("Kies iemand uit het team van deze school.")},
    )
    allow_overload = forms.BooleanField(
        label=_("Iemand mag boven de eigen ICT-uren uitkomen als het niet anders kan"),
        required=False,
    )
    more_time = forms.BooleanField(
        label=_("Geef de assistent meer rekentijd"),
        required=False,
        help_text=_("Het voorstel is dan later klaar (ongeveer vier keer zo lang rekenen)."),
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people

    def to_options(self) -> ProposalOptions:
        return ProposalOptions(
            allow_overload=self.cleaned_data["allow_overload"],
            more_time=self.cleaned_data["more_time"],
        )
