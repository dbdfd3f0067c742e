from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from teamwerk.catalogue.models import Domain, Profile
from teamwerk.core.forms import BootstrapFormMixin
from teamwerk.core.limits import HOURS_PER_YEAR, MANDATE_BUDGET
from teamwerk.core.versions import version_field

from .importer import MAX_UPLOAD_BYTES
from .models import AgreementKind, Availability, Competence, Level, Mandate, Motivation
from .selectors import persons_for_user
from .services import CompetenceEntry


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def school_people(user, school, school_year):
    """Active people with a place in the school this year: the only ones a form offers."""
    placed = Availability.objects.filter(
        person=OuterRef("pk"), school=school, school_year=school_year
    )
    return (
        persons_for_user(user)
        .filter(Exists(placed), active=True)
        .order_by("last_name", "first_name")
    )


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        extra = f" · {obj.job_title}" if obj.job_title else ""
        return f"{obj.full_name}{extra}"


class PersonForm(BootstrapFormMixin, forms.Form):
    first_name = forms.CharField(label=_("Voornaam"), max_length=100)
    last_name = forms.CharField(label=_("Achternaam"), max_length=100)
    email = forms.EmailField(
        label=_("E-mailadres"),
        required=False,
        help_text=_("Nodig om iemand uit te nodigen; elk adres komt maar één keer voor."),
    )
    job_title = forms.CharField(label=_("Functie"), max_length=150, required=False)
    profile = forms.ModelChoiceField(
        label=_("Rolprofiel"),
        queryset=Profile.objects.order_by("name_nl"),
        required=False,
        empty_label=_("(geen)"),
    )
    hours_available = HOURS_PER_YEAR.form_field(
        label=_("ICT-uren per jaar in deze school"),
        initial=0,
        help_text=_("De uren die deze persoon dit schooljaar voor ICT-taken krijgt."),
    )
    pedagogically_qualified = forms.BooleanField(
        label=_("Heeft een bewijs van pedagogische bekwaamheid"), required=False
    )
    external = forms.BooleanField(
        label=_("Extern (leverancier of partner, geen personeelslid)"), required=False
    )
    active = forms.BooleanField(label=_("Actief in het team"), required=False, initial=True)
    version = version_field()

    def __init__(self, *args, terms: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if terms:  # the region's word for the teaching qualification
            self.fields["pedagogically_qualified"].label = _("Heeft een %(qualification)s") % {
                "qualification": terms["qualification"]
            }


class AssignmentForm(BootstrapFormMixin, forms.Form):
    """Hours, mandate and period of one assignment; ``version`` guards against overwriting."""

    hours = HOURS_PER_YEAR.form_field(label=_("Uren per jaar"))
    mandate = forms.ChoiceField(
        label=_("Mandaat"),
        choices=Mandate.choices,
        help_text=_("Wat mag deze persoon zelf beslissen?"),
    )
    mandate_budget = MANDATE_BUDGET.form_field(
        label=_("Budget (€)"),
        required=False,
        help_text=_("Alleen bij ‘beslist binnen een budget’."),
    )
    mandate_note = forms.CharField(
        label=_("Toelichting bij het mandaat"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("bv. overlegt vooraf met de directie")}),
    )
    starts_on = forms.DateField(label=_("Vanaf"), widget=DateInput())
    ends_on = forms.DateField(label=_("Tot en met"), required=False, widget=DateInput())
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self):
        data = super().clean()
        if (
            data.get("mandate") == Mandate.BUDGET
            and data.get("mandate_budget") is None
            and "mandate_budget" not in self.errors  # a number out of range says so already
        ):
            self.add_error(
                "mandate_budget", _("Vul het budget in waarbinnen deze persoon zelf beslist.")
            )
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("De einddatum ligt voor de begindatum."))
        return data


