"""Sections that other apps add to the daily check-in page (rehab adds brace hours and exercises).

The check-in page shows the diary's own fields, then every registered section that `is_shown` for
that patient and day, in `order`. On POST the diary form and every shown section's form must all
be valid before anything is saved; then the diary entry and each section's `save` run inside one
transaction, so a check-in is stored whole or not at all. Sections keep their own data keyed by
(patient, day), so they never need to know how the diary stores its entry.

`section_forms` builds the page's (section, form) pairs. A section that sets `shares_reads = True`
gets one `reads` dict per request in every `is_shown` and `form` call, so what it looks up about
the day (the prescription in force) is read once, not once to decide and again to build the form.
`reads` lives for one request only; `save` must not rely on it (it runs under the patient's lock
and reads afresh). Sections without the flag are called exactly as before, without `reads`.

An app registers its sections in its AppConfig.ready():

    from tracker.checkin_sections import register
    register(BraceSection())
"""

import datetime as dt
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any

from django import forms

from tracker.models import Patient

# What one request has already read about a patient's day, shared by the sections' `is_shown` and
# `form` calls (keys are the sections' own, e.g. ("rehab.items", day)).
Reads = dict[Any, Any]


class CheckinSection(ABC):
    key: str  # unique; used as the form prefix, so field names never clash with the diary's
    title: str  # heading shown to the patient, in plain words
    template_name: str  # partial rendered inside the check-in form with `section` and `form`
    order: int = 100
    # True: `is_shown` and `form` take a `reads` keyword (see the module's docstring).
    shares_reads: bool = False

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


def sections_for(
    *, patient: Patient, day: dt.date, reads: Reads | None = None
) -> list[CheckinSection]:
    """The sections shown to this patient on this day, in page order."""
    reads = {} if reads is None else reads
    shown = [
        s for s in _sections.values() if s.is_shown(patient=patient, day=day, **_reads(s, reads))
    ]
    return sorted(shown, key=lambda s: (s.order, s.key))


def _reads(section: CheckinSection, reads: Reads) -> dict[str, Reads]:
    return {"reads": reads} if section.shares_reads else {}


def section_forms(
    *,
    patient: Patient,
    day: dt.date,
    data: Any = None,
    data_for: Callable[[str], Any] | None = None,
) -> list[tuple[CheckinSection, forms.Form]]:
    """Each section shown that day with its form, in page order.

    The forms are bound to `data` (the page's POST), or to `data_for(key)` (each section's own
    form data, as the API builds it), and unbound when neither is given. The form's prefix is the
    section's key when the section did not set one: the key is the section's namespace on the page
    and in the API's `sections` object.
    """
    reads: Reads = {}
    pairs = []
    for section in sections_for(patient=patient, day=day, reads=reads):
        bound = data_for(section.key) if data_for is not None else data
        form = section.form(patient=patient, day=day, data=bound, **_reads(section, reads))
        form.prefix = form.prefix or section.key
        pairs.append((section, form))
    return pairs
