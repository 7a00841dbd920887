"""Template helpers for rehab pages, and the rehab cards on the patient's and clinician's pages."""

from decimal import Decimal

from django import template

from rehab import selectors
from rehab.adherence import as_percent, whole_sessions
from tracker.models import Patient
from tracker.selectors.adherence import patient_window_adherence

register = template.Library()


@register.filter
def percent(value: float | None) -> str:
    """0.8 -> "80%"; None (nothing prescribed) -> "n/a", never 0 % or 100 %."""
    result = as_percent(value)
    return "n/a" if result is None else f"{result}%"


@register.filter
def hours(value: Decimal | float | None) -> str:
    if value is None:
        return ""
    return f"{float(value):g}"


@register.filter
def sessions(adherence, joiner: str = "/") -> str:
    """A week's or a period's sessions done and prescribed, in whole sessions ("19 / 27", "19 of
    27"): rehab.adherence.whole_sessions."""
    done, prescribed = whole_sessions(adherence.sessions_done, adherence.sessions_prescribed)
    return f"{done} {joiner} {prescribed}"


@register.filter
def sensor_interval(seconds: int) -> str:
    """A sampling interval in words: "15 min", "2 h"."""
    minutes = seconds / 60
    return f"{minutes:g} min" if minutes < 120 else f"{minutes / 60:g} h"


@register.inclusion_tag("rehab/_home_card.html")
def rehab_home_card(patient: Patient) -> dict:
    # Three small queries: the home page is kept light (adherence is on "My programme").
    today = patient.local_today()
    return {
        "stage": selectors.stage_on(patient, today),
        "items": selectors.programme_items_on(patient, today),
        "brace_target": selectors.brace_target_on(patient, today),
    }


@register.inclusion_tag("rehab/_patient_card.html")
def rehab_patient_card(patient: Patient) -> dict:
    today = patient.local_today()
    brace = selectors.brace_on(patient, today)
    return {
        "patient": patient,
        "stage": selectors.stage_on(patient, today),
        "items": selectors.programme_items_on(patient, today),
        "brace": brace,
        "brace_target": brace.target_on(today) if brace else None,
        "summary": patient_window_adherence(patient),
    }
