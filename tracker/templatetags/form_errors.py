"""The error summary's count: the fields a person will find highlighted below it."""

from django import forms, template
from django.core.exceptions import NON_FIELD_ERRORS

register = template.Library()


@register.filter
def field_error_count(form: forms.BaseForm) -> int:
    """Fields with an error of their own; a form-wide error (`__all__`) highlights no field."""
    return sum(1 for name in form.errors if name != NON_FIELD_ERRORS)
