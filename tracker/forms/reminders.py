"""The patient's check-in reminder settings."""

import datetime as dt

from django import forms

from tracker.models import ReminderPreference
from tracker.rules.reminders import ReminderChannel, plan_problems


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs) -> None:
        super().__init__(format="%H:%M", **kwargs)


FOLLOW_UP_CHOICES = [
    ("", "No follow-up"),
    ("1", "1 hour later"),
    ("2", "2 hours later"),
    ("3", "3 hours later"),
]


class ReminderPreferenceForm(forms.Form):
    enabled = forms.BooleanField(label="Remind me on days I have not checked in", required=False)
    # Only where the server can send web push (the form drops it otherwise: email).
    channel = forms.TypedChoiceField(
        label="Send reminders by",
        choices=ReminderChannel.choices,
        widget=forms.RadioSelect,
        required=False,
        empty_value=ReminderChannel.EMAIL,
        help_text="A notification goes to every phone or browser you turned notifications on "
        "in. If it reaches none of them, the reminder comes by email.",
    )
    remind_at = forms.TimeField(
        label="Reminder time", widget=TimeInput(), help_text="In your time zone (below)."
    )
    follow_up_hours = forms.TypedChoiceField(
        label="If I still have not checked in",
        choices=FOLLOW_UP_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        help_text="At most one follow-up a day.",
    )
    quiet_start = forms.TimeField(label="Quiet hours start", widget=TimeInput(), required=False)
    quiet_end = forms.TimeField(
        label="Quiet hours end",
        widget=TimeInput(),
        required=False,
        help_text="Nothing is sent between these times. Leave both empty for none.",
    )

    @classmethod
    def for_preference(
        cls, preference: ReminderPreference, data=None, *, push: bool = False
    ) -> "ReminderPreferenceForm":
        initial = {
            "enabled": preference.enabled,
            "channel": preference.channel,
            "remind_at": preference.remind_at,
            "follow_up_hours": preference.follow_up_hours or "",
            "quiet_start": preference.quiet_start,
            "quiet_end": preference.quiet_end,
        }
        form = cls(data, initial=initial)
        if not push:
            del form.fields["channel"]
        return form

    def clean(self) -> dict:
        data = super().clean()
        fields = ("remind_at", "quiet_start", "quiet_end", "follow_up_hours")
        if any(name in self.errors for name in fields):
            return data
        values: dict[str, dt.time | int | None] = {name: data.get(name) for name in fields}
        for field, message in plan_problems(**values).items():
            self.add_error(field, message)
        return data
