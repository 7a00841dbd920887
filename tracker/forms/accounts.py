"""The sign-in form."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm


class LoginForm(AuthenticationForm):
    """Django's sign-in form, refusing over-long usernames before anything looks them up.

    AuthenticationForm sets the username's max_length only on the widget, so a 20,000-character
    username reached authenticate(), and django-axes' record of the failure (a 255-character
    column) raised DataError on PostgreSQL: a 500. Found by tests/test_hostile_input.py.
    """

    def clean_username(self) -> str:
        username = self.cleaned_data.get("username") or ""
        if len(username) > 150:
            raise forms.ValidationError(
                self.error_messages["invalid_login"],
                code="invalid_login",
                params={"username": self.username_field.verbose_name},
            )
        return username
