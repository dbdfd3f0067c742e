from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from teamwerk.core.forms import BootstrapFormMixin

from .models import HOURS_PER_FTE_MAX, HOURS_PER_FTE_MIN, Organisation, School
from .querysets import memberships_of, scope_for
from .roles import GRANTABLE_ROLES, Action, Role


def grantable_roles(user, organisation) -> list[tuple[str, str]]:
    roles: set[str] = set()
    for membership in memberships_of(user):
        if membership.organisation_id == organisation.pk:
            roles.update(GRANTABLE_ROLES.get(membership.role, ()))
    return [(value, label) for value, label in Role.choices if value in roles]


class InvitationForm(BootstrapFormMixin, forms.Form):
    email = forms.EmailField(label=_("E-mailadres"))
    role = forms.ChoiceField(label=_("Rol"))
    school = forms.ModelChoiceField(
        label=_("School"),
        queryset=School.objects.none(),
        required=False,
        empty_label=_("Alle scholen van de organisatie"),
    )

    def __init__(self, *args, user, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.organisation = organisation
        self.fields["role"].choices = grantable_roles(user, organisation)
        # Only schools where this user may hand out roles: the choice is the permission.
        self.fields["school"].queryset = School.objects.for_user(
            user, Action.MANAGE_MEMBERS
        ).filter(organisation=organisation)
        self.organisation_wide = (
            organisation.pk in scope_for(user, Action.MANAGE_MEMBERS).organisation_wide
        )
        if not self.organisation_wide:
            self.fields["school"].required = True
            self.fields["school"].empty_label = None

    def clean(self):
        data = super().clean()
        role, school = data.get("role"), data.get("school")
        if role == Role.BEHEERDER and school is not None:
            self.add_error("school", _("Een beheerder geldt altijd voor de hele organisatie."))
        return data


class RoleChangeForm(BootstrapFormMixin, forms.Form):
    role = forms.ChoiceField(label=_("Nieuwe rol"))

    def __init__(self, *args, user, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = grantable_roles(user, organisation)


class OrganisationSettingsForm(BootstrapFormMixin, forms.ModelForm):
    # The version the form was opened on: a save over a newer one is refused.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1)

    class Meta:
        model = Organisation
        fields = [
            "name",
            "kind",
            "region",
            "hours_per_fte",
            "require_mfa_for_admins",
            "require_mfa_for_leaders",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version
        hours = self.fields["hours_per_fte"]
        hours.min_value, hours.max_value = HOURS_PER_FTE_MIN, HOURS_PER_FTE_MAX
        hours.widget.attrs.update(min=HOURS_PER_FTE_MIN, max=HOURS_PER_FTE_MAX)
        hours.error_messages.update(
            min_value=_("Vul minstens %(limit_value)s uur in."),
            max_value=_("Vul hoogstens %(limit_value)s uur in."),
        )
