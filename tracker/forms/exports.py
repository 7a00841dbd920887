"""The clinician's export form and the API token form; they clean input only."""

from typing import Any

from django import forms

from tracker.access import visible_patients
from tracker.exports.datasets import clinician_datasets
from tracker.forms.people import DateInput
from tracker.models import User
from tracker.utils.dates import validate_day_in_window


class ExportForm(forms.Form):
    dataset = forms.ChoiceField(widget=forms.RadioSelect)
    patient = forms.ModelChoiceField(
        queryset=None,
        required=False,
        empty_label="All my patients",
        error_messages={"invalid_choice": "Choose one of your patients."},
    )
    date_from = forms.DateField(
        label="From", required=False, widget=DateInput(), validators=[validate_day_in_window]
    )
    date_to = forms.DateField(
        label="To", required=False, widget=DateInput(), validators=[validate_day_in_window]
    )
    excel = forms.BooleanField(
        label="For Excel (adds a byte-order mark so accents and other scripts show correctly)",
        required=False,
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only the clinician's own patients can be chosen: any other id is an invalid choice.
        self.fields["patient"].queryset = visible_patients(user).select_related("user")
        self.fields["dataset"].choices = [(d.slug, d.title) for d in clinician_datasets()]
        self.fields["dataset"].initial = "patients"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "The end of the range must be on or after its start.")
        return data


class FhirExportForm(forms.Form):
    """One patient's record as a FHIR R4 Bundle."""

    patient = forms.ModelChoiceField(
        queryset=None,
        label="Patient",
        empty_label="Choose a patient",
        error_messages={
            "invalid_choice": "Choose one of your patients.",
            "required": "Choose the patient whose record you want.",
        },
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, prefix="fhir", **kwargs)
        self.fields["patient"].queryset = visible_patients(user).select_related("user")


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        help_text="What will use this token, e.g. “Research database import”.",
    )
