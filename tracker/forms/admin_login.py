"""The admin's sign-in form: the app's over-long username check, the admin's staff check.

Django's admin signs in with its own AdminAuthenticationForm, which (like AuthenticationForm) sets
the username's max_length only on the widget: a 256-character username reached authenticate(),
and django-axes' record of the failure (a 255-character column) raised DataError on PostgreSQL,
a 500. Found by tests/test_hostile_input.py. Set as `admin.site.login_form` in tracker/urls.py.
"""

from django.contrib.admin.forms import AdminAuthenticationForm

from tracker.forms.accounts import LoginForm


class AdminLoginForm(LoginForm, AdminAuthenticationForm):
    """LoginForm's `clean_username` (no look-up, no lockout record, for an over-long name), then
    AdminAuthenticationForm's rule that only active staff may sign in."""
