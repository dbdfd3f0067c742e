from __future__ import annotations

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from teamwerk.core.forms import BootstrapFormMixin


class InvitationAcceptForm(BootstrapFormMixin, forms.Form):
    first_name = forms.CharField(label=_("Voornaam"), max_length=150)
    last_name = forms.CharField(label=_("Familienaam"), max_length=150)
    password1 = forms.CharField(label=_("Wachtwoord"), widget=forms.PasswordInput)
    password2 = forms.CharField(label=_("Wachtwoord (nog eens)"), widget=forms.PasswordInput)

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("De twee wachtwoorden zijn niet gelijk."))
        elif data.get("password1"):
            from .models import User

            try:
                validate_password(data["password1"], User(email=self.email))
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class OrganisationSignupForm(forms.Form):
    """What a school (group) fills in besides address and password when it signs up on its
    own. allauth adds these fields to its sign-up form (ACCOUNT_SIGNUP_FORM_CLASS)."""

    first_name = forms.CharField(label=_("Voornaam"), max_length=150)
    last_name = forms.CharField(label=_("Familienaam"), max_length=150)
    organisation_name = forms.CharField(
        label=_("Naam van je scholengroep, bestuur of school"), max_length=200
    )
    kind = forms.ChoiceField(label=_("Soort organisatie"))
    region = forms.ChoiceField(
        label=_("Regio"),
        widget=forms.RadioSelect,
        help_text=_(
            "Bepaalt de woorden (bv. instellingsnummer of BRIN) en de uren per voltijdse "
            "opdracht (1600 in Vlaanderen, 1659 in Nederland). Later te wijzigen."
        ),
    )

    def __init__(self, *args, **kwargs):
        from teamwerk.tenancy.models import OrganisationKind, Region

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = OrganisationKind.choices
        self.fields["kind"].initial = OrganisationKind.GROUP
        self.fields["region"].choices = Region.choices

    def signup(self, request, user) -> None:
        """Called by allauth once the account is saved (not for an address that already has
        one: that one only gets a mail, and the page says the same)."""
        from teamwerk.tenancy.services import organisation_signup_record

        user.first_name = self.cleaned_data["first_name"]
        user.last_name = self.cleaned_data["last_name"]
        user.save(update_fields=["first_name", "last_name"])
        organisation_signup_record(
            user=user,
            name=self.cleaned_data["organisation_name"],
            kind=self.cleaned_data["kind"],
            region=self.cleaned_data["region"],
        )
