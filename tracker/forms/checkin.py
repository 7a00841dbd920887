"""The daily check-in form: the diary's questions, then the brace hours and the exercises of the
day when the patient's plan asks for them. It only cleans input; `entry_record` stores it. What
the page is filled with before a post is in tracker/forms/checkin_initial.py; the brace and
exercise parts (and `day_questions`) in tracker/forms/checkin_parts.py; the field factories
(`pain_field`, `yes_no_field`) in tracker/forms/fields.py."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.html import format_html

from rehab.services import ExerciseAnswer
from tracker.forms.checkin_initial import SavedSections, page_initial
from tracker.forms.checkin_parts import (
    BRACE,
    EXERCISES,
    BraceHoursForm,
    DayQuestions,
    ExercisesCheckinForm,
    Section,
    day_questions,
)
from tracker.forms.fields import pain_field, yes_no_field
from tracker.forms.people import DateInput
from tracker.models import Activity, Medicine, PainReach, Patient, Side, WarningSign
from tracker.models.checkin import MAX_DOSES, NOTE_MAX_LENGTH
from tracker.rules.checkin import answer_problems, day_version, day_words, first_open_day
from tracker.services.checkin import CheckinStale, DiaryAnswers, day_state

SHOWN_DAY = "shown_day"
SYMPTOMS = ("leg_numbness", "leg_weakness", "night_pain")
SYMPTOMS_AND_NONE = "You ticked “None of these” and a problem. Untick one of them."
DOSES_WITHOUT_WHICH = "Tap the medicine you took, or leave the number empty."
# The diary's questions for a day other than today ({day}: "on Tuesday 1 December").
PAST_LABELS = {
    "pain_now": "How bad was your back pain {day}?",
    "pain_worst": "What was your worst pain {day}?",
    "activities": "What did you do {day}?",
    "medicine": "Did you take pain medicine {day}?",
}


class VersionInput(forms.HiddenInput):
    """The day's version, and beside it the day the page shows (`shown_day`), so a post whose day
    was changed in the day picker (without JavaScript) can be told from a save of the day shown."""

    shown_day: dt.date | None = None

    def render(self, name, value, attrs=None, renderer=None):
        html = super().render(name, value, attrs, renderer)
        if self.shown_day is None:
            return html
        return html + format_html(
            '<input type="hidden" name="{}" value="{}">', SHOWN_DAY, self.shown_day.isoformat()
        )


class CheckinForm(forms.Form):
    # The day's version this page was built from (`day_version`): a save from a page that is out
    # of date is refused rather than overwriting what was saved meanwhile.
    version = forms.CharField(required=False, widget=VersionInput)
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
    # Ticked: yes. Nothing ticked: not answered (null), never "no". Some ticked, or "None of
    # these": the others are "no" (the patient went through the list).
    leg_numbness = forms.BooleanField(label="Numb or tingly leg", required=False)
    leg_weakness = forms.BooleanField(label="Weak leg", required=False)
    night_pain = forms.BooleanField(label="Pain woke me up at night", required=False)
    no_symptoms = forms.BooleanField(label="None of these", required=False)
    # Optional: left alone it is "not answered" (""), not "None".
    medicine = forms.ChoiceField(
        label="Did you take pain medicine today?",
        choices=Medicine.choices,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Pick a medicine from the list."},
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

    def __init__(
        self,
        data: Any = None,
        *,
        today: dt.date,
        enrolled_on: dt.date,
        questions: "DayQuestions | None" = None,
        saved: SavedSections | None = None,
        day: dt.date | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        # Set when a post only moved the day picker to a day with saved answers (nothing saved).
        self.day_switched = False
        self.fields["version"].widget.shown_day = day
        questions = questions or DayQuestions()
        saved = saved or SavedSections()
        words = self.words = day_words(day, today)
        self.brace_form = (
            None
            if questions.brace_target is None
            else BraceHoursForm(
                data,
                initial=saved.brace,
                target_hours=questions.brace_target,
                words=words,
                prefix="brace",
            )
        )
        self.exercises_form = (
            ExercisesCheckinForm(
                data, due=questions.due, initial=saved.exercises, words=words, prefix="exercises"
            )
            if questions.due
            else None
        )
        if words != "today":
            # A past day's questions speak of that day, not of "today" or "right now".
            for name, label in PAST_LABELS.items():
                self.fields[name].label = label.format(day=words)
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

    @classmethod
    def for_day(
        cls, *, patient: Patient, day: dt.date, today: dt.date, data: Any = None
    ) -> "CheckinForm":
        """The check-in form for this patient and day: bound to `data` (a POST), else filled with
        what was saved for that day."""
        questions = day_questions(patient=patient, day=day)
        kwargs: dict[str, Any] = {"today": today, "enrolled_on": patient.enrolled_on, "day": day}
        if data is not None and not _picked_a_saved_day(patient, day, data):
            return cls(data, questions=questions, **kwargs)
        # A page for the day, or a post whose day picker moved to a day with saved answers:
        # that day's answers are shown (nothing saved), never a blank form over them.
        initial, saved = page_initial(patient=patient, day=day, questions=questions)
        form = cls(initial=initial, questions=questions, saved=saved, **kwargs)
        form.day_switched = data is not None
        return form

    @property
    def sections(self) -> list[tuple["Section", forms.Form]]:
        """The brace and exercise parts the day asks for, in page order, with their forms."""
        pairs = [(BRACE, self.brace_form), (EXERCISES, self.exercises_form)]
        return [(section, form) for section, form in pairs if form is not None]

    def is_valid(self) -> bool:
        # Every part is checked, so one answer lists every problem.
        results = [super().is_valid(), *(form.is_valid() for _, form in self.sections)]
        return all(results)

    # -- shapes the template needs -------------------------------------------------------------

    def activity_rows(self) -> list[tuple[Any, forms.BoundField]]:
        """Each activity's checkbox with the 0-10 row for the pain it caused."""
        boxes = list(self["activities"])
        return [(box, self[f"pain_{box.data['value']}"]) for box in boxes]

    @property
    def warning_fields(self) -> list[forms.BoundField]:
        return [self[sign.value] for sign in WarningSign]

    @property
    def symptoms_legend(self) -> str:
        """The symptoms' question, in the day's words (for the page's legend)."""
        return f"Did you have any of these {self.words}?"

    @property
    def symptom_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in (*SYMPTOMS, "no_symptoms")]

    # -- cleaning ------------------------------------------------------------------------------

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        medicine = data.get("medicine")
        if data.get("no_symptoms") and any(data.get(name) for name in SYMPTOMS):
            self.add_error("no_symptoms", SYMPTOMS_AND_NONE)
        if "medicine" not in self.errors and not medicine and data.get("medicine_doses"):
            self.add_error("medicine", DOSES_WITHOUT_WHICH)
        problems = answer_problems(
            pain_now=data.get("pain_now"),
            pain_worst=data.get("pain_worst"),
            medicine_taken=None if not medicine else medicine != Medicine.NONE,
            medicine_doses=data.get("medicine_doses"),
            unrated_activities={
                a: Activity(a).label
                for a in data.get("activities") or []
                if data.get(f"pain_{a}") is None
            },
        )
        for field, message in problems.items():
            if field not in self.errors:
                self.add_error(field, message)
        return data

    def answers(self) -> DiaryAnswers:
        data = self.cleaned_data
        took_medicine = data["medicine"] not in ("", Medicine.NONE)
        answered = data["no_symptoms"] or any(data[name] for name in SYMPTOMS)
        symptoms = {name: data[name] if answered else None for name in SYMPTOMS}
        return DiaryAnswers(
            pain_now=data["pain_now"],
            pain_worst=data["pain_worst"],
            # A pain picked for an activity that was then unticked is not kept.
            activities={a: data[f"pain_{a}"] for a in data["activities"]},
            pain_reach=data["pain_reach"],
            pain_side=data["pain_side"],
            **symptoms,
            medicine=data["medicine"],
            medicine_doses=data["medicine_doses"] if took_medicine else 0,
            note=data["note"].strip(),
            saddle_numbness=data["saddle_numbness"],
            bladder_bowel=data["bladder_bowel"],
            leg_weakness_worse=data["leg_weakness_worse"],
        )

    def if_version(self) -> frozenset[str] | None:
        """The day version the page was built from; None for a post without one (no check)."""
        version = self.cleaned_data.get("version")
        return frozenset([version]) if version else None

    def page_out_of_date(self, *, error: CheckinStale, changes: list[str]) -> None:
        """Show why nothing was saved and what was saved meanwhile, keep the patient's answers,
        and take the current version, so saving again keeps theirs."""
        lines = [error.message]
        if changes:
            lines.append("What was saved there: " + "; ".join(changes) + ".")
        lines.append("Your answers are still below. Check them, then save again to keep them.")
        self.add_error(None, lines)
        self.data = self.data.copy()
        self.data["version"] = error.current.version

    def brace_hours(self) -> Decimal | None:
        """The hours the brace was worn, when the day asked; else None."""
        return None if self.brace_form is None else self.brace_form.cleaned_data["hours"]

    def exercise_answers(self) -> tuple[ExerciseAnswer, ...] | None:
        """One answer per exercise due, when the day asked; else None."""
        return None if self.exercises_form is None else self.exercises_form.answers()


def _picked_a_saved_day(patient: Patient, day: dt.date, data: Any) -> bool:
    """Whether this post's day was picked on a page showing another day (`shown_day`) and has
    answers saved already: then the patient chose a day to look at, not answers to save over it."""
    try:
        shown = dt.date.fromisoformat(str(data.get(SHOWN_DAY) or ""))
    except ValueError:
        return False
    return shown != day and day_state(patient=patient, day=day).version != _EMPTY_DAY


_EMPTY_DAY = day_version(number=0, brace_hours=None, exercises=())
