"""The rehab sections of the daily check-in: brace hours and today's exercises."""

import datetime as dt
from typing import Any

from django import forms

from rehab import selectors, services
from rehab.forms import BraceHoursForm, ExercisesCheckinForm
from rehab.models import BraceLog, ExerciseLog
from tracker.checkin_sections import CheckinSection
from tracker.models import Patient


class BraceSection(CheckinSection):
    key = "brace"
    title = "Your brace"
    template_name = "rehab/checkin/_brace.html"
    order = 50

    def is_shown(self, *, patient: Patient, day: dt.date) -> bool:
        return selectors.brace_target_on(patient, day) is not None

    def form(self, *, patient: Patient, day: dt.date, data: Any = None) -> forms.Form:
        initial = {}
        if data is None:
            log = BraceLog.objects.filter(patient=patient, day=day).first()
            if log is not None:
                initial["hours"] = log.hours.normalize() if log.hours % 1 else int(log.hours)
        form = BraceHoursForm(data, prefix=self.key, initial=initial)
        form.target_hours = selectors.brace_target_on(patient, day)
        return form

    def save(self, *, patient: Patient, day: dt.date, form: forms.Form) -> None:
        services.brace_log_record(patient=patient, day=day, hours=form.cleaned_data["hours"])


class ExercisesSection(CheckinSection):
    key = "exercises"
    title = "Your exercises"
    template_name = "rehab/checkin/_exercises.html"
    order = 60

    def is_shown(self, *, patient: Patient, day: dt.date) -> bool:
        return bool(selectors.programme_items_on(patient, day))

    def form(self, *, patient: Patient, day: dt.date, data: Any = None) -> forms.Form:
        due = selectors.programme_items_on(patient, day)
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
