"""Forms for two-factor sign-in and the clinic administrator's audit log search."""

import datetime as dt

from django import forms
from django.db.models import Q

from tracker.forms.people import DateInput
from tracker.models import Patient, User


class OTPCodeForm(forms.Form):
    """A 6-digit code from the authenticator app, or a recovery code."""

    code = forms.CharField(
        label="Code",
        max_length=16,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autocapitalize": "none",
                "spellcheck": "false",
            }
        ),
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split()).lower()
        if not code.isascii() or not code.isalnum():
            raise forms.ValidationError(
                "Type the code with digits (and letters for a recovery code)."
            )
        return code


class AuditSearchForm(forms.Form):
    user = forms.ModelChoiceField(
        label="User", queryset=User.objects.none(), required=False, empty_label="Anyone"
    )
    patient = forms.ModelChoiceField(
        label="Patient", queryset=Patient.objects.none(), required=False, empty_label="Any patient"
    )
    date_from = forms.DateField(label="From", required=False, widget=DateInput())
    date_to = forms.DateField(label="To", required=False, widget=DateInput())

    def __init__(self, *args, clinic, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The clinic's people, and the parents and guardians of its patients (who have no clinic).
        self.fields["user"].queryset = User.objects.filter(
            Q(clinic=clinic) | Q(guardian_links__patient__clinic=clinic)
        ).distinct()
        self.fields["patient"].queryset = Patient.objects.filter(clinic=clinic).select_related(
            "user"
        )

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        for name in ("date_from", "date_to"):
            day = data.get(name)
            if day and not dt.date(2000, 1, 1) <= day <= dt.date(2100, 12, 31):
                self.add_error(name, "Please choose a date between 2000 and 2100.")
        if start and end and end < start:
            self.add_error("date_to", "The end date is before the start date.")
        return data
