"""What the check-in page shows beyond cleaning a post: its parts (`Section`), the shapes its
templates loop over, and what it is filled with before anything is posted (the day's saved diary
answers, brace hours and exercise answers as the forms' initial values, with the day's version so
a later save can tell whether the day changed meanwhile). A save needs none of it: the save path
is tracker/forms/checkin.py."""

import dataclasses
import datetime as dt
from typing import Any

from django import forms
from django.utils.html import format_html

from rehab.models import BraceLog, ExerciseLog
from tracker.models import GuardianLink, Patient, WarningSign
from tracker.rules.checkin import day_version
from tracker.services.checkin import (
    BRACE_KEY,
    EXERCISES_KEY,
    DayQuestions,
    DiaryAnswers,
    day_state,
)

SYMPTOMS = ("leg_numbness", "leg_weakness", "night_pain")
SHOWN_DAY = "shown_day"


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


@dataclasses.dataclass(frozen=True)
class Section:
    """A part of the check-in page beyond the diary: its key (the fields' prefix, and the key of
    the API's `sections` object), heading and partial."""

    key: str
    title: str
    template_name: str


BRACE = Section(BRACE_KEY, "Your brace", "rehab/checkin/_brace.html")
EXERCISES = Section(EXERCISES_KEY, "Your exercises", "rehab/checkin/_exercises.html")


class CheckinPageShapes:
    """What the check-in template loops over, for `CheckinForm` (its parts and fields)."""

    brace_form: forms.Form | None
    exercises_form: forms.Form | None
    words: str

    @property
    def sections(self) -> list[tuple[Section, forms.Form]]:
        """The brace and exercise parts the day asks for, in page order, with their forms."""
        pairs = [(BRACE, self.brace_form), (EXERCISES, self.exercises_form)]
        return [(section, form) for section, form in pairs if form is not None]

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


class ExercisePageRows:
    """The exercise part's rows for its template: each exercise due with its three fields."""

    due: tuple

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


@dataclasses.dataclass(frozen=True)
class SavedSections:
    """What was saved for the brace and the exercises of a day, as the forms' initial values."""

    brace: dict[str, Any] = dataclasses.field(default_factory=dict)
    exercises: dict[str, Any] = dataclasses.field(default_factory=dict)

    @classmethod
    def of(cls, *, patient: Patient, day: dt.date, questions: DayQuestions) -> "SavedSections":
        brace: dict[str, Any] = {}
        if questions.brace_target is not None:
            log = BraceLog.objects.filter(patient=patient, day=day).first()
            if log is not None:
                brace["hours"] = log.hours.normalize() if log.hours % 1 else int(log.hours)
                prescribed = float(log.hours) == float(questions.brace_target)
                brace["worn"] = "prescribed" if prescribed else "different"
        exercises: dict[str, Any] = {}
        if questions.due:
            logs = ExerciseLog.objects.filter(patient=patient, day=day, item__in=questions.due)
            for log in logs:
                exercises[f"done_{log.item_id}"] = "yes" if log.done else "no"
                exercises[f"sets_{log.item_id}"] = log.sets_done
                exercises[f"pain_{log.item_id}"] = None if log.pain is None else str(log.pain)
            answered = [v for k, v in exercises.items() if k.startswith("done_")]
            exercises["all_done"] = len(answered) == len(questions.due) and all(
                v == "yes" for v in answered
            )
        return cls(brace=brace, exercises=exercises)


def diary_initial(day: dt.date, answers: DiaryAnswers | None) -> dict[str, Any]:
    """The diary form's initial values for a day: its saved answers, or only the day."""
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
    # Symptoms answered, none ticked: "None of these"; not answered (null): nothing ticked.
    symptoms = [initial[name] for name in SYMPTOMS]
    initial["no_symptoms"] = symptoms == [False, False, False]
    return initial


def page_initial(
    *, patient: Patient, day: dt.date, questions: DayQuestions
) -> tuple[dict[str, Any], SavedSections]:
    """The diary form's initial values (with the day's version) and the brace and exercise
    answers saved for the day."""
    state = day_state(patient=patient, day=day)
    answers = None if state.entry is None else DiaryAnswers.of(state.entry)
    initial = {**diary_initial(day, answers), "version": state.version}
    return initial, SavedSections.of(patient=patient, day=day, questions=questions)


def picked_a_saved_day(patient: Patient, day: dt.date, data: Any) -> bool:
    """Whether this post's day was picked on a page showing another day (`shown_day`) and has
    answers saved already: then the patient chose a day to look at, not answers to save over it."""
    try:
        shown = dt.date.fromisoformat(str(data.get(SHOWN_DAY) or ""))
    except ValueError:
        return False
    return shown != day and day_state(patient=patient, day=day).version != _EMPTY_DAY


_EMPTY_DAY = day_version(number=0, brace_hours=None, exercises=())


def has_open_guardian_link(patient: Patient) -> bool:
    """Whether the young person has a guardian linked (so the note's privacy is asked)."""
    return GuardianLink.objects.open().filter(patient=patient).exists()
