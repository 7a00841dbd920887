"""The daily check-in form. It only cleans input; tracker.services.checkin stores it."""

import datetime as dt
from typing import Any

from django import forms

from tracker.forms.people import DateInput
from tracker.models import Activity, Medicine, PainReach, Side, WarningSign
from tracker.models.checkin import MAX_DOSES, NOTE_MAX_LENGTH, PAIN_MAX, PAIN_MIN
from tracker.rules.checkin import day_problem, first_open_day
from tracker.services.checkin import DiaryAnswers

PAIN_CHOICES = [(str(n), str(n)) for n in range(PAIN_MIN, PAIN_MAX + 1)]
PAIN_ERROR = "Pick a number from 0 to 10."
YES_NO = [("no", "No"), ("yes", "Yes")]


class ScaleSelect(forms.RadioSelect):
    """0-10 as big buttons in a wrapping grid; the check-in template draws it."""

    is_scale = True


def pain_field(label: str, *, required: bool = True) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=PAIN_CHOICES,
        coerce=int,
        empty_value=None,
        required=required,
        widget=ScaleSelect,
        error_messages={"required": f"{PAIN_ERROR} Tap one.", "invalid_choice": PAIN_ERROR},
    )


def yes_no_field(label: str, *, required_message: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": required_message, "invalid_choice": "Tap yes or no."},
    )


