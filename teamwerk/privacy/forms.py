from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from teamwerk.core.forms import BootstrapFormMixin
from teamwerk.core.versions import version_field

from .models import RETENTION, RETENTION_DAYS, RetentionSettings

RETENTION_FIELDS = [field for field, _default, _label in RETENTION.values()]


def _day_fields() -> dict:
    out = {}
    for name in RETENTION_FIELDS:
        model_field = RetentionSettings._meta.get_field(name)
        out[name] = RETENTION_DAYS.form_field(
            label=model_field.verbose_name, help_text=model_field.help_text
        )
    return out


class RetentionForm(BootstrapFormMixin, forms.Form):
    """How long the organisation keeps what; bounded like the model and the database."""

    locals().update(_day_fields())
    version = version_field()

    def __init__(self, *args, settings: RetentionSettings, **kwargs):
        initial = {name: getattr(settings, name) for name in RETENTION_FIELDS}
        initial["version"] = settings.version
        super().__init__(*args, initial=initial, **kwargs)


class ErasureForm(BootstrapFormMixin, forms.Form):
    confirm = forms.BooleanField(
        label=_("Ik heb de gevolgen gelezen: deze persoon wordt gewist, dat kan niet ongedaan."),
        required=True,
    )
