"""Forms for guardians (docs/guardians.md): a clinician's invitation and change of scope, the
guardian's sign-up with their permission, and the tick that gives a permission or a confirmation."""

from django import forms

from tracker.forms.people import InviteAcceptForm
from tracker.models import GuardianLink
from tracker.rules.guardians import SCOPE_FIELDS, GuardianRelationship, GuardianScope

SCOPE_CHOICES = [(part.value, part.label) for part in GuardianScope]
DEFAULT_SCOPE = [
    part.value
    for part, field in SCOPE_FIELDS.items()
    if GuardianLink._meta.get_field(field).default and part.value in dict(SCOPE_CHOICES)
]


class ScopeForm(forms.Form):
    scope = forms.MultipleChoiceField(
        label="What they may see",
        choices=SCOPE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        initial=DEFAULT_SCOPE,
        error_messages={"required": "Choose at least one part of the record they may see."},
    )

    def clean_scope(self) -> list[GuardianScope]:
        return [GuardianScope(part) for part in self.cleaned_data["scope"]]


class GuardianInviteForm(ScopeForm):
    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)
    email = forms.EmailField(
        help_text="We email the invitation link here. A parent who already has a ParsTrack "
        "account for a brother or sister keeps the same one."
    )
    relationship = forms.ChoiceField(
        choices=GuardianRelationship.choices, initial=GuardianRelationship.PARENT
    )
    field_order = ["first_name", "last_name", "email", "relationship", "scope"]


class AgreeForm(forms.Form):
    agree = forms.BooleanField(
        label="I agree",
        error_messages={"required": "Tick “I agree” to go on, or close this page."},
    )


class GuardianSignUpForm(InviteAcceptForm):
    agree = AgreeForm.base_fields["agree"]
