"""The headline adherence figure, as the assessment counts it, for every page that shows one.

The assessment judges adherence over the clinic's rolling window (`adherence_window_days`, 28 days
unless the clinic changed it) ending on the assessment day (today, or the discharge day). The rehab
pages read their headline figure here, so a clinician sees the same percentage on the rehab pages
as on the dashboard and in the verdict. Weekly breakdowns (Monday to Sunday) are separate figures.
"""

import datetime as dt
from collections.abc import Iterable

from rehab.adherence import AdherenceSummary
from rehab.selectors import adherence_over_windows, rolling_window
from tracker.models import Patient
from tracker.selectors.assessment import assessment_day, clinic_thresholds


def adherence_windows(patients: Iterable[Patient]) -> dict[int, tuple[dt.date, dt.date]]:
    """patient id -> (first, last day) of the assessment's adherence window; one query."""
    patients = list(patients)
    thresholds = clinic_thresholds(p.clinic_id for p in patients)
    return {
        p.pk: rolling_window(assessment_day(p), thresholds[p.clinic_id].adherence_window_days)
        for p in patients
    }


def window_adherence(patients: Iterable[Patient]) -> dict[int, AdherenceSummary]:
    """patient id -> adherence over that patient's adherence window (the assessment's figure).

    1 query for the thresholds and 4 a distinct window (one window for a clinic's patients who
    share its time zone). The patients should come with `clinic` selected.
    """
    patients = list(patients)
    if not patients:
        return {}
    return adherence_over_windows(patients, adherence_windows(patients))


def patient_window_adherence(patient: Patient) -> AdherenceSummary:
    return window_adherence([patient])[patient.pk]
