"""GET forms for the dashboard's sorting and filters and the patient page's date range."""

import datetime as dt

from django import forms

from tracker.clinical.assessment import Category
from tracker.forms.people import DateInput

SORTS = [
    ("assessment", "Assessment"),
    ("name", "Name"),
    ("checkin", "Last check-in"),
    ("pain", "Pain change"),
    ("care", "Weeks of care"),
]


class DashboardFilterForm(forms.Form):
    """Sort and filter the dashboard; bad values are reported and the default used instead."""

    category = forms.ChoiceField(
        label="Assessment", required=False, choices=[("", "All"), *Category.choices]
    )
    clinician = forms.TypedChoiceField(
        label="Treating clinician", required=False, coerce=int, empty_value=None
    )
    stale = forms.BooleanField(label="Not logged for 3+ days", required=False)
    show = forms.ChoiceField(
        label="Patients",
        required=False,
        choices=[("active", "In active care"), ("all", "All, including discharged")],
    )
    sort = forms.ChoiceField(label="Sort by", required=False, choices=SORTS)

    def __init__(self, *args, clinicians: list[tuple[int, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["clinician"].choices = [("", "Anyone"), *clinicians]


class DateRangeForm(forms.Form):
    """The patient page's range: both days included, start not after end, at most 3 years."""

    start = forms.DateField(
        label="From",
        required=False,
        widget=DateInput(),
        error_messages={"invalid": "Enter a real date for 'From', for example 2026-01-31."},
    )
    end = forms.DateField(
        label="To",
        required=False,
        widget=DateInput(),
        error_messages={"invalid": "Enter a real date for 'To', for example 2026-03-31."},
    )

    def __init__(self, *args, default_start: dt.date, default_end: dt.date, max_days: int, **kw):
        super().__init__(*args, **kw)
        self.default_start, self.default_end, self.max_days = default_start, default_end, max_days

    def clean(self) -> dict:
        data = super().clean()
        if self.errors:
            return data
        start = data.get("start") or self.default_start
        end = data.get("end") or self.default_end
        if start > end:
            self.add_error("end", "'To' must be on or after 'From'.")
        elif (end - start).days + 1 > self.max_days:
            self.add_error(
                "end",
                f"Choose at most {self.max_days // 366} years at a time "
                f"({self.max_days} days); this range has {(end - start).days + 1}.",
            )
        data["start"], data["end"] = start, end
        return data

    def range(self) -> tuple[dt.date, dt.date]:
        """The range asked for when valid, else the default."""
        if self.is_valid():
            return self.cleaned_data["start"], self.cleaned_data["end"]
        return self.default_start, self.default_end
