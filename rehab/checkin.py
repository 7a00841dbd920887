"""The rehab sections of the daily check-in: brace hours and today's exercises."""

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms

from rehab import selectors, services
from rehab.forms import BraceHoursForm, ExercisesCheckinForm
from rehab.models import BraceLog, ExerciseLog, ProgrammeItem
from tracker.checkin_sections import CheckinSection, Reads
from tracker.models import Patient


def _read_once(reads: Reads | None, key: tuple, load: Callable[[], Any]) -> Any:
    """`load()`, or what this request already loaded under `key` (both sections' `is_shown` and
    `form` need the prescription in force: one query each per request, not two)."""
    if reads is None:
        return load()
    if key not in reads:
        reads[key] = load()
    return reads[key]


def _brace_target(patient: Patient, day: dt.date, reads: Reads | None) -> float | None:
    return _read_once(
        reads,
        ("rehab.brace_target", patient.pk, day),
        lambda: selectors.brace_target_on(patient, day),
    )


def _due_items(patient: Patient, day: dt.date, reads: Reads | None) -> list[ProgrammeItem]:
    return _read_once(
        reads,
        ("rehab.programme_items", patient.pk, day),
        lambda: selectors.programme_items_on(patient, day),
    )


class BraceSection(CheckinSection):
    key = "brace"
    title = "Your brace"
    template_name = "rehab/checkin/_brace.html"
    order = 50
    shares_reads = True

    def is_shown(self, *, patient: Patient, day: dt.date, reads: Reads | None = None) -> bool:
        return _brace_target(patient, day, reads) is not None

    def form(
        self, *, patient: Patient, day: dt.date, data: Any = None, reads: Reads | None = None
    ) -> forms.Form:
        initial = {}
        if data is None:
            log = BraceLog.objects.filter(patient=patient, day=day).first()
            if log is not None:
                initial["hours"] = log.hours.normalize() if log.hours % 1 else int(log.hours)
        form = BraceHoursForm(data, prefix=self.key, initial=initial)
        form.target_hours = _brace_target(patient, day, reads)
        return form

    def save(self, *, patient: Patient, day: dt.date, form: forms.Form) -> None:
        services.brace_log_record(patient=patient, day=day, hours=form.cleaned_data["hours"])


class ExercisesSection(CheckinSection):
    key = "exercises"
    title = "Your exercises"
    template_name = "rehab/checkin/_exercises.html"
    order = 60
    shares_reads = True

    def is_shown(self, *, patient: Patient, day: dt.date, reads: Reads | None = None) -> bool:
        return bool(_due_items(patient, day, reads))

    def form(
        self, *, patient: Patient, day: dt.date, data: Any = None, reads: Reads | None = None
    ) -> forms.Form:
        due = _due_items(patient, day, reads)
        initial = {}
        if data is None:
            for log in ExerciseLog.objects.filter(patient=patient, day=day, item__in=due):
                initial[f"done_{log.item_id}"] = "yes" if log.done else "no"
                initial[f"sets_{log.item_id}"] = log.sets_done
                initial[f"pain_{log.item_id}"] = None if log.pain is None else str(log.pain)
        return ExercisesCheckinForm(data, prefix=self.key, due=due, initial=initial)

    def save(self, *, patient: Patient, day: dt.date, form: forms.Form) -> None:
        entries = [services.ExerciseEntry(**entry) for entry in form.entries()]
        services.exercise_logs_record(patient=patient, day=day, entries=entries)
