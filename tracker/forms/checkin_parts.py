"""The check-in's parts beyond the diary: the brace hours and the exercises of the day, when the
patient's plan asks for them (issue 14: each in one tap), and what a day asks (`day_questions`).
The diary form that holds them is tracker/forms/checkin.py."""

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms

from rehab.models import ProgrammeItem
from rehab.selectors import brace_target_on, exercises_due_on
from rehab.services import ExerciseAnswer
from tracker.forms.fields import AskedChoiceField, count_field, hours_field, pain_field
from tracker.models import Patient
from tracker.rules.checkin import (
    BRACE_UNANSWERED,
    HOURS_ERRORS,
    MAX_SETS_DONE,
    all_done_contradiction,
    all_done_label,
    exercise_done_missing,
    shown_items_problem,
)

DONE_CHOICES = [("yes", "Yes, I did it"), ("no", "Not today")]
PAST_DONE_CHOICES = [("yes", "Yes, I did it"), ("no", "No, I didn't")]


@dataclasses.dataclass(frozen=True)
class Section:
    """A part of the check-in page beyond the diary: its key (the fields' prefix, and the key of
    the API's `sections` object), heading and partial."""

    key: str
    title: str
    template_name: str


BRACE = Section("brace", "Your brace", "rehab/checkin/_brace.html")
EXERCISES = Section("exercises", "Your exercises", "rehab/checkin/_exercises.html")


@dataclasses.dataclass(frozen=True)
class DayQuestions:
    """What a day's check-in asks beyond the diary: the brace hours (when a brace is due that
    day, with its target) and the exercises of the programme in force that day."""

    brace_target: float | None = None
    due: tuple[ProgrammeItem, ...] = ()

    @property
    def section_keys(self) -> list[str]:
        keys = [BRACE.key] if self.brace_target is not None else []
        return keys + ([EXERCISES.key] if self.due else [])


def day_questions(*, patient: Patient, day: dt.date) -> DayQuestions:
    """What the check-in asks this patient on this day (two queries; three when an exercise is
    prescribed fewer than 7 times a week)."""
    return DayQuestions(
        brace_target=brace_target_on(patient, day), due=tuple(exercises_due_on(patient, day))
    )


AS_PRESCRIBED = "prescribed"
DIFFERENT = "different"


class BraceHoursForm(forms.Form):
    """The brace hours in one tap: "as prescribed (N h)", or "different hours" and the hours.

    N is the target of the brace prescription in force that day (never a guess). The rule (no
    JavaScript needed; the hours box is always on the page, below the choice):
    - "as prescribed": the prescribed hours are saved; anything typed in the box is ignored;
    - "different": the typed hours are saved (and must be typed);
    - no choice but hours typed: the typed hours are saved (what the box alone always meant);
    - neither: the part is unanswered, so nothing is saved and the page asks for it (never 0 h).
    """

    worn = AskedChoiceField(
        label="Your brace today",
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Tap one of the choices."},
    )
    # Shown as asked (the label has no "optional"), but blank is left to `clean`, below.
    hours = hours_field(
        "Hours you wore your brace",
        blank_ok=True,
        help_text="Only if different. From 0 to 24. Half hours are fine, like 7.5.",
    )
    use_required_attribute = False

    def __init__(
        self, *args: Any, target_hours: float | None = None, words: str = "today", **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.target_hours = target_hours
        self.fields["worn"].label = f"Your brace {words}"
        self.fields["worn"].choices = [
            (AS_PRESCRIBED, f"I wore my brace as prescribed ({_hours_words(target_hours)} h)"),
            (DIFFERENT, "Different hours (type them below)"),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if "worn" in self.errors or "hours" in self.errors:
            return data
        worn, hours = data.get("worn"), data.get("hours")
        if worn == AS_PRESCRIBED and self.target_hours is not None:
            data["hours"] = Decimal(str(self.target_hours))
        elif hours is None:
            # Unanswered stays unanswered (never 0 h): the box says what is missing.
            self.add_error("hours", HOURS_ERRORS["required"] if worn else BRACE_UNANSWERED)
        return data


def _hours_words(hours: float | None) -> str:
    if hours is None:
        return "?"
    return str(int(hours)) if float(hours).is_integer() else f"{hours:g}"


class ExercisesCheckinForm(forms.Form):
    """For each exercise due that day: done or not, sets done, pain during it (0-10); and
    "I did all of today's exercises", one tap for every exercise due.

    The rule for "all": ticked, every exercise due left unanswered counts as done; an exercise
    also answered "Yes" is done with its sets and pain; one answered "Not today" contradicts it
    and is refused with a field error beside that exercise (nothing guessed). Unticked, each
    exercise must be answered on its own.

    `items` lists the exercise items shown on the page; it must match the exercises due that
    day, so a stale page (programme changed since) or an item from someone else's programme is
    refused rather than stored against the wrong prescription.
    """

    items = forms.CharField(widget=forms.HiddenInput)
    all_done = forms.BooleanField(label=all_done_label("today"), required=False)

    def __init__(
        self, *args: Any, due: tuple[ProgrammeItem, ...], words: str = "today", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.due = due
        if not self.is_bound:
            self.initial["items"] = ",".join(str(item.pk) for item in due)
        self.fields["all_done"].label = all_done_label(words)
        choices = DONE_CHOICES if words == "today" else PAST_DONE_CHOICES
        for item in due:
            name = item.exercise.name
            # Asked, but blank is allowed here: "all done" may answer it (see `clean`).
            self.fields[f"done_{item.pk}"] = AskedChoiceField(
                label=f"Did you do “{name}” {words}?",
                choices=choices,
                widget=forms.RadioSelect,
                error_messages={"required": exercise_done_missing(name)},
            )
            self.fields[f"sets_{item.pk}"] = count_field(
                f"Sets done (you were asked for {item.sets})", 0, MAX_SETS_DONE, required=False
            )
            self.fields[f"pain_{item.pk}"] = pain_field(
                "Pain during it (0 = none, 10 = worst)", required=False
            )

    use_required_attribute = False

    def clean_items(self) -> str:
        raw = self.cleaned_data["items"]
        problem = shown_items_problem(shown=raw, due=[item.pk for item in self.due])
        if problem:
            raise forms.ValidationError(problem)
        return raw

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        all_done = data.get("all_done")
        for item in self.due:
            key = f"done_{item.pk}"
            if key in self.errors:
                continue
            answer = data.get(key)
            if all_done and answer == "no":
                self.add_error(key, all_done_contradiction(item.exercise.name))
            elif not all_done and not answer:
                self.add_error(key, exercise_done_missing(item.exercise.name))
        return data

    def rows(self) -> list[dict]:
        return [
            {
                "item": item,
                "done": self[f"done_{item.pk}"],
                "sets": self[f"sets_{item.pk}"],
                "pain": self[f"pain_{item.pk}"],
            }
            for item in self.due
        ]

    def answers(self) -> tuple[ExerciseAnswer, ...]:
        data = self.cleaned_data
        return tuple(
            ExerciseAnswer(
                item_id=item.pk,
                done=bool(data.get("all_done")) or data[f"done_{item.pk}"] == "yes",
                sets_done=data.get(f"sets_{item.pk}"),
                pain=data.get(f"pain_{item.pk}"),
            )
            for item in self.due
        )
