"""The bounds of every number a school enters, in one place per concept.

A form field, the model field's validators and the database's check constraint all read the
same :class:`Bound`, so a value the form refuses can never be stored by another path (an
import, a service call, the shell), and a value the database holds always renders.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

# Longer input than this is not a number anyone typed (guards Decimal() against huge strings).
MAX_INPUT_LENGTH = 30


@dataclass(frozen=True)
class Bound:
    """A closed range ``low..high`` with at most ``decimal_places`` digits after the point."""

    low: Decimal | int
    high: Decimal | int
    decimal_places: int = 0

    # --------------------------------------------------------------------------- model
    def validators(self) -> list:
        return [MinValueValidator(self.low), MaxValueValidator(self.high)]

    def condition(self, field: str, *, nullable: bool = False) -> models.Q:
        inside = models.Q(**{f"{field}__gte": self.low, f"{field}__lte": self.high})
        return models.Q(**{f"{field}__isnull": True}) | inside if nullable else inside

    def constraint(self, field: str, *, name: str, nullable: bool = False):
        return models.CheckConstraint(condition=self.condition(field, nullable=nullable), name=name)

    # ---------------------------------------------------------------------------- form
    def message(self) -> str:
        low = number_format(self.low, decimal_pos=0)
        high = number_format(self.high, decimal_pos=0, use_l10n=True, force_grouping=True)
        text = _("Vul een getal in van %(low)s tot en met %(high)s") % {"low": low, "high": high}
        if self.decimal_places:
            text += ngettext(
                ", met hoogstens %(places)s cijfer na de komma",
                ", met hoogstens %(places)s cijfers na de komma",
                self.decimal_places,
            ) % {"places": self.decimal_places}
        return f"{text}."

    def form_field(self, **kwargs) -> forms.Field:
        field_class = BoundedDecimalField if self.decimal_places else BoundedIntegerField
        return field_class(bound=self, **kwargs)

    def widget_attrs(self) -> dict[str, str]:
        step = "1" if not self.decimal_places else str(Decimal(1).scaleb(-self.decimal_places))
        return {
            "min": str(self.low),
            "max": str(self.high),
            "step": step,
            "inputmode": "decimal" if self.decimal_places else "numeric",
        }

    def validate(self, value, *, field: str | None = None):
        """``value`` as a number inside the range, or a ValidationError with the message (for
        services: every write path checks the same bound as the form)."""
        from django.core.exceptions import ValidationError

        message = self.message()
        try:
            number = Decimal(str(value).strip()[: MAX_INPUT_LENGTH + 1])
        except (InvalidOperation, TypeError, ValueError):
            number = None
        if (
            number is None
            or len(str(value)) > MAX_INPUT_LENGTH
            or not number.is_finite()
            or not self.low <= number <= self.high
            or number.quantize(Decimal(1).scaleb(-self.decimal_places)) != number
        ):
            raise ValidationError({field: message} if field else message)
        return number + 0 if number == 0 else number  # "-0" is zero

    # ---------------------------------------------------------------------- migrations
    def clamp(self, value):
        """``value`` brought inside the range (for migrations of existing rows)."""
        if value is None:
            return None
        try:
            value = Decimal(value)
        except (InvalidOperation, TypeError, ValueError):
            return self.low
        if not value.is_finite() or value < self.low:
            return self.low
        if value > self.high:
            return self.high
        return value.quantize(Decimal(1).scaleb(-self.decimal_places))


def clamp_rows(model, field: str, bound: Bound) -> int:
    """Bring the rows of ``model`` (an app registry model in a migration) inside ``bound``.

    Two UPDATEs in SQL, so values that no longer fit the column's precision are never read
    into Python; works the same on SQLite and PostgreSQL."""
    manager = model._base_manager
    changed = manager.filter(**{f"{field}__gt": bound.high}).update(**{field: bound.high})
    changed += manager.filter(**{f"{field}__lt": bound.low}).update(**{field: bound.low})
    return changed


def settle_deferred_checks(schema_editor) -> None:
    """Run PostgreSQL's deferred foreign-key checks of the rows just clamped now, so the same
    migration may alter the table next ("pending trigger events"). SQLite has none."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        schema_editor.execute("SET CONSTRAINTS ALL DEFERRED")


class _BoundedMixin:
    def __init__(self, *, bound: Bound, **kwargs):
        self.bound = bound
        message = bound.message()
        keys = ("invalid", "min_value", "max_value", "max_digits", "max_decimal_places")
        errors = dict.fromkeys((*keys, "max_whole_digits"), message)
        errors.update(kwargs.pop("error_messages", {}))
        kwargs.setdefault("widget", forms.NumberInput(attrs=bound.widget_attrs()))
        super().__init__(min_value=bound.low, max_value=bound.high, error_messages=errors, **kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip()
            if len(value) > MAX_INPUT_LENGTH:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        value = super().to_python(value)
        if value is not None and value == 0:
            value = type(value)(0)  # "-0" is zero, not a negative number
        return value


class BoundedDecimalField(_BoundedMixin, forms.DecimalField):
    def __init__(self, *, bound: Bound, **kwargs):
        kwargs.setdefault("decimal_places", bound.decimal_places)
        super().__init__(bound=bound, **kwargs)

    def to_python(self, value):
        if isinstance(value, str) and "," in value:
            # A Dutch keyboard types a decimal comma (and maybe a thousands dot: 1.250,5).
            value = value.replace(".", "").replace(",", ".")
        value = super().to_python(value)
        if value is not None and not value.is_finite():
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return value


class BoundedIntegerField(_BoundedMixin, forms.IntegerField):
    pass


# ---------------------------------------------------------------------- the concepts

# ICT hours per school year: what a person has in a school, what an assignment takes, what a
# task needs. A full-time job is about 1,650 hours a year; 2,000 leaves room, not typos.
HOURS_PER_YEAR = Bound(Decimal("0"), Decimal("2000"), decimal_places=1)
# Whole hours of a catalogue task (its usual minimum and maximum per year).
TASK_HOURS = Bound(0, 2000)
# The budget within which a person decides alone, in euro.
MANDATE_BUDGET = Bound(Decimal("0"), Decimal("1000000"), decimal_places=2)
# Expertise and motivation (team.Level, team.Motivation).
SCALE_0_3 = Bound(0, 3)
# Priority of a planned task (planning.Priority).
PRIORITY = Bound(1, 3)
# Progress of a background run, in percent.
PERCENT = Bound(0, 100)