class OwnerForm(AssignmentForm):
    person = PersonChoiceField(label=_("Trekker"), queryset=None, empty_label=_("Kies iemand"))
    field_order = [
        "person",
        "hours",
        "mandate",
        "mandate_budget",
        "mandate_note",
        "starts_on",
        "ends_on",
    ]

    def __init__(self, *args, user, school, school_year, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = school_people(user, school, school_year)
        self.fields["hours"].required = False
        self.fields["starts_on"].required = False
        self.fields["hours"].help_text = _("Leeg = de uren van de taak.")


class BackupForm(BootstrapFormMixin, forms.Form):
    person = PersonChoiceField(label=_("Back-up"), queryset=None, empty_label=_("Kies iemand"))
    hours = HOURS_PER_YEAR.form_field(
        label=_("Uren per jaar"),
        initial=0,
        required=False,
        help_text=_("Een back-up heeft vaak weinig of geen vaste uren."),
    )

    def __init__(self, *args, user, school, school_year, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = school_people(user, school, school_year)


class AgreementForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Soort afspraak"), choices=AgreementKind.choices)
    text = forms.CharField(
        label=_("Afspraak"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    documentation_location = forms.CharField(
        label=_("Waar staat de documentatie?"),
        max_length=300,
        required=False,
        widget=forms.TextInput(
            attrs={"placeholder": _("bv. gedeelde map ‘ICT-team’ op de schoolschijf")}
        ),
    )
    meeting_rhythm = forms.CharField(
        label=_("Hoe vaak komen jullie samen?"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("bv. elke eerste dinsdag van de maand")}),
    )
    channel = forms.CharField(
        label=_("Langs welk kanaal?"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("bv. Teams-kanaal ‘ICT’")}),
    )
    agreed_on = forms.DateField(label=_("Afgesproken op"), widget=DateInput())
    review_on = forms.DateField(
        label=_("Opnieuw bekijken op"),
        required=False,
        widget=DateInput(),
        help_text=_("Wanneer kijken jullie of de afspraak nog werkt?"),
    )
    responsible = PersonChoiceField(
        label=_("Wie bewaakt de afspraak?"),
        queryset=None,
        required=False,
        empty_label=_("(niemand)"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, school, school_year, kind: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = school_people(user, school, school_year)
        kind = self.data.get("kind") or kind or self.initial.get("kind")
        # Only the fields that belong to this kind of agreement.
        if kind != AgreementKind.DOCUMENTATION:
            del self.fields["documentation_location"]
        if kind != AgreementKind.ORGANISATION:
            del self.fields["meeting_rhythm"]
            del self.fields["channel"]

    def clean(self):
        data = super().clean()
        agreed, review = data.get("agreed_on"), data.get("review_on")
        if agreed and review and review < agreed:
            self.add_error("review_on", _("Deze datum ligt voor de afspraakdatum."))
        return data

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


AGREEMENT_HINTS = {
    AgreementKind.KNOWLEDGE: _("Hoe delen jullie wat je weet? bv. elk kwartaal een korte demo."),
    AgreementKind.BACKUP: _("Wie neemt over als iemand uitvalt, en hoe weet die wat er loopt?"),
    AgreementKind.DOCUMENTATION: _("Wat schrijven jullie op, en waar vindt iedereen het terug?"),
    AgreementKind.ORGANISATION: _("Wanneer komen jullie samen, en langs welk kanaal?"),
    AgreementKind.WORKING: _("Hoe komen vragen binnen, hoe beslissen jullie, wie meldt wat?"),
}


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Bestand (.xlsx of .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv", "class": "form-control"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("Het bestand is groter dan %(mb)s MB.")
                % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)}
            )
        return upload


class AsOfForm(forms.Form):
    datum = forms.DateField(label=_("Datum"), widget=DateInput(attrs={"class": "form-control"}))

    def clean_datum(self):
        day = self.cleaned_data["datum"]
        if day > dt.date.today() + dt.timedelta(days=1):
            raise forms.ValidationError(_("Kies een datum in het verleden."))
        return day


# ------------------------------------------------------------------------- competences

EXPERTISE_CHOICES = [(str(value), label) for value, label in Level.choices]
MOTIVATION_CHOICES = [(str(value), label) for value, label in Motivation.choices]


@dataclass
class DomainRow:
    domain: Domain
    expertise: forms.BoundField
    motivation: forms.BoundField
    wish: forms.BoundField
    current: Competence | None
    tasks: list

    @property
    def task_errors(self) -> bool:
        """An error inside the "per taak" part: it opens, so the error is never hidden."""
        return any(t.expertise.errors or t.motivation.errors for t in self.tasks)

    @property
    def has_errors(self) -> bool:
        return bool(self.expertise.errors or self.motivation.errors or self.task_errors)


@dataclass
class TaskRow:
    task: object
    expertise: forms.BoundField
    motivation: forms.BoundField
    current: Competence | None


class CompetenceForm(forms.Form):
    """Expertise and motivation per domain (and, if wanted, per task) on one page."""

    def __init__(self, *args, domains, tasks, existing: dict, version: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.domains = list(domains)
        self.tasks = list(tasks)
        self.existing = existing
        # The person's ratings version this page was filled in on (optimistic check).
        self.fields["version"] = version_field()
        self.fields["version"].initial = version
        for domain in self.domains:
            current = existing.get((domain.pk, None))
            self.fields[f"d{domain.pk}_expertise"] = forms.ChoiceField(
                label=_("Kennis en ervaring"),
                choices=EXPERTISE_CHOICES,
                required=False,
                widget=forms.RadioSelect,
                initial=str(current.expertise) if current else None,
            )
            self.fields[f"d{domain.pk}_motivation"] = forms.ChoiceField(
                label=_("Zin om het te doen"),
                choices=MOTIVATION_CHOICES,
                required=False,
                widget=forms.RadioSelect,
                initial=str(current.motivation) if current else None,
            )
            self.fields[f"d{domain.pk}_wish"] = forms.CharField(
                label=_("Wat wil je hierin bijleren?"),
                required=False,
                max_length=1000,
                widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
                initial=current.development_wish if current else "",
            )
        for task in self.tasks:
            current = existing.get((task.domain_id, task.pk))
            self.fields[f"t{task.pk}_expertise"] = forms.ChoiceField(
                label=_("Kennis"),
                choices=[("", _("zoals het domein"))] + EXPERTISE_CHOICES,
                required=False,
                initial=str(current.expertise) if current else "",
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )
            self.fields[f"t{task.pk}_motivation"] = forms.ChoiceField(
                label=_("Motivatie"),
                choices=[("", _("zoals het domein"))] + MOTIVATION_CHOICES,
                required=False,
                initial=str(current.motivation) if current else "",
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )

    def clean(self):
        data = super().clean()
        for domain in self.domains:
            expertise = data.get(f"d{domain.pk}_expertise")
            motivation = data.get(f"d{domain.pk}_motivation")
            if bool(expertise) != bool(motivation):
                self.add_error(
                    f"d{domain.pk}_expertise" if not expertise else f"d{domain.pk}_motivation",
                    _("Kies bij %(domain)s zowel kennis als motivatie.") % {"domain": domain.name},
                )
        for task in self.tasks:
            expertise = data.get(f"t{task.pk}_expertise")
            motivation = data.get(f"t{task.pk}_motivation")
            if bool(expertise) != bool(motivation):
                self.add_error(
                    f"t{task.pk}_expertise" if not expertise else f"t{task.pk}_motivation",
                    _(
                        "Kies bij %(task)s zowel kennis als motivatie, "
                        "of laat beide ‘zoals het domein’."
                    )
                    % {"task": task.code},
                )
        return data

    def rows(self) -> list[DomainRow]:
        by_domain: dict[int, list[TaskRow]] = {}
        for task in self.tasks:
            by_domain.setdefault(task.domain_id, []).append(
                TaskRow(
                    task,
                    self[f"t{task.pk}_expertise"],
                    self[f"t{task.pk}_motivation"],
                    self.existing.get((task.domain_id, task.pk)),
                )
            )
        return [
            DomainRow(
                domain,
                self[f"d{domain.pk}_expertise"],
                self[f"d{domain.pk}_motivation"],
                self[f"d{domain.pk}_wish"],
                self.existing.get((domain.pk, None)),
                by_domain.get(domain.pk, []),
            )
            for domain in self.domains
        ]

    def entries(self) -> list[CompetenceEntry]:
        data = self.cleaned_data
        domains = {d.pk: d for d in self.domains}

        def number(value):
            return int(value) if value not in (None, "") else None

        entries = [
            CompetenceEntry(
                domain=domain,
                task=None,
                expertise=number(data.get(f"d{domain.pk}_expertise")),
                motivation=number(data.get(f"d{domain.pk}_motivation")),
                development_wish=data.get(f"d{domain.pk}_wish") or "",
            )
            for domain in self.domains
        ]
        entries += [
            CompetenceEntry(
                domain=domains[task.domain_id],
                task=task,
                expertise=number(data.get(f"t{task.pk}_expertise")),
                motivation=number(data.get(f"t{task.pk}_motivation")),
            )
            for task in self.tasks
            if task.domain_id in domains
        ]
        return entries


class PersonAccountForm(BootstrapFormMixin, forms.Form):
    """Choose the account of a member of the organisation to link to a person."""

    user = forms.ModelChoiceField(
        label=_("Account"),
        queryset=None,
        empty_label=_("(kies een account)"),
        help_text=_(
            "Alleen accounts van leden van de organisatie die nog aan niemand gekoppeld zijn."
        ),
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = candidates
        self.fields["user"].label_from_instance = lambda u: (
            f"{u.get_full_name()} ({u.email})" if u.get_full_name() else u.email
        )
