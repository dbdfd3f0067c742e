from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from teamwerk.core.forms import BootstrapFormMixin
from teamwerk.core.versions import version_field

from .models import (
    HOURS_PER_FTE_MAX,
    HOURS_PER_FTE_MIN,
    SCHOOL_ICT_HOURS_MAX,
    Organisation,
    OrganisationKind,
    Region,
    School,
    SchoolLevel,
)
from .querysets import memberships_of, scope_for
from .roles import GRANTABLE_ROLES, Action, Role

# Bounds of a list of schools added at once.
MAX_LIST_ROWS = 200
MAX_LIST_CHARS = 40_000
MAX_LIST_BYTES = 1024 * 1024


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
        if self.instance.region == Region.NETHERLANDS:
            # Scholengroep and scholengemeenschap are Flemish forms; a Dutch board keeps one
            # only if it already has it.
            flemish = {OrganisationKind.GROUP, OrganisationKind.COMMUNITY} - {self.instance.kind}
            self.fields["kind"].choices = [
                (value, label)
                for value, label in self.fields["kind"].choices
                if value not in flemish
            ]
        hours = self.fields["hours_per_fte"]
        # The region's words: "uren per voltijdse opdracht" or "uren per fte (normjaartaak)".
        terms = self.instance.terms
        hours.label = _("%(label)s (per jaar)") % {
            "label": str(terms["hours_per_fte_label"]).capitalize()
        }
        hours.help_text = _("Gebruikelijk in deze regio: %(hours)s uur.") % {
            "hours": terms["hours_per_fte"]
        }
        hours.min_value, hours.max_value = HOURS_PER_FTE_MIN, HOURS_PER_FTE_MAX
        hours.widget.attrs.update(min=HOURS_PER_FTE_MIN, max=HOURS_PER_FTE_MAX)
        hours.error_messages.update(
            min_value=_("Vul minstens %(limit_value)s uur in."),
            max_value=_("Vul hoogstens %(limit_value)s uur in."),
        )


class SchoolForm(BootstrapFormMixin, forms.ModelForm):
    """Add or rename a school; its number's label follows the region (instellingsnummer or
    BRIN)."""

    version = version_field()

    class Meta:
        model = School
        fields = ["name", "number", "level", "ict_hours_available"]

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["number"].label = organisation.terms["school_number"]
        hours = self.fields["ict_hours_available"]
        hours.min_value, hours.max_value = 0, SCHOOL_ICT_HOURS_MAX
        hours.widget.attrs.update(min=0, max=SCHOOL_ICT_HOURS_MAX, step="0.5")
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def validate_unique(self):
        """The service checks the name (case-insensitive) inside its transaction."""


class SchoolListForm(BootstrapFormMixin, forms.Form):
    """Several schools at once: pasted lines "name; number" (or two columns copied from a
    spreadsheet), or an .xlsx with the name in column A and the number in column B."""

    text = forms.CharField(
        label=_("Plak de lijst (één school per regel: naam; nummer)"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=MAX_LIST_CHARS,
    )
    file = forms.FileField(label=_("of kies een Excel-bestand (.xlsx)"), required=False)
    level = forms.ChoiceField(label=_("Onderwijsniveau"), choices=SchoolLevel.choices)

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload:
            data["rows"] = read_school_sheet(upload)
        elif data.get("text", "").strip():
            data["rows"] = parse_school_lines(data["text"])
        else:
            raise forms.ValidationError(_("Plak een lijst of kies een bestand."))
        if not data["rows"]:
            raise forms.ValidationError(_("Er staat geen enkele school in."))
        return data


def parse_school_lines(text: str) -> list[tuple[int, str, str]]:
    """(line, name, number) of every non-empty line; ";" or a tab separates name and number."""
    rows = []
    for line, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        if len(rows) >= MAX_LIST_ROWS:
            raise forms.ValidationError(
                _("Voeg hoogstens %(n)s scholen tegelijk toe.") % {"n": MAX_LIST_ROWS}
            )
        parts = raw.split("\t") if "\t" in raw else raw.split(";")
        name = parts[0]
        number = parts[1] if len(parts) > 1 else ""
        rows.append((line, name.strip(), number.strip()))
    return rows


def read_school_sheet(upload) -> list[tuple[int, str, str]]:
    """The first sheet of an .xlsx: column A the name, column B the number; a first row that
    says "naam" is a header. Bounded: file size, zip contents and rows read."""
    import zipfile

    from openpyxl import load_workbook

    from teamwerk.core.xlsx import TooManyRows, sheet_rows

    if upload.size > MAX_LIST_BYTES:
        raise forms.ValidationError(_("Het bestand is groter dan 1 MB."))
    try:
        with zipfile.ZipFile(upload) as archive:
            if sum(info.file_size for info in archive.infolist()) > 20 * MAX_LIST_BYTES:
                raise forms.ValidationError(_("Het bestand is uitgepakt te groot."))
        upload.seek(0)
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except forms.ValidationError:
        raise
    except Exception:  # noqa: BLE001 - anything that is not a readable .xlsx
        raise forms.ValidationError(_("Dit is geen leesbaar Excel-bestand (.xlsx).")) from None
    rows = []
    try:
        for number, values in sheet_rows(
            workbook.worksheets[0], max_col=2, max_rows_read=MAX_LIST_ROWS + 1, values_only=True
        ):
            name = "" if values[0] is None else str(values[0]).strip()
            code = "" if len(values) < 2 or values[1] is None else str(values[1]).strip()
            if not name and not code:
                continue
            if not rows and name.lower() in {"naam", "name", "school"}:
                continue
            rows.append((number, name, code))
    except TooManyRows:
        raise forms.ValidationError(
            _("Voeg hoogstens %(n)s scholen tegelijk toe.") % {"n": MAX_LIST_ROWS}
        ) from None
    finally:
        workbook.close()
    if len(rows) > MAX_LIST_ROWS:
        raise forms.ValidationError(
            _("Voeg hoogstens %(n)s scholen tegelijk toe.") % {"n": MAX_LIST_ROWS}
        )
    return rows


class NewYearForm(forms.Form):
    schools = forms.ModelMultipleChoiceField(
        label=_("Scholen"), queryset=School.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["schools"].queryset = School.objects.filter(pk__in=[s.pk for s in schools])
