"""The dashboard's rows, read from the stored assessments (docs/dashboard.md, "The stored
assessment").

`snapshot_fields(assessed)` turns a live `PatientAssessment` into the stored columns;
`DashboardRow.from_snapshot` and `DashboardRow.from_assessment` give the same row from either, so
a test can hold the stored copy to the live assessment field by field. Which stored rows are
valid, and their refresh, are `tracker.services.stored_assessment`'s.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import F, Value
from django.db.models.functions import Concat, Lower

from tracker.models import AssessmentSnapshot, Patient
from tracker.rules.assessment import BraceSource, Category, Trend, badge_caveat, pain_trend
from tracker.selectors.assessment import PatientAssessment


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
    pain_improved: bool = False  # the verdict's reading of pain: an important change
    pain_worsened: bool = False
    pain_shortfall: str = ""  # set: too few check-ins to compare ("not enough data")
    thin: tuple[str, ...] = ()  # measures too thin beside the deciding one ("pain",)
    brace_source: BraceSource = BraceSource.REPORTED  # "measured" beside a sensor's figure

    @property
    def age(self) -> int:
        return self.patient.age_on(self.today)

    @property
    def pain_trend(self) -> Trend:
        return pain_trend(
            self.pain_baseline,
            self.pain_recent,
            improved=self.pain_improved,
            worsened=self.pain_worsened,
            shortfall=self.pain_shortfall,
        )

    @property
    def caveat(self) -> str:
        """Beside the badge: "pain: not enough data", or ""."""
        return badge_caveat(self.thin)

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
        pain = snap.details.get("pain", {})
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
            pain_improved=pain.get("improved", False),
            pain_worsened=pain.get("worsened", False),
            pain_shortfall=pain.get("shortfall", ""),
            thin=tuple(snap.details.get("thin", ())),
            brace_source=BraceSource(snap.details.get("brace_source", BraceSource.REPORTED)),
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
    """The stored columns for one live assessment (without the validity bookkeeping: the stale
    mark, the rules' format and the generation are `tracker.services.stored_assessment`'s)."""
    base, now = assessed.pain_baseline, assessed.pain_recent
    pain = assessed.assessment.pain
    return {
        "computed_for": assessed.today,
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
        "details": {
            "reason": assessed.deciding_reason,
            "function": _function(assessed),
            "pain": {
                "improved": pain.improved,
                "worsened": pain.worsened,
                "shortfall": pain.shortfall,
            },
            "thin": list(assessed.assessment.thin),
            "brace_source": assessed.assessment.brace_source.value,
        },
    }


_NAME = Lower(Concat("patient__user__first_name", Value(" "), "patient__user__last_name"))

# Each sort of the dashboard on the stored columns; the patient's id last, so pages are stable.
ORDERINGS = {
    "assessment": ["priority", _NAME, "patient_id"],
    "name": [Lower("patient__user__last_name"), Lower("patient__user__first_name"), "patient_id"],
    "checkin": [F("days_since_checkin").desc(nulls_first=True), _NAME, "patient_id"],
    "pain": [F("pain_rise").desc(nulls_last=True), _NAME, "patient_id"],
    "care": [F("weeks_of_care").desc(), _NAME, "patient_id"],
}
