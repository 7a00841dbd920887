"""GET forms for the dashboard's sorting and filters and the patient page's date range."""

import datetime as dt

from django import forms

from tracker.forms.people import DateInput
from tracker.rules.assessment import Category
from tracker.utils.dates import validate_day_in_window

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


# Quick choices for the patient page's range: key -> (label, days; None = the whole of care).
RANGE_SPANS = {
    "12w": ("Last 12 weeks", 12 * 7),
    "6m": ("Last 6 months", 26 * 7),
    "all": ("Whole of care", None),
}
DEFAULT_SPAN = "12w"


class DateRangeForm(forms.Form):
    """The patient page's range: a quick choice (`span`: the last 12 weeks by default, 6 months,
    the whole of care), or a custom `start`/`end` (both days included, start not after end, at
    most `max_days`, each in 1900-2100: tracker/utils/dates.py), which wins over the quick
    choice. Bad values are reported beside their field and the default range is shown."""

    start = forms.DateField(
        label="From",
        required=False,
        widget=DateInput(),
        validators=[validate_day_in_window],
        error_messages={"invalid": "Enter a real date for 'From', for example 2026-01-31."},
    )
    end = forms.DateField(
        label="To",
        required=False,
        widget=DateInput(),
        validators=[validate_day_in_window],
        error_messages={"invalid": "Enter a real date for 'To', for example 2026-03-31."},
    )
    span = forms.ChoiceField(
        label="Show",
        required=False,
        choices=[(key, label) for key, (label, _) in RANGE_SPANS.items()],
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": "Choose the last 12 weeks, 6 months or whole of care."},
    )

    def __init__(self, *args, today: dt.date, care_started: dt.date, max_days: int, **kw):
        super().__init__(*args, **kw)
        self.today, self.care_started, self.max_days = today, care_started, max_days

    def span_start(self, span: str, end: dt.date) -> dt.date:
        """The first day of a quick choice ending on `end`, never before care began (the
        whole of care is capped at `max_days`)."""
        first = min(self.care_started, end)
        days = RANGE_SPANS[span][1] or self.max_days
        return max(first, end - dt.timedelta(days=days - 1))

    @property
    def default_start(self) -> dt.date:
        return self.span_start(DEFAULT_SPAN, self.today)

    @property
    def default_end(self) -> dt.date:
        return self.today

    def clean(self) -> dict:
        data = super().clean()
        if self.errors:
            return data
        if not data.get("start") and not data.get("end"):
            span = data.get("span") or DEFAULT_SPAN
            data["span"], data["start"], data["end"] = (
                span,
                self.span_start(span, self.today),
                self.today,
            )
            return data
        data["span"] = ""  # a custom range
        end = data.get("end") or self.today
        start = data.get("start") or self.span_start(DEFAULT_SPAN, end)
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
        """The range asked for when valid, else the default (the last 12 weeks)."""
        if self.is_valid():
            return self.cleaned_data["start"], self.cleaned_data["end"]
        return self.default_start, self.default_end

    @property
    def current_span(self) -> str:
        """The quick choice shown ("" for a custom range)."""
        if self.is_valid():
            return self.cleaned_data["span"]
        return DEFAULT_SPAN