class CheckinForm(forms.Form):
    day = forms.DateField(
        label="Which day is this for?",
        widget=DateInput(),
        error_messages={
            "required": "Pick the day this check-in is for.",
            "invalid": "Type the day like 31/12/2026, or pick it from the calendar.",
        },
    )
    pain_now = pain_field("How bad is your back pain right now?")
    pain_worst = pain_field("What was your worst pain today?")
    activities = forms.MultipleChoiceField(
        label="What did you do today?",
        choices=Activity.choices,
        required=False,
        # The class lets the stylesheet show an activity's pain row only once it is ticked.
        widget=forms.CheckboxSelectMultiple(attrs={"class": "activity-check"}),
        error_messages={"invalid_choice": "Pick things from the list. “%(value)s” isn't one."},
    )
    pain_reach = forms.ChoiceField(
        label="How far did the pain go?",
        choices=PainReach.choices,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Pick one of the places on the list."},
    )
    pain_side = forms.ChoiceField(
        label="Which side?",
        choices=Side.choices,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Pick left, right or both sides."},
    )
    leg_numbness = forms.BooleanField(label="Numb or tingly leg", required=False)
    leg_weakness = forms.BooleanField(label="Weak leg", required=False)
    night_pain = forms.BooleanField(label="Pain woke me up at night", required=False)
    medicine = forms.ChoiceField(
        label="Did you take pain medicine today?",
        choices=Medicine.choices,
        initial=Medicine.NONE,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Tap “None” or the medicine you took.",
            "invalid_choice": "Pick a medicine from the list.",
        },
    )
    medicine_doses = forms.IntegerField(
        label="How many times did you take it?",
        required=False,
        min_value=0,
        max_value=MAX_DOSES,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "pattern": "[0-9]*"}),
        error_messages={
            "invalid": "Type a whole number, like 2.",
            "min_value": f"Type a number from 1 to {MAX_DOSES}.",
            "max_value": f"That's a lot. Type a number from 1 to {MAX_DOSES}, "
            "and tell your care team if you took more.",
        },
    )
    note = forms.CharField(
        label="Anything else you want to tell us?",
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": "Your note is too long. Keep it under %(limit_value)s letters "
            "(it has %(show_value)s)."
        },
    )
    saddle_numbness = yes_no_field(
        WarningSign.SADDLE_NUMBNESS.label,
        required_message="Tap yes or no. We ask every day to keep you safe.",
    )
    bladder_bowel = yes_no_field(
        WarningSign.BLADDER_BOWEL.label,
        required_message="Tap yes or no. We ask every day to keep you safe.",
    )
    leg_weakness_worse = yes_no_field(
        WarningSign.LEG_WEAKNESS_WORSE.label,
        required_message="Tap yes or no. We ask every day to keep you safe.",
    )

    def __init__(self, *args: Any, today: dt.date, enrolled_on: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.enrolled_on = enrolled_on
        self.fields["day"].widget.attrs.update(
            {
                "max": today.isoformat(),
                "min": first_open_day(today=today, enrolled_on=enrolled_on).isoformat(),
            }
        )
        for activity in Activity:
            self.fields[f"pain_{activity.value}"] = pain_field(
                f"How much did it hurt? ({activity.label})", required=False
            )

    # -- shapes the template needs -------------------------------------------------------------

    def activity_rows(self) -> list[tuple[Any, forms.BoundField]]:
        """Each activity's checkbox with the 0-10 row for the pain it caused."""
        boxes = list(self["activities"])
        return [(box, self[f"pain_{box.data['value']}"]) for box in boxes]

    @property
    def warning_fields(self) -> list[forms.BoundField]:
        return [self[sign.value] for sign in WarningSign]

    @property
    def symptom_fields(self) -> list[forms.BoundField]:
        return [self["leg_numbness"], self["leg_weakness"], self["night_pain"]]

    # -- cleaning ------------------------------------------------------------------------------

    def clean_day(self) -> dt.date:
        day = self.cleaned_data["day"]
        problem = day_problem(day=day, today=self.today, enrolled_on=self.enrolled_on)
        if problem:
            raise forms.ValidationError(problem)
        return day

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        now, worst = data.get("pain_now"), data.get("pain_worst")
        if now is not None and worst is not None and worst < now:
            self.add_error(
                "pain_worst", "Your worst pain today can't be lower than your pain right now."
            )
        for activity in data.get("activities") or []:
            if data.get(f"pain_{activity}") is None and f"pain_{activity}" not in self.errors:
                label = Activity(activity).label.lower()
                self.add_error(f"pain_{activity}", f"Tap how much {label} hurt, from 0 to 10.")
        medicine, doses = data.get("medicine"), data.get("medicine_doses")
        if (
            medicine
            and medicine != Medicine.NONE
            and not doses
            and "medicine_doses" not in self.errors
        ):
            self.add_error("medicine_doses", "How many times did you take it? Type 1 or more.")
        if medicine == Medicine.NONE and doses:
            self.add_error("medicine_doses", "You said no medicine. Leave this empty, or pick one.")
        return data

    def answers(self) -> DiaryAnswers:
        data = self.cleaned_data
        took_medicine = data["medicine"] != Medicine.NONE
        return DiaryAnswers(
            pain_now=data["pain_now"],
            pain_worst=data["pain_worst"],
            # A pain picked for an activity that was then unticked is not kept.
            activities={a: data[f"pain_{a}"] for a in data["activities"]},
            pain_reach=data["pain_reach"],
            pain_side=data["pain_side"],
            leg_numbness=data["leg_numbness"],
            leg_weakness=data["leg_weakness"],
            night_pain=data["night_pain"],
            medicine=data["medicine"],
            medicine_doses=data["medicine_doses"] if took_medicine else 0,
            note=data["note"].strip(),
            saddle_numbness=data["saddle_numbness"],
            bladder_bowel=data["bladder_bowel"],
            leg_weakness_worse=data["leg_weakness_worse"],
        )

    @staticmethod
    def initial_for(day: dt.date, answers: DiaryAnswers | None) -> dict[str, Any]:
        if answers is None:
            return {"day": day}
        initial: dict[str, Any] = {
            **answers.snapshot(),
            "day": day,
            "activities": list(answers.activities),
            "medicine_doses": answers.medicine_doses or None,
        }
        initial.update({f"pain_{a}": str(p) for a, p in answers.activities.items()})
        for key in ("pain_now", "pain_worst"):
            initial[key] = str(initial[key])
        for sign in WarningSign:
            initial[sign.value] = "yes" if initial[sign.value] else "no"
        return initial
