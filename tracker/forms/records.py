"""Forms for the clinician's record: imaging studies and notes."""

import datetime as dt
from decimal import Decimal

from django import forms

from tracker.forms.people import DateInput
from tracker.models import Modality, SlipGrade
from tracker.models.records import NOTE_MAX_LENGTH
from tracker.services.records import slip_grade_problem


class ImagingForm(forms.Form):
    taken_on = forms.DateField(label="Date of imaging", widget=DateInput())
    modality = forms.ChoiceField(label="Type", choices=Modality.choices, widget=forms.RadioSelect)
    slip_percent = forms.DecimalField(
        label="Slip (%)",
        required=False,
        min_value=Decimal(0),
        max_value=Decimal(150),
        max_digits=4,
        decimal_places=1,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text="Forward slip of L5 over S1, 0-150%. 0 means no slip. The grade follows from it.",
        error_messages={
            "max_value": "A slip is at most 150%%. Please check the number.",
            "min_value": "A slip cannot be below 0%%.",
            "invalid": "Enter the slip as a number, for example 18 or 18.5.",
        },
    )
    slip_grade = forms.TypedChoiceField(
        label="Meyerding grade",
        choices=[("", "Work it out from the slip %, or none"), *SlipGrade.choices],
        coerce=int,
        empty_value=None,
        required=False,
        help_text="Only needed when the report gives a grade but no percentage.",
    )
    defect_findings = forms.CharField(
        label="Pars defect findings",
        max_length=200,
        required=False,
        help_text="For example: bilateral L5 pars defects, sclerotic margins, no healing.",
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, required=False
    )

    def __init__(self, *args, today: dt.date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["taken_on"].widget.attrs["max"] = today.isoformat()

    def clean_taken_on(self) -> dt.date:
        taken_on = self.cleaned_data["taken_on"]
        if taken_on > self.today:
            raise forms.ValidationError("The imaging date cannot be in the future.")
        if taken_on.year < 1990:
            raise forms.ValidationError("Please check the year.")
        return taken_on

    def clean(self) -> dict:
        data = super().clean()
        problem = slip_grade_problem(data.get("slip_percent"), data.get("slip_grade"))
        if problem:
            self.add_error("slip_grade", problem)
        return data


class NoteForm(forms.Form):
    written_on = forms.DateField(label="Date", widget=DateInput())
    text = forms.CharField(
        label="Note",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=NOTE_MAX_LENGTH,
        help_text="Seen by the care team only, not by the patient.",
        error_messages={"required": "Write the note before saving."},
    )

    def __init__(self, *args, today: dt.date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["written_on"].widget.attrs["max"] = today.isoformat()

    def clean_written_on(self) -> dt.date:
        written_on = self.cleaned_data["written_on"]
        if written_on > self.today:
            raise forms.ValidationError("A note cannot be dated in the future.")
        if written_on.year < 1990:
            raise forms.ValidationError("Please check the year.")
        return written_on
