"""The dashboard's rows, read from the stored assessments (docs/dashboard.md, "The stored
assessment").

`snapshot_fields(assessed)` turns a live `PatientAssessment` into the stored columns;
`DashboardRow.from_snapshot` and `DashboardRow.from_assessment` give the same row from either, so
a test can hold the stored copy to the live assessment field by field. `snapshot_states` says, in
one query, which stored rows are still valid: computed for the patient's assessment day of today,
not marked stale, and stamped with today's rules and the clinic's current thresholds.
"""

import datetime as dt
import hashlib
import importlib
import inspect
import pkgutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from zoneinfo import ZoneInfo

from django.db.models import F, Value
from django.db.models.functions import Concat, Lower
from django.utils import timezone

from tracker.models import AssessmentSnapshot, Patient
from tracker.rules.assessment import Category
from tracker.rules.thresholds import Thresholds
from tracker.selectors.assessment import (
    PatientAssessment,
    Trend,
    clinic_thresholds,
    day_of_assessment,
    pain_trend,
)

# Raise when the stored columns change meaning; the code of the rules is stamped by itself.
SNAPSHOT_FORMAT = 1
# The modules whose code decides what a row says. Any change to them (a deploy) invalidates
# every stored row, so a new rule never shows beside an old verdict.
RULE_MODULES = (
    "tracker.rules.assessment",
    "tracker.rules.thresholds",
    "tracker.rules.slip",
    "tracker.selectors.assessment",
    "tracker.selectors.outcomes",
    "tracker.selectors.records",
    "tracker.rules.outcomes.scoring",
    "rehab.adherence",
    "rehab.selectors",
    "tracker.selectors.dashboard",
    # What the rows also depend on: the patient's days and weeks of care and time zone, the
    # warning signs' labels in the urgent reason, response and brace kinds.
    "tracker.models.people",
    "tracker.models.checkin",
    "tracker.models.outcomes",
    "rehab.models.prescriptions",
)


def rule_sources(name: str) -> Iterator[str]:
    """The code stamped for a module of `RULE_MODULES`: its own, and for a package (a module
    split into one) each of its modules' too, in name order."""
    module = importlib.import_module(name)
    yield inspect.getsource(module)
    found = pkgutil.walk_packages(getattr(module, "__path__", []), f"{name}.")
    for sub in sorted(info.name for info in found):
        yield inspect.getsource(importlib.import_module(sub))


@cache
def code_version() -> str:
    digest = hashlib.sha256(str(SNAPSHOT_FORMAT).encode())
    for name in RULE_MODULES:
        for source in rule_sources(name):
            digest.update(source.encode())
    return digest.hexdigest()


@cache
def rules_version(thresholds: Thresholds) -> str:
    """The stamp of a stored row: the rules' code and the clinic's thresholds."""
    return hashlib.sha256(f"{code_version()}|{thresholds!r}".encode()).hexdigest()[:40]


@dataclass(frozen=True)
class FunctionChange:
    improvement: float | None
    improved: bool
    worsened: bool


@dataclass(frozen=True)
class FunctionScore:
    name: str  # the instrument's short name
    score: float
    change: FunctionChange | None  # None: baseline only


@dataclass(frozen=True)
class DashboardRow:
    """One patient's row: what the dashboard shows, from the stored or the live assessment."""

    patient: Patient
    today: dt.date
    category: Category
    deciding_reason: str
    weeks_of_care: int
    pain_baseline: float | None
    pain_recent: float | None
    brace_adherence: float | None
    exercise_adherence: float | None
    checkins: int
    last_checkin: dt.date | None
    days_since_checkin: int | None
    not_logged: bool
    function: FunctionScore | None

    @property
    def age(self) -> int:
        return self.patient.age_on(self.today)

    @property
    def pain_trend(self) -> Trend:
        return pain_trend(self.pain_baseline, self.pain_recent)

    @classmethod
    def from_snapshot(cls, snap: AssessmentSnapshot) -> "DashboardRow":
        function = snap.details.get("function")
        if function is not None:
            change = function["change"]
            function = FunctionScore(
                name=function["name"],
                score=function["score"],
                change=None if change is None else FunctionChange(**change),
            )
        return cls(
            patient=snap.patient,
            today=snap.computed_for,
            category=Category(snap.category),
            deciding_reason=snap.details["reason"],
            weeks_of_care=snap.weeks_of_care,
            pain_baseline=snap.pain_baseline,
            pain_recent=snap.pain_recent,
            brace_adherence=snap.brace_adherence,
            exercise_adherence=snap.exercise_adherence,
            checkins=snap.checkins,
            last_checkin=snap.last_checkin,
            days_since_checkin=snap.days_since_checkin,
            not_logged=snap.not_logged,
            function=function,
        )

    @classmethod
    def from_assessment(cls, assessed: PatientAssessment) -> "DashboardRow":
        snap = AssessmentSnapshot(patient=assessed.patient, **snapshot_fields(assessed))
        return cls.from_snapshot(snap)


