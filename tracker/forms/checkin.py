"""The daily check-in form: the diary's questions, then the brace hours and the exercises of the
day when the patient's plan asks for them (issue 14: each in one tap). It only cleans input into
plain values; `entry_record` stores them. What the page shows beyond that (its parts, the shapes
its template loops over, what it is filled with before a post) is tracker/forms/checkin_page.py;
the field factories are tracker/forms/fields.py."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms

from rehab.models import ProgrammeItem
from rehab.services import ExerciseAnswer
from tracker.forms.checkin_page import (
    SYMPTOMS,
    CheckinPageShapes,
    ExercisePageRows,
    SavedSections,
    VersionInput,
    has_open_guardian_link,
    page_initial,
    picked_a_saved_day,
)
from tracker.forms.fields import (
    AskedChoiceField,
    count_field,
    hours_field,
    note_field,
    note_private_field,
    pain_field,
    warning_field,
)
from tracker.forms.people import DateInput
from tracker.models import Activity, Medicine, PainReach, Patient, Side, WarningSign
from tracker.models.checkin import MAX_DOSES
from tracker.rules import checkin as rules
from tracker.services.checkin import (
    CheckinStale,
    DayQuestions,
    DiaryAnswers,
    day_questions,
)

AS_PRESCRIBED = "prescribed"
NOTE_PRIVATE_SHOWN = "note_private_shown"  # the page showed the note's privacy box
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
            (AS_PRESCRIBED, f"I wore my brace as prescribed ({rules.hours_words(target_hours)} h)"),
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
            self.add_error(
                "hours", rules.HOURS_ERRORS["required"] if worn else rules.BRACE_UNANSWERED
            )
        return data


class ExercisesCheckinForm(ExercisePageRows, forms.Form):
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
    all_done = forms.BooleanField(label=rules.all_done_label("today"), required=False)

    def __init__(
        self, *args: Any, due: tuple[ProgrammeItem, ...], words: str = "today", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.due = due
        if not self.is_bound:
            self.initial["items"] = ",".join(str(item.pk) for item in due)
        self.fields["all_done"].label = rules.all_done_label(words)
        choices = rules.DONE_CHOICES if words == "today" else rules.PAST_DONE_CHOICES
        for item in due:
            name = item.exercise.name
            # Asked, but blank is allowed here: "all done" may answer it (see `clean`).
            self.fields[f"done_{item.pk}"] = AskedChoiceField(
                label=f"Did you do “{name}” {words}?",
                choices=choices,
                widget=forms.RadioSelect,
                error_messages={"required": rules.exercise_done_missing(name)},
            )
            self.fields[f"sets_{item.pk}"] = count_field(
                f"Sets done (you were asked for {item.sets})",
                0,
                rules.MAX_SETS_DONE,
                required=False,
            )
            self.fields[f"pain_{item.pk}"] = pain_field(
                "Pain during it (0 = none, 10 = worst)", required=False
            )

    use_required_attribute = False

    def clean_items(self) -> str:
        raw = self.cleaned_data["items"]
        problem = rules.shown_items_problem(shown=raw, due=[item.pk for item in self.due])
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
                self.add_error(key, rules.all_done_contradiction(item.exercise.name))
            elif not all_done and not answer:
                self.add_error(key, rules.exercise_done_missing(item.exercise.name))
        return data

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


class CheckinForm(CheckinPageShapes, forms.Form):
    # The day's version this page was built from (`day_version`): a save from a page that is
    # out of date is refused rather than overwriting what was saved meanwhile.
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
    note = note_field()
    saddle_numbness = warning_field(WarningSign.SADDLE_NUMBNESS.label)
    bladder_bowel = warning_field(WarningSign.BLADDER_BOWEL.label)
    leg_weakness_worse = warning_field(WarningSign.LEG_WEAKNESS_WORSE.label)

    def __init__(
        self,
        data: Any = None,
        *,
        today: dt.date,
        enrolled_on: dt.date,
        questions: DayQuestions | None = None,
        saved: SavedSections | None = None,
        day: dt.date | None = None,
        ask_note_private: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        if ask_note_private:  # the young person has a guardian (docs/guardians.md)
            self.fields["note_private"] = note_private_field()
        # Set when a post only moved the day picker to a day with saved answers (nothing saved).
        self.day_switched = False
        self.fields["version"].widget.shown_day = day
        questions = questions or DayQuestions()
        saved = saved or SavedSections()
        words = self.words = rules.day_words(day, today)
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
            for name, label in rules.PAST_LABELS.items():
                self.fields[name].label = label.format(day=words)
        self.fields["day"].widget.attrs.update(
            {
                "max": today.isoformat(),
                "min": rules.first_open_day(today=today, enrolled_on=enrolled_on).isoformat(),
            }
        )
        for activity in Activity:
            self.fields[f"pain_{activity.value}"] = pain_field(
                f"How much did it hurt? ({activity.label})", required=False
            )

    @classmethod
    def for_day(
        cls, *, patient: Patient, day: dt.date, today: dt.date, data: Any = None, guardian=False
    ) -> "CheckinForm":
        """The check-in form for this patient and day: bound to `data` (a POST), else filled with
        what was saved for that day. `guardian`: a guardian logs it (their note is shared)."""
        questions = day_questions(patient=patient, day=day)
        kwargs: dict[str, Any] = {"today": today, "enrolled_on": patient.enrolled_on, "day": day}
        # A post asks again what its page asked (no query on the save); a page asks the links.
        shown = NOTE_PRIVATE_SHOWN in data if data is not None else has_open_guardian_link(patient)
        kwargs["ask_note_private"] = not guardian and shown
        if data is not None and not picked_a_saved_day(patient, day, data):
            return cls(data, questions=questions, **kwargs)
        # A page for the day, or a post whose day picker moved to a day with saved answers:
        # that day's answers are shown (nothing saved), never a blank form over them.
        initial, saved = page_initial(patient=patient, day=day, questions=questions)
        form = cls(initial=initial, questions=questions, saved=saved, **kwargs)
        form.day_switched = data is not None
        return form

    def is_valid(self) -> bool:
        # Every part is checked, so one answer lists every problem.
        parts = [part for part in (self.brace_form, self.exercises_form) if part is not None]
        results = [super().is_valid(), *(part.is_valid() for part in parts)]
        return all(results)

    # -- cleaning ------------------------------------------------------------------------------

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        medicine = data.get("medicine")
        if data.get("no_symptoms") and any(data.get(name) for name in SYMPTOMS):
            self.add_error("no_symptoms", rules.SYMPTOMS_AND_NONE)
        if "medicine" not in self.errors and not medicine and data.get("medicine_doses"):
            self.add_error("medicine", rules.DOSES_WITHOUT_WHICH)
        problems = rules.answer_problems(
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
            note_private=data.get("note_private") if "note_private" in self.fields else None,
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
