"""Form fields that stay safe on any input."""

import math
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from tracker.models.checkin import NOTE_MAX_LENGTH, PAIN_MAX, PAIN_MIN
from tracker.rules.checkin import ASKED_DAILY, HOURS_ERRORS, PAIN_ERROR, count_error
from tracker.rules.guardian_entries import NOTE_PRIVATE_LABEL

# Primary keys are BigAutoField: a signed 64-bit integer.
MAX_ID = 2**63 - 1


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's field, but ids too large for the database are refused as unknown choices.

    Django guards single lookups (`pk=`) against integer overflow but not `pk__in=`, so
    "99999999999999999999" in a multi-select reached SQLite as an OverflowError (a 500).
    """

    def _check_values(self, value):
        for pk in value:
            text = str(pk).strip()
            if text.isdecimal() and int(text) > MAX_ID:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": text[:20]},
                )
        return super()._check_values(value)


class DecimalField(forms.DecimalField):
    """Django's field, but a number too big for a float ("1e309") is refused as invalid.

    Such a number is a finite Decimal, so it reaches the validators, and Django's
    StepValueValidator compares floats with math.remainder(inf, ...), which raises ValueError:
    "1e309" in a field with step_size was a 500. It could never be stored anyway.
    """

    def to_python(self, value):
        value = super().to_python(value)
        if value is not None and not math.isfinite(float(value)):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return value


class AskedDecimalField(DecimalField):
    """A number the page asks for (shown as asked, not "optional") that may still be left blank:
    the form's `clean` decides whether blank is an answer (the brace hours, only needed when the
    patient taps "different hours")."""

    def validate(self, value):
        if value in self.empty_values:
            return
        super().validate(value)


class AskedChoiceField(forms.ChoiceField):
    """A choice the page asks for (no "you can skip this") that may be left blank, for the form's
    `clean` to decide (the brace's "as prescribed" or "different", when hours were typed)."""

    def validate(self, value):
        if value in self.empty_values:
            return
        super().validate(value)


def hours_field(
    label: str, *, required: bool = True, minimum: str = "0", blank_ok: bool = False, **kwargs
) -> DecimalField:
    """Hours in a day, 0 (or `minimum`) to 24 in half hours, with the messages patients see.
    `blank_ok`: shown as asked, but blank passes to the form's `clean` (`AskedDecimalField`)."""
    return (AskedDecimalField if blank_ok else DecimalField)(
        label=label,
        required=required,
        min_value=Decimal(minimum),
        max_value=Decimal("24"),
        # step_size and max_value already bound the digits; max_digits/decimal_places would only
        # repeat the same message twice.
        step_size=Decimal("0.5"),
        error_messages={**HOURS_ERRORS, "min_value": f"Hours cannot be less than {minimum}."},
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.5"}),
        **kwargs,
    )


def count_field(label: str, low: int, high: int, *, required: bool = True) -> forms.IntegerField:
    """A whole number from `low` to `high`, typed on a phone's number pad."""
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=low,
        max_value=high,
        error_messages={
            "min_value": count_error(low, high),
            "max_value": count_error(low, high),
            "invalid": "Enter a whole number.",
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


PAIN_CHOICES = [(str(n), str(n)) for n in range(PAIN_MIN, PAIN_MAX + 1)]
YES_NO = [("no", "No"), ("yes", "Yes")]


class ScaleSelect(forms.RadioSelect):
    """0-10 as big buttons in a wrapping grid; the check-in template draws it."""

    is_scale = True


def pain_field(label: str, *, required: bool = True) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=PAIN_CHOICES,
        coerce=int,
        empty_value=None,
        required=required,
        widget=ScaleSelect,
        error_messages={"required": f"{PAIN_ERROR} Tap one.", "invalid_choice": PAIN_ERROR},
    )


def warning_field(label: str) -> forms.TypedChoiceField:
    """A warning sign's yes or no: asked every day, never optional."""
    return yes_no_field(label, required_message=ASKED_DAILY)


def yes_no_field(label: str, *, required_message: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": required_message, "invalid_choice": "Tap yes or no."},
    )


def note_field() -> forms.CharField:
    """The check-in's free-text note (its length refused with a message, never cut)."""
    return forms.CharField(
        label="Anything else you want to tell us?",
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": "Your note is too long. Keep it under %(limit_value)s letters "
            "(it has %(show_value)s)."
        },
    )


def note_private_field() -> forms.BooleanField:
    """Shown under the note when the young person has a guardian: ticked, private from them."""
    return forms.BooleanField(label=NOTE_PRIVATE_LABEL, required=False, initial=True)
