"""The trends page's selector: one patient over [start, end], every piece worked out once."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from rehab.adherence import AdherenceSummary
from rehab.models import BracePrescription, ProgrammeVersion
from rehab.selectors import adherence_for_patients, prescriptions_of
from rehab.selectors import timeline_events as rehab_timeline
from tracker.models import Patient, WarningSignAlert
from tracker.rules.thresholds import Thresholds
from tracker.selectors.assessment import PatientAssessment
from tracker.selectors.records import timeline_events as clinical_timeline
from tracker.selectors.trends.chart import chart_data, pain_lines
from tracker.selectors.trends.days import (
    Daily,
    activity_reports,
    brace_hours,
    brace_targets,
    days_between,
    logged_days,
    rolling_mean,
    weekly_activity_means,
)
from tracker.selectors.trends.diary import DiaryPage, diary_page_of
from tracker.selectors.trends.scores import ScoreChart, score_charts
from tracker.selectors.trends.tables import (
    Table,
    activity_table,
    adherence_table,
    brace_table,
    over_reporting,
    pain_table,
    weeks_of,
)
from tracker.utils.timeline import TimelineEvent

MAX_RANGE_DAYS = 3 * 366  # longer ranges are refused by the form: a chart of years is unreadable
DAILY_TABLE_MAX_DAYS = 12 * 7  # longer ranges: weekly rows in the tables under the charts


@dataclass(frozen=True)
class PatientTrends:
    patient: Patient
    start: dt.date
    end: dt.date
    thresholds: Thresholds
    assessment: PatientAssessment
    days: int  # in the range
    days_logged: int  # check-ins in the range
    weekly_tables: bool  # the daily charts' tables have a row a week, not a day
    pain_baseline: float | None
    improve_line: float | None
    worse_line: float | None
    pain_table: Table
    activity_table: Table
    brace_table: Table | None  # None: no brace prescribed or logged in the range
    # Reported against measured hours in words, over the days with both (issue 17); or None.
    brace_over_reporting: str | None
    adherence: AdherenceSummary
    adherence_table: Table
    scores: list[ScoreChart]
    events: list[TimelineEvent]
    diary: DiaryPage
    alerts: list[WarningSignAlert]
    chart: dict[str, Any]  # everything charts.js draws (json_script)


def _events(
    patient: Patient,
    start: dt.date,
    end: dt.date,
    assessed: PatientAssessment,
    braces: list[BracePrescription],
    programmes: list[ProgrammeVersion],
) -> list[TimelineEvent]:
    """The rehab and the clinical timeline of [start, end], by day."""
    return sorted(
        rehab_timeline(patient, start, end, braces=braces, programmes=programmes)
        + clinical_timeline(patient, start, end, studies=assessed.imaging_studies),
        key=lambda e: (e.day, e.kind),
    )


def _alerts(patient: Patient) -> list[WarningSignAlert]:
    alerts = list(
        WarningSignAlert.objects.filter(patient=patient)
        .select_related("acknowledged_by")
        .order_by("acknowledged_at", "-day")
    )
    # Open alerts first (a null sorts first on SQLite, last on PostgreSQL: do it here).
    alerts.sort(key=lambda a: (a.acknowledged_at is not None, -a.day.toordinal()))
    return alerts


def patient_trends(
    patient: Patient,
    start: dt.date,
    end: dt.date,
    assessed: PatientAssessment,
    *,
    diary_page: int = 1,
    prescriptions: tuple[list[ProgrammeVersion], list[BracePrescription]] | None = None,
) -> PatientTrends:
    """Charts, tables, diary page, alerts and events for [start, end] (both included).

    `prescriptions`: `rehab.selectors.prescriptions_of(patient)`, when the caller read it already
    (for the assessment): adherence, brace targets and the timeline share it."""
    t = assessed.thresholds
    days = days_between(start, end)
    weekly = len(days) > DAILY_TABLE_MAX_DAYS
    weeks = weeks_of(start, end)
    mondays = [monday for monday, _ in weeks]
    # The 7-day mean on the first days of the range needs the days just before it.
    logged = logged_days(patient, start - dt.timedelta(days=t.recent_days - 1), start, end)
    lines = pain_lines(assessed.assessment.pain.baseline, t)
    activity_means = weekly_activity_means(logged, mondays)
    hours, measured = brace_hours(patient, start, end, days)
    programmes, braces = prescriptions or prescriptions_of(patient)
    daily = Daily(
        start=start,
        end=end,
        days=days,
        pain_now=[logged.now.get(d) for d in days],
        pain_worst=[logged.worst.get(d) for d in days],
        mean7=rolling_mean(logged.now, days, t.recent_days, t.min_window_entries),
        hours=hours,
        targets=brace_targets(braces, days),
        measured=measured,
    )
    adherence = adherence_for_patients([patient], start, end, braces=braces, programmes=programmes)[
        patient.pk
    ]
    scores = score_charts(assessed, start, end)
    events = _events(patient, start, end, assessed, braces, programmes)
    return PatientTrends(
        patient=patient,
        start=start,
        end=end,
        thresholds=t,
        assessment=assessed,
        days=len(days),
        days_logged=len(logged.in_range),
        weekly_tables=weekly,
        pain_baseline=lines.baseline,
        improve_line=lines.improve,
        worse_line=lines.worse,
        pain_table=pain_table(daily, t, weekly, weeks),
        activity_table=activity_table(mondays, activity_means),
        brace_table=brace_table(daily, weekly, weeks),
        brace_over_reporting=over_reporting(daily, assessed.today),
        adherence=adherence,
        adherence_table=adherence_table(adherence),
        scores=scores,
        events=events,
        diary=diary_page_of(patient, logged.in_range, logged.activities, diary_page),
        alerts=_alerts(patient),
        chart=chart_data(
            daily,
            lines,
            mondays,
            activity_means,
            activity_reports(logged),
            adherence,
            scores,
            events,
            t,
        ),
    )
