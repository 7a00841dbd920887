"""The clinic's settings as its administrator edits them in the admin."""

from django import forms

from tracker.models import Clinic
from tracker.rules.guardians import assent_age_problem


class ClinicAdminForm(forms.ModelForm):
    class Meta:
        model = Clinic
        fields = ["guardian_assent_age"]  # the admin adds the rest of its fieldsets

    def clean_guardian_assent_age(self) -> int | None:
        # The database refuses the same ages; this says why, next to the field, instead of a 500.
        age = self.cleaned_data.get("guardian_assent_age")
        problem = assent_age_problem(age)
        if problem:
            raise forms.ValidationError(problem)
        return age
