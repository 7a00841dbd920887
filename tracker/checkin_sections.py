"""Sections that other apps add to the daily check-in page (rehab adds brace hours and exercises).

The check-in page shows the diary's own fields, then every registered section that `is_shown` for
that patient and day, in `order`. On POST the diary form and every shown section's form must all
be valid before anything is saved; then the diary entry and each section's `save` run inside one
transaction, so a check-in is stored whole or not at all. Sections keep their own data keyed by
(patient, day), so they never need to know how the diary stores its entry.

An app registers its sections in its AppConfig.ready():

    from tracker.checkin_sections import register
    register(BraceSection())
"""

import datetime as dt
from abc import ABC, abstractmethod
from typing import Any

from django import forms

from tracker.models import Patient


class CheckinSection(ABC):
    key: str  # unique; used as the form prefix, so field names never clash with the diary's
    title: str  # heading shown to the patient, in plain words
    template_name: str  # partial rendered inside the check-in form with `section` and `form`
    order: int = 100

    @abstractmethod
    def is_shown(self, *, patient: Patient, day: dt.date) -> bool:
        """Whether this section applies to this patient on this day."""

    @abstractmethod
    def form(self, *, patient: Patient, day: dt.date, data: Any = None) -> forms.Form:
        """The section's form, bound to `data` when given, else filled with what was saved."""

    @abstractmethod
    def save(self, *, patient: Patient, day: dt.date, form: forms.Form) -> None:
        """Store a valid form for (patient, day), replacing what was there. Must be idempotent."""


_sections: dict[str, CheckinSection] = {}


def register(section: CheckinSection) -> None:
    if section.key in _sections and type(_sections[section.key]) is not type(section):
        raise ValueError(f"A check-in section with key {section.key!r} is already registered.")
    _sections[section.key] = section


def sections_for(*, patient: Patient, day: dt.date) -> list[CheckinSection]:
    """The sections shown to this patient on this day, in page order."""
    shown = [s for s in _sections.values() if s.is_shown(patient=patient, day=day)]
    return sorted(shown, key=lambda s: (s.order, s.key))
