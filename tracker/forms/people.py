"""Forms for clinicians managing patients, and for patients accepting an invite."""

import datetime as dt

from django import forms
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.utils import timezone

from tracker.forms.fields import ModelMultipleChoiceField
from tracker.models import Patient, Role, SlipGrade, User
from tracker.models.people import time_zone_choices
from tracker.rules.identifiers import (
    HOSPITAL_NUMBER_MAX_LENGTH,
    display_hospital_number,
    hospital_number_problem,
    normalise_hospital_number,
)
from tracker.rules.usernames import mixed_script_message, normalise_username


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class PatientForm(forms.Form):
    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)
    email = forms.EmailField(
        required=False,
        help_text="Used to send the invite link and for password resets. Optional.",
    )
    date_of_birth = forms.DateField(widget=DateInput())
    hospital_number = forms.CharField(
        label="Hospital or NHS number",
        # Room for a mistyped number, so the message says what is wrong rather than "too long".
        max_length=HOSPITAL_NUMBER_MAX_LENGTH + 10,
        required=False,
        help_text="Printed on the referral letter. An NHS number (10 digits, for "
        "example 943 476 5919) is checked digit by digit.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    sport = forms.CharField(label="Main sport or activity", max_length=100, required=False)
    conservative_care_started = forms.DateField(
        label="Conservative care started",
        widget=DateInput(),
        help_text="The day rest from sport, physiotherapy or bracing began.",
    )
    spondylolisthesis = forms.BooleanField(
        label="L5 has slipped forward (spondylolisthesis)", required=False
    )
    slip_grade = forms.TypedChoiceField(
        label="Meyerding slip grade",
        choices=[("", "Not known / no slip"), *SlipGrade.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    diagnosis_notes = forms.CharField(
        label="Diagnosis notes",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
    )
    treating_clinician = forms.ModelChoiceField(queryset=User.objects.none())
    care_team = ModelMultipleChoiceField(
        label="Also on the care team",
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    time_zone = forms.ChoiceField(
        label="Time zone",
        required=False,
        help_text="Leave as the clinic's unless the patient lives elsewhere.",
    )

    def __init__(self, *args, clinic, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        clinicians = User.objects.filter(clinic=clinic, role=Role.CLINICIAN, is_active=True)
        self.fields["treating_clinician"].queryset = clinicians
        self.fields["care_team"].queryset = clinicians
        self.fields["time_zone"].choices = [
            ("", f"Clinic's time zone ({clinic.time_zone})"),
            *time_zone_choices(),
        ]

    @classmethod
    def initial_for(cls, patient: Patient) -> dict:
        return {
            "first_name": patient.user.first_name,
            "last_name": patient.user.last_name,
            "email": patient.user.email,
            "date_of_birth": patient.date_of_birth,
            "hospital_number": display_hospital_number(patient.hospital_number),
            "sport": patient.sport,
            "conservative_care_started": patient.conservative_care_started,
            "spondylolisthesis": patient.spondylolisthesis,
            "slip_grade": patient.slip_grade,
            "diagnosis_notes": patient.diagnosis_notes,
            "treating_clinician": patient.treating_clinician,
            "care_team": list(patient.care_team.all()),
            "time_zone": patient.time_zone,
        }

    def clean_date_of_birth(self) -> dt.date:
        born = self.cleaned_data["date_of_birth"]
        today = timezone.localdate()
        if born > today:
            raise forms.ValidationError("The date of birth cannot be in the future.")
        if born.year < today.year - 110:
            raise forms.ValidationError("Please check the year of birth.")
        return born

    def clean_hospital_number(self) -> str:
        number = self.cleaned_data["hospital_number"]
        problem = hospital_number_problem(number)
        if problem:
            raise forms.ValidationError(problem, code="hospital_number")
        return normalise_hospital_number(number)

    def clean_conservative_care_started(self) -> dt.date:
        started = self.cleaned_data["conservative_care_started"]
        if started > timezone.localdate() + dt.timedelta(days=1):
            raise forms.ValidationError("Conservative care cannot start in the future.")
        if started.year < 1990:
            raise forms.ValidationError("Please check the year.")
        return started

    def clean(self) -> dict:
        data = super().clean()
        if data.get("slip_grade") and not data.get("spondylolisthesis"):
            self.add_error("slip_grade", "A slip grade needs the spondylolisthesis box ticked.")
        born, started = data.get("date_of_birth"), data.get("conservative_care_started")
        if born and started and started < born:
            self.add_error(
                "conservative_care_started", "Care cannot start before the date of birth."
            )
        return data


class InviteAcceptForm(forms.Form):
    username = forms.RegexField(
        regex=r"^[\w.@+-]+\Z",
        max_length=150,
        help_text="Letters, numbers and . @ + - _ only. You will use this to log in.",
        error_messages={"invalid": "Use only letters, numbers and . @ + - _ in your username."},
    )
    password1 = forms.CharField(
        label="Choose a password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
        help_text=password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label="Type the password again",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
    )

    def clean_username(self) -> str:
        username = normalise_username(self.cleaned_data["username"])
        # NFKC can lengthen a name ("ﷺ" is 18 letters) or change its characters: check again.
        if len(username) > 150 or not self.fields["username"].regex.match(username):
            raise forms.ValidationError(
                self.fields["username"].error_messages["invalid"], code="invalid"
            )
        problem = mixed_script_message(username)
        if problem:
            raise forms.ValidationError(problem, code="mixed_script")
        return username

    def clean(self) -> dict:
        data = super().clean()
        if (
            data.get("password1")
            and data.get("password2")
            and data["password1"] != data["password2"]
        ):
            self.add_error("password2", "The two passwords are not the same.")
        return data