def _function(assessed: PatientAssessment) -> dict | None:
    point = assessed.function_point
    if point is None:
        return None
    change = assessed.function_change
    return {
        "name": point.response.instrument.short_name,
        "score": float(point.score),
        "change": None
        if change is None
        else {
            "improvement": change.improvement,
            "improved": change.improved,
            "worsened": change.worsened,
        },
    }


def snapshot_fields(assessed: PatientAssessment) -> dict:
    """The stored columns for one live assessment (without the validity bookkeeping's
    generation, which only invalidation changes)."""
    base, now = assessed.pain_baseline, assessed.pain_recent
    return {
        "computed_for": assessed.today,
        "stale": False,
        "rules_version": rules_version(assessed.thresholds),
        "computed_at": timezone.now(),
        "category": assessed.category.value,
        "priority": assessed.category.priority,
        "weeks_of_care": assessed.weeks_of_care,
        "pain_baseline": base,
        "pain_recent": now,
        "pain_rise": None if base is None or now is None else now - base,
        "brace_adherence": assessed.adherence.brace,
        "exercise_adherence": assessed.adherence.exercise,
        "checkins": assessed.checkins,
        "last_checkin": assessed.last_checkin,
        "days_since_checkin": assessed.days_since_checkin,
        "not_logged": assessed.stale,
        "details": {"reason": assessed.deciding_reason, "function": _function(assessed)},
    }


SNAPSHOT_UPDATE_FIELDS = [
    "computed_for",
    "stale",
    "rules_version",
    "computed_at",
    "category",
    "priority",
    "weeks_of_care",
    "pain_baseline",
    "pain_recent",
    "pain_rise",
    "brace_adherence",
    "exercise_adherence",
    "checkins",
    "last_checkin",
    "days_since_checkin",
    "not_logged",
    "details",
]


@dataclass(frozen=True)
class SnapshotState:
    patient_id: int
    day: dt.date  # the patient's assessment day today
    generation: int | None  # None: no stored row yet
    valid: bool
    category: str | None = None  # the stored row's verdict and "not logged" flag, whatever its
    not_logged: bool | None = None  # validity (the dashboard counts them, once all are valid)


def snapshot_states(
    patient_ids: Iterable[int],
    now: dt.datetime | None = None,
    *,
    thresholds: dict[int, Thresholds] | None = None,
) -> list[SnapshotState]:
    """Which patients' stored assessments are valid now: two queries (patients with their stored
    row's bookkeeping, and the clinics' thresholds). `thresholds`: clinics' thresholds the caller
    has just read on the primary; only the clinics missing from it are read here (none: one
    query)."""
    now = now or timezone.now()
    rows = list(
        Patient.objects.filter(pk__in=list(patient_ids))
        .values_list(
            "pk",
            "clinic_id",
            "time_zone",
            "clinic__time_zone",
            "discharged_on",
            "assessment_snapshot__computed_for",
            "assessment_snapshot__stale",
            "assessment_snapshot__rules_version",
            "assessment_snapshot__generation",
            "assessment_snapshot__category",
            "assessment_snapshot__not_logged",
        )
        .order_by()
    )
    if not rows:
        return []
    known = dict(thresholds or {})
    missing = {r[1] for r in rows} - known.keys()
    if missing:
        known |= clinic_thresholds(missing)
    versions = {pk: rules_version(t) for pk, t in known.items()}
    today_in = cache(lambda zone: now.astimezone(ZoneInfo(zone)).date())
    states = []
    for row in rows:
        pk, clinic_id, zone, clinic_zone, discharged_on, computed_for, stale, version, gen = row[:9]
        day = day_of_assessment(today_in(zone or clinic_zone), discharged_on)
        valid = (
            gen is not None and not stale and computed_for == day and version == versions[clinic_id]
        )
        states.append(SnapshotState(pk, day, gen, valid, row[9], row[10]))
    return states


_NAME = Lower(Concat("patient__user__first_name", Value(" "), "patient__user__last_name"))

# Each sort of the dashboard on the stored columns; the patient's id last, so pages are stable.
ORDERINGS = {
    "assessment": ["priority", _NAME, "patient_id"],
    "name": [Lower("patient__user__last_name"), Lower("patient__user__first_name"), "patient_id"],
    "checkin": [F("days_since_checkin").desc(nulls_first=True), _NAME, "patient_id"],
    "pain": [F("pain_rise").desc(nulls_last=True), _NAME, "patient_id"],
    "care": [F("weeks_of_care").desc(), _NAME, "patient_id"],
}
