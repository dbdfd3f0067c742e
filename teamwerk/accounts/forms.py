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
