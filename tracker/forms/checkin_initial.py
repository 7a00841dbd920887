"""What the check-in page is filled with before anything is posted: the day's saved diary
answers, brace hours and exercise answers, as the forms' initial values (with the day's version,
so a later save can tell whether the day changed meanwhile). A save needs none of it: the save
path is tracker/forms/checkin.py."""

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING, Any

from rehab.models import BraceLog, ExerciseLog
from tracker.models import Patient, WarningSign
from tracker.services.checkin import DiaryAnswers, day_state

if TYPE_CHECKING:  # pragma: no cover
    from tracker.forms.checkin import DayQuestions


@dataclasses.dataclass(frozen=True)
class SavedSections:
    """What was saved for the brace and the exercises of a day, as the forms' initial values."""

    brace: dict[str, Any] = dataclasses.field(default_factory=dict)
    exercises: dict[str, Any] = dataclasses.field(default_factory=dict)

    @classmethod
    def of(cls, *, patient: Patient, day: dt.date, questions: "DayQuestions") -> "SavedSections":
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
    symptoms = [initial[name] for name in ("leg_numbness", "leg_weakness", "night_pain")]
    initial["no_symptoms"] = symptoms == [False, False, False]
    return initial


def page_initial(
    *, patient: Patient, day: dt.date, questions: "DayQuestions"
) -> tuple[dict[str, Any], SavedSections]:
    """The diary form's initial values (with the day's version) and the brace and exercise
    answers saved for the day."""
    state = day_state(patient=patient, day=day)
    answers = None if state.entry is None else DiaryAnswers.of(state.entry)
    initial = {**diary_initial(day, answers), "version": state.version}
    return initial, SavedSections.of(patient=patient, day=day, questions=questions)
