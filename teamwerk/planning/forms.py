from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from teamwerk.catalogue.models import Domain, Level
from teamwerk.core.forms import BootstrapFormMixin
from teamwerk.core.limits import HOURS_PER_YEAR

from .excel import MAX_FILE_BYTES
from .models import Horizon, Priority, Sourcing, TaskPlan
from .selectors import PlanFilters, missing_catalogue_tasks

STATUS_CHOICES = [
    ("", _("Alle taken")),
    ("undecided", _("Nog te beslissen")),
    ("applies", _("Van toepassing")),
    ("not_applies", _("Niet van toepassing")),
    ("active", _("Nodig dit jaar")),
    ("later", _("Gespreid over later")),
]


def _blank(label):
    return [("", label)]


class PlanFilterForm(BootstrapFormMixin, forms.Form):
    q = forms.CharField(label=_("Zoeken"), required=False, max_length=100)
    domain = forms.ChoiceField(label=_("Domein"), required=False)
    status = forms.ChoiceField(label=_("Toon"), required=False, choices=STATUS_CHOICES)
    sourcing = forms.ChoiceField(
        label=_("Wie voert uit"),
        required=False,
        choices=_blank(_("Iedereen")) + list(Sourcing.choices),
    )
    level = forms.ChoiceField(
        label=_("Niveau"), required=False, choices=_blank(_("Elk niveau")) + list(Level.choices)
    )

    def __init__(self, *args, domains=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["domain"].choices = _blank(_("Alle domeinen")) + [
            (domain.code, domain.name) for domain in domains
        ]
        self.fields["q"].widget.attrs.update(
            {"placeholder": _("Taak, code of notitie"), "type": "search", "autocomplete": "off"}
        )
        for field in self.fields.values():
            css = field.widget.attrs.get("class", "")
            field.widget.attrs["class"] = css.replace("form-select", "form-select form-select-sm")
            field.widget.attrs["class"] = field.widget.attrs["class"].replace(
                "form-control", "form-control form-control-sm"
            )

    def filters(self) -> PlanFilters:
        if not self.is_valid():
            return PlanFilters()
        return PlanFilters(**{name: self.cleaned_data.get(name) or "" for name in self.fields})


# Bulk actions: one choice says what to set; value -> (label, fields for the service).
BULK_ACTIONS = {
    "applies_yes": (_("Van toepassing: ja"), {"applies": True}),
    "applies_no": (_("Van toepassing: nee"), {"applies": False}),
    "horizon_now": (_("Horizon: essentieel nu"), {"horizon": Horizon.NOW}),
    "horizon_later": (_("Horizon: spreiden over latere jaren"), {"horizon": Horizon.LATER}),
    "horizon_dropped": (_("Horizon: laten vallen"), {"horizon": Horizon.DROPPED}),
    "level_school": (_("Niveau: school"), {"level": Level.SCHOOL}),
    "level_group": (_("Niveau: groep"), {"level": Level.GROUP}),
    "level_usual": (_("Niveau: het gebruikelijke (waar nog leeg)"), {"use_usual_level": True}),
    "sourcing_team": (_("Wie: eigen team"), {"sourcing": Sourcing.TEAM}),
    "sourcing_recruit": (_("Wie: aanwerven"), {"sourcing": Sourcing.RECRUIT}),
    "sourcing_outsource": (_("Wie: uitbesteden"), {"sourcing": Sourcing.OUTSOURCE}),
    "sourcing_group": (_("Wie: via de groep"), {"sourcing": Sourcing.GROUP}),
    "hours_usual": (_("Uren: het gebruikelijke midden (waar nog leeg)"), {"use_usual_hours": True}),
    "priority_1": (_("Prioriteit: hoog"), {"priority": Priority.HIGH}),
    "priority_2": (_("Prioriteit: middel"), {"priority": Priority.MEDIUM}),
    "priority_3": (_("Prioriteit: laag"), {"priority": Priority.LOW}),
}


class BulkForm(BootstrapFormMixin, forms.Form):
    scope = forms.ChoiceField(label=_("Voor"))
    action = forms.ChoiceField(
        label=_("Zet"),
        choices=_blank(_("Kies wat je wilt instellen…"))
        + [(key, label) for key, (label, _fields) in BULK_ACTIONS.items()],
    )
    items = forms.TypedMultipleChoiceField(required=False, coerce=int)

    def __init__(self, *args, plan: TaskPlan, domains=(), item_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.domains = {domain.code: domain for domain in domains}
        self.fields["scope"].choices = [("selected", _("de aangevinkte taken"))] + [
            (f"domain:{domain.code}", _("alle taken van %(name)s") % {"name": domain.name})
            for domain in domains
        ]
        self.fields["items"].choices = [(pk, pk) for pk in item_ids]

    def clean(self):
        data = super().clean()
        if data.get("scope") == "selected" and not data.get("items"):
            raise forms.ValidationError(_("Vink eerst een of meer taken aan."))
        return data

    def target(self):
        scope = self.cleaned_data["scope"]
        if scope.startswith("domain:"):
            return self.domains[scope.removeprefix("domain:")]
        return self.cleaned_data["items"]

    def fields_to_set(self) -> dict:
        return dict(BULK_ACTIONS[self.cleaned_data["action"]][1])


class CustomTaskForm(BootstrapFormMixin, forms.Form):
    domain = forms.ModelChoiceField(label=_("Domein"), queryset=Domain.objects.all())
    title_nl = forms.CharField(label=_("Titel"), max_length=255)
    title_en = forms.CharField(
        label=_("Titel in het Engels"),
        max_length=255,
        required=False,
        help_text=_("Mag leeg blijven; dan tonen we de Nederlandse titel."),
    )
    description_nl = forms.CharField(
        label=_("Wat houdt de taak in?"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    hours = HOURS_PER_YEAR.form_field(label=_("Uren per jaar"), required=False)
    horizon = forms.ChoiceField(
        label=_("Horizon"), required=False, choices=_blank("—") + list(Horizon.choices)
    )
    level = forms.ChoiceField(
        label=_("Niveau"), required=False, choices=_blank("—") + list(Level.choices)
    )
    sourcing = forms.ChoiceField(
        label=_("Wie voert uit"), required=False, choices=_blank("—") + list(Sourcing.choices)
    )
    notes = forms.CharField(
        label=_("Notities"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["domain"].label_from_instance = lambda domain: domain.name


class AddTasksForm(BootstrapFormMixin, forms.Form):
    tasks = forms.ModelMultipleChoiceField(
        label=_("Taken"), queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, plan: TaskPlan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tasks"].queryset = missing_catalogue_tasks(plan)
        self.fields["tasks"].widget.attrs["class"] = "form-check-input"


class ImportForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Excel-bestand (.xlsx)"),
        help_text=_("Het bestand dat je uit Teamwerk exporteerde, eventueel aangevuld in Excel."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = (
            ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("Het bestand is te groot: het mag hoogstens %(max)s MB zijn.")
                % {"max": MAX_FILE_BYTES // 1024 // 1024}
            )
        return upload


class PlanStartForm(BootstrapFormMixin, forms.Form):
    start_year = forms.TypedChoiceField(label=_("Schooljaar"), coerce=int)
    source = forms.ChoiceField(label=_("Vertrek van"))

    def __init__(self, *args, years=(), earlier_plans=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["start_year"].choices = [(y, f"{y}-{y + 1}") for y in years]
        self.fields["source"].choices = [("catalogue", _("de standaardcatalogus"))] + [
            (str(plan.pk), _("het overzicht van %(year)s") % {"year": plan.school_year})
            for plan in earlier_plans
        ]
        self.earlier = {str(plan.pk): plan for plan in earlier_plans}

    def source_plan(self):
        return self.earlier.get(self.cleaned_data["source"])


class GroupDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("group", "group"), ("school", "school")])
