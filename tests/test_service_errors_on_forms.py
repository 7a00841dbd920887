"""A service's ValidationError shown on the form that fed it (tracker/utils/forms.py), as the
records and rehab pages show them."""

from django import forms
from django.core.exceptions import ValidationError

from tracker.utils.forms import add_service_errors


class DayForm(forms.Form):
    day = forms.DateField()


def _bound() -> DayForm:
    form = DayForm({"day": "2026-03-02"})
    assert form.is_valid()
    return form


def test_it_puts_a_fields_error_under_that_field():
    form = _bound()

    add_service_errors(form, ValidationError({"day": "A change must start on or after that day."}))

    assert form.errors == {"day": ["A change must start on or after that day."]}


def test_it_puts_an_error_for_a_field_the_form_lacks_above_the_form():
    form = _bound()

    add_service_errors(form, ValidationError({"patient": "This patient is discharged."}))

    assert form.non_field_errors() == ["This patient is discharged."]
    assert "day" not in form.errors


def test_it_puts_an_error_naming_no_field_above_the_form():
    form = _bound()

    add_service_errors(form, ValidationError("Built-in exercises cannot be changed."))

    assert form.non_field_errors() == ["Built-in exercises cannot be changed."]
    assert not form.is_valid()
