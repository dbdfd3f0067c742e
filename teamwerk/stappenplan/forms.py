from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from teamwerk.core.forms import BootstrapFormMixin

from .models import NOTE_MAX_LENGTH
from .route import default_route

YES, NO = "yes", "no"


class AnswerForm(BootstrapFormMixin, forms.Form):
    """Yes or no to one check, with an optional note. The clicked button carries the value."""

    check_code = forms.ChoiceField(widget=forms.HiddenInput)
    value = forms.ChoiceField(
        choices=((YES, _("Ja")), (NO, _("Nee"))),
        error_messages={
            "required": _("Kies ja of nee."),
            "invalid_choice": _("Kies ja of nee."),
        },
    )
    note = forms.CharField(
        label=_("Toelichting (niet verplicht)"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "max_length": _("De toelichting is te lang (hoogstens %(limit_value)d tekens).")
        },
    )

    # The id of the answer to this check the page showed (0 = none yet): optimistic version.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(
        self, *args, codes: tuple[str, ...] | None = None, unknown_code: str = "", **kwargs
    ):
        """``codes``: the checks this form may answer (default: every check of the route)."""
        super().__init__(*args, **kwargs)
        codes = codes or default_route().codes
        self.fields["check_code"].choices = [(code, code) for code in codes]
        self.fields["check_code"].error_messages["invalid_choice"] = unknown_code or _(
            "Deze vraag bestaat niet in het stappenplan."
        )

    @property
    def answer_value(self) -> bool:
        return self.cleaned_data["value"] == YES
