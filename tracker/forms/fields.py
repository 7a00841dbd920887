"""Form fields that stay safe on any input."""

from django import forms
from django.core.exceptions import ValidationError

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
