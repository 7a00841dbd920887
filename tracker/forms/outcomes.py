"""Forms for answering questionnaires (built from the instrument's items) and for schedules."""

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from tracker.forms.people import DateInput
from tracker.models import Instrument
from tracker.rules.outcomes.schedule import (
    DEFAULT_INTERVAL_WEEKS,
    MAX_INTERVAL_WEEKS,
    MIN_INTERVAL_WEEKS,
)

PICK_ONE = "Please pick an answer."


class ActivitiesForm(forms.Form):
    """PSFS at baseline: the patient names the activities they find hard."""

    def __init__(self, *args: Any, spec: dict, initial_activities: list[str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.minimum = spec["min"]
        for n in range(1, spec["max"] + 1):
            required = n <= spec["min"]
            self.fields[f"activity_{n}"] = forms.CharField(
                label=f"Activity {n}",
                max_length=spec["max_length"],
                required=required,
                initial=initial_activities[n - 1] if n <= len(initial_activities) else "",
                error_messages={"required": "Please name an activity here."},
                widget=forms.TextInput(attrs={"autocomplete": "off"}),
            )

    def clean(self) -> dict:
        data = super().clean()
        seen: dict[str, str] = {}
        for name in self.fields:
            value = (data.get(name) or "").strip()
            if not value:
                continue
            if value.lower() in seen:
                self.add_error(name, f"You already named “{value}”. Please name a different one.")
            seen[value.lower()] = name
        return data

    def activities(self) -> list[str]:
        return [
            self.cleaned_data[name].strip()
            for name in self.fields
            if (self.cleaned_data.get(name) or "").strip()
        ]


class AnswersForm(forms.Form):
    """One screen of a questionnaire: a radio group per item (0-10 scales as big buttons)."""

    def __init__(self, *args: Any, items: list[dict], require: bool = True, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            field = forms.TypedChoiceField(
                label=item["label"],
                choices=[(str(o["value"]), o["label"]) for o in item["options"]],
                coerce=int,
                empty_value=None,
                required=require,
                widget=forms.RadioSelect,
                error_messages={
                    "required": PICK_ONE,
                    "invalid_choice": "That answer is not one of the choices. Please pick again.",
                },
            )
            field.item = item
            self.fields[f"item_{item['key']}"] = field

    def answers(self) -> dict[str, int | None]:
        return {
            item["key"]: self.cleaned_data.get(f"item_{item['key']}")
            for item in self.items
            if self.cleaned_data.get(f"item_{item['key']}") is not None
        }


class ScheduleForm(forms.Form):
    """Per instrument: on or off, every how many weeks, and from which day (the baseline)."""

    def __init__(self, *args: Any, instruments: list[Instrument], initial_rows: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.instruments = instruments
        for instrument in instruments:
            row = initial_rows[instrument.pk]
            code = instrument.code
            disabled = not instrument.is_available
            self.fields[f"{code}_active"] = forms.BooleanField(
                label=f"Ask for the {instrument.name}",
                required=False,
                initial=row["active"],
                disabled=disabled,
            )
            self.fields[f"{code}_interval_weeks"] = forms.IntegerField(
                label="Every how many weeks",
                min_value=MIN_INTERVAL_WEEKS,
                max_value=MAX_INTERVAL_WEEKS,
                initial=row["interval_weeks"] or DEFAULT_INTERVAL_WEEKS,
                disabled=disabled,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                error_messages={
                    "min_value": f"Use at least {MIN_INTERVAL_WEEKS} week.",
                    "max_value": f"Use at most {MAX_INTERVAL_WEEKS} weeks.",
                    "invalid": "Enter a whole number of weeks, like 4.",
                    "required": "Enter how many weeks apart, like 4.",
                },
            )
            self.fields[f"{code}_starts_on"] = forms.DateField(
                label="Baseline due on",
                initial=row["starts_on"],
                disabled=disabled,
                widget=DateInput(),
                help_text="Follow-ups repeat from this day.",
                error_messages={"required": "Enter the day the baseline is due."},
            )

    def clean(self) -> dict:
        data = super().clean()
        for instrument in self.instruments:
            starts_on = data.get(f"{instrument.code}_starts_on")
            if starts_on and starts_on.year < 2000:
                self.add_error(f"{instrument.code}_starts_on", "Please check the year.")
            if starts_on and starts_on > timezone.localdate() + dt.timedelta(days=366):
                self.add_error(f"{instrument.code}_starts_on", "Use a day within the next year.")
        return data

    def rows(self) -> list[dict]:
        """Per instrument, its bound fields, for the template."""
        return [
            {
                "instrument": instrument,
                "active": self[f"{instrument.code}_active"],
                "interval_weeks": self[f"{instrument.code}_interval_weeks"],
                "starts_on": self[f"{instrument.code}_starts_on"],
            }
            for instrument in self.instruments
        ]
