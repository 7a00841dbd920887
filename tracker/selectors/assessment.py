"""The assessment for many patients at once: real data in, `assess()` out.

`patient_assessments(patients)` builds an `AssessmentInput` for every patient from the diary, rehab
adherence, outcome scores, open warning-sign alerts and imaging, and runs the pure rules
(`tracker.rules.assessment.assess`) with each clinic's thresholds. It runs a fixed number of
queries whatever the number of patients (docs/dashboard.md, "Query budget"):

1. clinic thresholds for every clinic involved;
2. diary aggregates per patient, counted in SQL: check-ins, first and last day logged;
3. the diary rows the rules need, and only those: each patient's first `baseline_days` entries
   (a window function, so the baseline mean is exact) and the entries of the last
   2 x `radicular_window_days` days (recent pain and the leg-symptom windows). So at most
   14 + 56 rows a patient with the default thresholds, however long they have logged;
4. adherence over the adherence window (`rehab.selectors.adherence_for_patients`: 4 queries for
   each distinct window, which is one window unless patients live in different time zones; the
   brace's hours are the sensor's where a day was measured, in the same query as the reported);
5. outcome scores (`score_series`: two queries, without the answers);
6. open warning-sign alerts (one query);
7. imaging (one query).

The pain means are computed in Python from the bounded rows rather than in SQL: the rules need
per-day values anyway (leg symptoms by day, the "4 check-ins in a window" rule), and a per-patient
window in SQL needs date arithmetic that SQLite and PostgreSQL spell differently.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Count, F, Max, Min, Q, Window
from django.db.models.functions import RowNumber

from rehab.adherence import AdherenceSummary
from rehab.models import BracePrescription, ProgrammeVersion
from rehab.selectors import adherence_for_patients
from tracker.models import (
    ClinicThresholds,
    DiaryEntry,
    ImagingStudy,
    PainReach,
    Patient,
    WarningSignAlert,
)
from tracker.rules.assessment import (
    Assessment,
    AssessmentInput,
    Category,
    MeasureChange,
    PainDay,
    RadicularDay,
    Trend,
    WarningSign,
    assess,
    measure_trend,
)
from tracker.rules.thresholds import DEFAULTS, Thresholds
from tracker.selectors.outcomes import ScorePoint, ScoreSeries, score_series
from tracker.selectors.records import slip_measurement

STALE_DAYS = 3  # "not logged for 3+ days" on the dashboard
FUNCTION_CODES = ("psfs", "odi")  # the function measures, in the order the dashboard prefers


def not_logged(today: dt.date, last_checkin: dt.date | None, enrolled_on: dt.date) -> bool:
    """Not logged for 3 or more days (never logged counts once 3 days have passed since
    enrolment)."""
    if last_checkin is None:
        return (today - enrolled_on).days >= STALE_DAYS
    return (today - last_checkin).days >= STALE_DAYS


@dataclass(frozen=True)
class PatientAssessment:
    """One patient on the dashboard: the assessment and the numbers beside it."""

    patient: Patient
    today: dt.date  # the patient's own today (or their discharge day)
    thresholds: Thresholds
    data: AssessmentInput
    assessment: Assessment
    adherence: AdherenceSummary
    scores: dict[str, ScoreSeries]
    open_alerts: list[WarningSignAlert]
    checkins: int
    last_checkin: dt.date | None
    # The imaging studies read for the rules (oldest first), for pages that list them too.
    imaging_studies: list[ImagingStudy] = field(default_factory=list)

    @property
    def category(self) -> Category:
        return self.assessment.category

    @property
    def deciding_reason(self) -> str:
        return self.assessment.reasons[0]

    @property
    def age(self) -> int:
        return self.patient.age_on(self.today)

    @property
    def weeks_of_care(self) -> int:
        return self.patient.weeks_of_care(self.today)

    @property
    def days_since_checkin(self) -> int | None:
        return None if self.last_checkin is None else (self.today - self.last_checkin).days

    @property
    def stale(self) -> bool:
        """Not logged for 3 or more days (never logged counts once care has started)."""
        return not_logged(self.today, self.last_checkin, self.patient.enrolled_on)

    @property
    def pain_baseline(self) -> float | None:
        return self.assessment.pain.baseline

    @property
    def pain_recent(self) -> float | None:
        return self.assessment.pain.latest

    @property
    def pain_trend(self) -> Trend:
        """The arrow, as the verdict reads pain (docs/assessment.md, "Arrows")."""
        return measure_trend(self.assessment.pain)

    @property
    def caveat(self) -> str:
        """Beside the badge: "pain: not enough data", or ""."""
        return self.assessment.caveat

    @property
    def function_point(self) -> ScorePoint | None:
        """The latest function score that has a change from baseline (PSFS, else ODI)."""
        for code in FUNCTION_CODES:
            series = self.scores.get(code)
            if series and series.latest and series.latest.change is not None:
                return series.latest
        for code in FUNCTION_CODES:
            series = self.scores.get(code)
            if series and series.latest:
                return series.latest
        return None

    @property
    def function_change(self) -> MeasureChange | None:
        """That score as the verdict reads it (the clinic's thresholds), so the flag beside it
        always agrees with the assessment."""
        point = self.function_point
        if point is None:
            return None
        change = getattr(self.assessment, point.response.instrument.code, None)
        return change if change is not None and change.compared else None


def clinic_thresholds(clinic_ids: Iterable[int]) -> dict[int, Thresholds]:
    """Each clinic's thresholds (its overrides over the defaults), in one query."""
    ids = set(clinic_ids)
    found = {
        row.clinic_id: DEFAULTS.with_overrides(row.overrides())
        for row in ClinicThresholds.objects.filter(clinic_id__in=ids)
    }
    return {pk: found.get(pk, DEFAULTS) for pk in ids}


def assessment_day(patient: Patient) -> dt.date:
    """The day the assessment is made for: today, or the discharge day for a discharged patient."""
    return day_of_assessment(patient.local_today(), patient.discharged_on)


def day_of_assessment(today: dt.date, discharged_on: dt.date | None) -> dt.date:
    return min(today, discharged_on) if discharged_on else today


def _diary_rows(
    patients: Sequence[Patient], today: dict[int, dt.date], t: dict[int, Thresholds]
) -> dict[int, list[tuple]]:
    """The bounded rows: first `baseline_days` entries and the last 2 x leg-symptom window."""
    ids = [p.pk for p in patients]
    first_n = max(t[p.pk].baseline_days for p in patients)
    recent_from = min(
        today[p.pk] - dt.timedelta(days=2 * t[p.pk].radicular_window_days - 1) for p in patients
    )
    # One entry a day, so a patient's last `recent_n` entries hold every day of their recent
    # windows; the cap keeps the rows bounded even when one patient's window (a discharged
    # patient's, another time zone's) reaches far back for everyone.
    recent_n = max(2 * t[p.pk].radicular_window_days for p in patients)
    rows = (
        DiaryEntry.objects.filter(patient_id__in=ids)
        .annotate(
            nth=Window(RowNumber(), partition_by=[F("patient_id")], order_by=F("day").asc()),
            nth_back=Window(RowNumber(), partition_by=[F("patient_id")], order_by=F("day").desc()),
        )
        .filter(Q(nth__lte=first_n) | Q(day__gte=recent_from, nth_back__lte=recent_n))
        .values_list(
            "patient_id",
            "day",
            "pain_now",
            "pain_worst",
            "leg_weakness",
            "leg_numbness",
            "pain_reach",
        )
        .order_by("patient_id", "day")
    )
    grouped: dict[int, list[tuple]] = defaultdict(list)
    for row in rows:
        grouped[row[0]].append(row[1:])
    return grouped


def _diary_counts(ids: list[int]) -> dict[int, tuple[int, dt.date, dt.date]]:
    """patient id -> (check-ins, first day logged, last day logged), counted in SQL."""
    return {
        pk: (n, first, last)
        for pk, n, first, last in DiaryEntry.objects.filter(patient_id__in=ids)
        .values("patient_id")
        .annotate(n=Count("id"), first=Min("day"), last=Max("day"))
        .values_list("patient_id", "n", "first", "last")
        .order_by()
    }


def _window_adherence(
    patients: list[Patient],
    today: dict[int, dt.date],
    t: dict[int, Thresholds],
    braces: list[BracePrescription] | None,
    programmes: list[ProgrammeVersion] | None,
) -> dict[int, AdherenceSummary]:
    """Adherence over each patient's adherence window, which ends on their own day; patients
    sharing a window share its queries."""
    windows: dict[tuple[dt.date, dt.date], list[Patient]] = defaultdict(list)
    for p in patients:
        end = today[p.pk]
        windows[end - dt.timedelta(days=t[p.pk].adherence_window_days - 1), end].append(p)
    adherence: dict[int, AdherenceSummary] = {}
    for (start, end), group in windows.items():
        adherence.update(
            adherence_for_patients(group, start, end, braces=braces, programmes=programmes)
        )
    return adherence


def _open_alerts(ids: list[int]) -> dict[int, list[WarningSignAlert]]:
    alerts: dict[int, list[WarningSignAlert]] = defaultdict(list)
    for alert in WarningSignAlert.objects.filter(patient_id__in=ids, acknowledged_at__isnull=True):
        alerts[alert.patient_id].append(alert)
    return alerts


def _imaging(ids: list[int]) -> dict[int, list[ImagingStudy]]:
    """patient id -> imaging studies, oldest first."""
    studies: dict[int, list[ImagingStudy]] = defaultdict(list)
    for study in ImagingStudy.objects.filter(patient_id__in=ids).order_by(
        "patient_id", "taken_on", "created_at"
    ):
        studies[study.patient_id].append(study)
    return studies


def _assessment_input(
    patient: Patient,
    day: dt.date,
    checkins: tuple[int, dt.date | None],
    rows: list[tuple],
    summary: AdherenceSummary,
    series: dict[str, ScoreSeries],
    alerts: list[WarningSignAlert],
    studies: list[ImagingStudy],
) -> AssessmentInput:
    """One patient's rows and figures as the rules' plain values (`checkins`: the number and
    the first day logged)."""
    n, first = checkins
    own = [r for r in rows if r[0] <= day]
    return AssessmentInput(
        today=day,
        care_started=patient.conservative_care_started,
        pain=[PainDay(d, now, worst) for d, now, worst, *_ in own],
        checkins=n,
        logging_started=first,
        brace_adherence=summary.brace,
        brace_measured_days=summary.brace_measured_days,
        brace_reported_days=summary.brace_reported_days,
        exercise_adherence=summary.exercise,
        psfs_baseline=_score(series, "psfs", baseline=True),
        psfs_latest=_score(series, "psfs", baseline=False),
        odi_baseline=_score(series, "odi", baseline=True),
        odi_latest=_score(series, "odi", baseline=False),
        warning_signs=[
            WarningSign(a.day, "; ".join(str(s.label) for s in a.signs)) for a in alerts
        ],
        imaging=[slip_measurement(study) for study in studies],
        radicular=[
            # A symptom not answered (null, issue 14) counts as not reported, as unticked did.
            RadicularDay(d, bool(weak), bool(numb), reach == PainReach.BELOW_KNEE)
            for d, _, _, weak, numb, reach in own
        ],
    )


def patient_assessments(
    patients: Iterable[Patient],
    *,
    braces: list[BracePrescription] | None = None,
    programmes: list[ProgrammeVersion] | None = None,
) -> dict[int, PatientAssessment]:
    """patient id -> the assessment and its figures; a fixed number of queries for any list.

    The patients should come with `clinic` selected (their time zone and thresholds need it).
    `braces`, `programmes`: these patients' prescriptions already read (`prescriptions_of`),
    which saves adherence two queries.
    """
    patients = list(patients)
    if not patients:
        return {}
    ids = [p.pk for p in patients]
    thresholds = clinic_thresholds(p.clinic_id for p in patients)
    t = {p.pk: thresholds[p.clinic_id] for p in patients}
    today = {p.pk: assessment_day(p) for p in patients}
    counts = _diary_counts(ids)
    rows = _diary_rows(patients, today, t)
    adherence = _window_adherence(patients, today, t, braces, programmes)
    scores = score_series(patients, answers=False)
    alerts = _open_alerts(ids)
    studies = _imaging(ids)

    result = {}
    for p in patients:
        n, first, last = counts.get(p.pk, (0, None, None))
        data = _assessment_input(
            p,
            today[p.pk],
            (n, first),
            rows.get(p.pk, []),
            adherence[p.pk],
            scores.get(p.pk, {}),
            alerts.get(p.pk, []),
            studies.get(p.pk, []),
        )
        result[p.pk] = PatientAssessment(
            patient=p,
            today=today[p.pk],
            thresholds=t[p.pk],
            data=data,
            assessment=assess(data, t[p.pk]),
            adherence=adherence[p.pk],
            scores=scores.get(p.pk, {}),
            open_alerts=alerts.get(p.pk, []),
            checkins=n,
            last_checkin=last,
            imaging_studies=studies.get(p.pk, []),
        )
    return result


def _score(series: dict[str, ScoreSeries], code: str, *, baseline: bool) -> float | None:
    found = series.get(code)
    if found is None:
        return None
    point = found.baseline if baseline else found.latest
    if point is None or (not baseline and point.is_baseline):
        return None
    return float(point.score)


def patient_assessment(
    patient: Patient,
    *,
    braces: list[BracePrescription] | None = None,
    programmes: list[ProgrammeVersion] | None = None,
) -> PatientAssessment:
    """One patient's assessment: the same queries as for a list of one."""
    return patient_assessments([patient], braces=braces, programmes=programmes)[patient.pk]
