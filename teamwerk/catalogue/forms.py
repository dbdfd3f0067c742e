from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from teamwerk.core.forms import BootstrapFormMixin
from teamwerk.core.limits import TASK_HOURS
from teamwerk.core.versions import version_field

from .models import Domain, Level, Profile, Task
from .selectors import CatalogueFilters

FLAG_CHOICES = [
    ("core", _("kerntaak")),
    ("strategic", _("strategisch")),
    ("technical", _("technisch")),
    ("pedagogical", _("vraagt pedagogische bekwaamheid")),
    ("outsourceable", _("uitbesteedbaar")),
]


class CatalogueFilterForm(BootstrapFormMixin, forms.Form):
    q = forms.CharField(label=_("Zoeken"), required=False, max_length=100)
    domain = forms.ChoiceField(label=_("Domein"), required=False)
    flags = forms.MultipleChoiceField(
        label=_("Kenmerken"),
        required=False,
        choices=FLAG_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )
    level = forms.ChoiceField(
        label=_("Gebruikelijk niveau"),
        required=False,
        choices=[("", _("Elk niveau")), *Level.choices],
    )
    profile = forms.ChoiceField(label=_("Rolprofiel"), required=False)
    origin = forms.ChoiceField(
        label=_("Herkomst"),
        required=False,
        choices=[
            ("", _("Standaard en eigen")),
            ("standard", _("Alleen standaard")),
            ("own", _("Alleen eigen taken")),
        ],
    )

    def __init__(self, *args, terms: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if terms:  # the region's word for the teaching qualification
            self.fields["flags"].choices = [
                (code, terms["needs_qualification"] if code == "pedagogical" else label)
                for code, label in FLAG_CHOICES
            ]
        self.fields["domain"].choices = [("", _("Alle domeinen"))] + [
            (d.code, d.name) for d in Domain.objects.all()
        ]
        self.fields["profile"].choices = [("", _("Alle rolprofielen"))] + sorted(
            ((p.code, p.name) for p in Profile.objects.all()), key=lambda pair: pair[1]
        )
        self.fields["q"].widget.attrs.update(
            {
                "placeholder": _("bv. website, privacy, helpdesk"),
                "type": "search",
                "autocomplete": "off",
            }
        )
        self.fields["flags"].widget.attrs["class"] = "form-check-input"

    def filters(self) -> CatalogueFilters:
        if not self.is_valid():
            return CatalogueFilters()
        data = self.cleaned_data
        return CatalogueFilters(
            q=data.get("q") or "",
            domain=data.get("domain") or "",
            flags=list(data.get("flags") or []),
            level=data.get("level") or "",
            profile=data.get("profile") or "",
            origin=data.get("origin") or "",
        )


class OwnTaskForm(BootstrapFormMixin, forms.ModelForm):
    """An organisation's own task: the same fields as a standard one."""

    hours_min = TASK_HOURS.form_field(label=_("Uren per jaar (min)"), initial=0)
    hours_max = TASK_HOURS.form_field(label=_("Uren per jaar (max)"), initial=0)
    version = version_field()

    class Meta:
        model = Task
        fields = [
            "domain",
            "title_nl",
            "title_en",
            "description_nl",
            "description_en",
            "core",
            "strategic",
            "technical",
            "needs_pedagogical_qualification",
            "outsourceable",
            "usual_level",
            "hours_min",
            "hours_max",
            "profiles",
        ]
        widgets = {
            "description_nl": forms.Textarea(attrs={"rows": 3}),
            "description_en": forms.Textarea(attrs={"rows": 3}),
            "profiles": forms.CheckboxSelectMultiple,
        }
        labels = {
            "title_nl": _("Titel"),
            "title_en": _("Titel in het Engels"),
            "description_nl": _("Omschrijving"),
            "description_en": _("Omschrijving in het Engels"),
        }

    def __init__(self, *args, terms: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if terms:  # the region's word for the teaching qualification
            self.fields["needs_pedagogical_qualification"].label = terms["needs_qualification"]
        self.fields["domain"].label_from_instance = lambda domain: domain.name
        self.fields["profiles"].label_from_instance = lambda profile: profile.name
        self.fields["profiles"].widget.attrs["class"] = "form-check-input"
        self.fields["profiles"].required = False
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        self.fields["title_en"].help_text = _(
            "Mag leeg blijven; dan tonen we de Nederlandse titel."
        )

    def clean(self):
        data = super().clean()
        low, high = data.get("hours_min"), data.get("hours_max")
        if low is not None and high is not None and low > high:
            self.add_error(
                "hours_max", _("Het maximum moet minstens zo groot zijn als het minimum.")
            )
        if data.get("strategic") and data.get("outsourceable"):
            self.add_error(
                "outsourceable",
                _("Een strategische taak besteed je niet uit: werf er eerder iemand voor aan."),
            )
        return data

    def _post_clean(self):
        # The organisation and code are set by the service; skip the model's own validation
        # of those here (the service runs full_clean on the whole task).
        pass
