"""Reads: what was prescribed on a day, history, timeline events, and adherence in aggregate.

- `prescribed`: the exercise library, what is in force on a day, history, `prescriptions_of`;
- `timeline`: the rehab events on the patient's timeline;
- `adherence`: weekly adherence for many patients in a fixed number of queries;
- `measured`: brace hours a sensor measured, per day, for one patient or many (issue 17).
"""

from rehab.selectors.adherence import (
    adherence_for_patient,
    adherence_for_patients,
    adherence_over_windows,
    brace_target_subquery,
    recent_weeks,
    rolling_window,
)
from rehab.selectors.measured import (
    BraceHours,
    brace_hours_both,
    measured_hours,
    measured_hours_for_patients,
)
from rehab.selectors.prescribed import (
    brace_history,
    brace_on,
    brace_prescriptions,
    brace_target_on,
    exercises_due_on,
    exercises_for_clinic,
    in_force_on,
    items_by_phase,
    overlapping,
    prescriptions_of,
    programme_history,
    programme_items_on,
    programme_on,
    programme_versions,
    stage_history,
    stage_on,
)
from rehab.selectors.timeline import timeline_events

__all__ = [
    "BraceHours",
    "adherence_for_patient",
    "adherence_for_patients",
    "adherence_over_windows",
    "brace_history",
    "brace_hours_both",
    "brace_on",
    "brace_prescriptions",
    "brace_target_on",
    "brace_target_subquery",
    "exercises_due_on",
    "exercises_for_clinic",
    "in_force_on",
    "items_by_phase",
    "measured_hours",
    "measured_hours_for_patients",
    "overlapping",
    "prescriptions_of",
    "programme_history",
    "programme_items_on",
    "programme_on",
    "programme_versions",
    "recent_weeks",
    "rolling_window",
    "stage_history",
    "stage_on",
    "timeline_events",
]
