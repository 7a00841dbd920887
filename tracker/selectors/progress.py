"""Reads for the referral summary (a surgeon's two-minute read) and the patient's own progress
page. Weekly pain is averaged in the database; everything else reuses the assessment's data."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Avg, Count, F
from django.db.models.functions import TruncWeek

from rehab.adherence import AdherenceSummary, week_start
from rehab.models import ActivityStagePrescription, BracePrescription, ProgrammeItem
from rehab.selectors import adherence_for_patients, brace_on, programme_items_on, stage_on
from rehab.selectors import timeline_events as rehab_timeline
from tracker.models import DiaryEntry, Patient, WarningSignAlert
from tracker.rules.assessment import MeasureChange
from tracker.selectors.assessment import PatientAssessment
from tracker.selectors.outcomes import ScoreSeries
from tracker.selectors.records import ImagingRow, imaging_rows
from tracker.selectors.records import timeline_events as clinical_timeline
from tracker.utils.svg_chart import SvgChart, line_chart
from tracker.utils.timeline import TimelineEvent


@dataclass(frozen=True)
class PainWeek:
    week: dt.date  # the Monday
    now: float | None
    worst: float | None
    checkins: int


def weekly_pain(patient: Patient, start: dt.date, end: dt.date) -> list[PainWeek]:
    """Mean pain now and worst pain for every week of [start, end], empty weeks included."""
    found = {
        (week.date() if isinstance(week, dt.datetime) else week): (now, worst, n)
        for week, now, worst, n in DiaryEntry.objects.filter(
            patient=patient, day__range=(start, end)
        )
        .annotate(week=TruncWeek("day"))
        .values("week")
        .annotate(now=Avg("pain_now"), worst=Avg("pain_worst"), n=Count("id"))
        .values_list("week", "now", "worst", "n")
        .order_by("week")
    }
    weeks, monday = [], week_start(start)
    while monday <= end:
        now, worst, n = found.get(monday, (None, None, 0))
        weeks.append(
            PainWeek(
                monday,
                None if now is None else round(float(now), 1),
                None if worst is None else round(float(worst), 1),
                n,
            )
        )
        monday += dt.timedelta(weeks=1)
    return weeks


def pain_svg(weeks: list[PainWeek], *, worst: bool = True) -> SvgChart:
    series = [("Pain now (weekly mean)", "line-a", [w.now for w in weeks])]
    if worst:
        series.append(("Worst pain (weekly mean)", "line-b", [w.worst for w in weeks]))
    return line_chart(
        [f"{w.week:%-d %b %Y}" for w in weeks], series, y_min=0, y_max=10, ticks=(0, 5, 10)
    )


def score_svg(series: ScoreSeries) -> SvgChart:
    instrument = series.instrument
    low, high = instrument.score_min, instrument.score_max
    return line_chart(
        [f"{p.day:%-d %b %Y}" for p in series.points],
        [(instrument.short_name, "line-a", [p.score for p in series.points])],
        y_min=low,
        y_max=high,
        ticks=(low, (low + high) / 2, high),
    )


@dataclass(frozen=True)
class ScoreTrajectory:
    series: ScoreSeries
    chart: SvgChart


@dataclass(frozen=True)
class ReferralSummary:
    imaging: list[ImagingRow]
    programme: list[ProgrammeItem]
    brace: BracePrescription | None
    stage: ActivityStagePrescription | None
    braces: list[BracePrescription]
    adherence_all: AdherenceSummary
    pain_weeks: list[PainWeek]
    pain_chart: SvgChart
    scores: list[ScoreTrajectory]
    alerts: list[WarningSignAlert]
    events: list[TimelineEvent]


def referral_summary(patient: Patient, assessed: PatientAssessment) -> ReferralSummary:
    today, started = assessed.today, patient.conservative_care_started
    first = min(started, today)
    weeks = weekly_pain(patient, first, today)
    return ReferralSummary(
        imaging=imaging_rows(patient, assessed.thresholds),
        programme=programme_items_on(patient, today),
        brace=brace_on(patient, today),
        stage=stage_on(patient, today),
        braces=list(
            BracePrescription.objects.filter(patient=patient)
            .exclude(valid_to__isnull=False, valid_to__lte=F("valid_from"))
            .order_by("valid_from")
        ),
        adherence_all=adherence_for_patients([patient], first, today)[patient.pk],
        pain_weeks=weeks,
        pain_chart=pain_svg(weeks),
        scores=[
            ScoreTrajectory(s, score_svg(s))
            for s in sorted(assessed.scores.values(), key=lambda s: s.instrument.name)
            if s.points
        ],
        alerts=list(
            WarningSignAlert.objects.filter(patient=patient)
            .select_related("acknowledged_by")
            .order_by("-day")
        ),
        events=sorted(
            rehab_timeline(patient, first, today) + clinical_timeline(patient, first, today),
            key=lambda e: (e.day, e.kind),
        ),
    )


def _about(start: float, now: float) -> tuple[str, str]:
    """Both means in whole points, or to one decimal where whole points would hide the change."""
    whole = f"{start:.0f}", f"{now:.0f}"
    if whole[0] != whole[1] or abs(start - now) < 0.05:
        return whole
    return f"{round(start, 1):g}", f"{round(now, 1):g}"


@dataclass(frozen=True)
class Progress:
    pain_weeks: list[PainWeek]
    pain_chart: SvgChart
    # The verdict's own readings (the clinic's thresholds), so the patient is told "better" or
    # "higher" exactly when the clinician's assessment calls the change important, never at a
    # smaller change a clinician would call noise.
    pain: MeasureChange
    recent_days: int
    recent_checkins: int  # check-ins in the last `recent_days` days
    min_checkins: int  # the rules' minimum in a window (min_window_entries)
    psfs: ScoreSeries | None
    psfs_change: MeasureChange
    adherence: AdherenceSummary
    adherence_days: int  # the clinic's adherence window, so the heading says what was counted

    @property
    def pain_message(self) -> str:
        pain = self.pain
        if pain.thin and self.recent_checkins < self.min_checkins:
            return (
                f"You checked in on {self.recent_checkins} of the last {self.recent_days} days. "
                f"To show how your pain is changing we need at least {self.min_checkins} "
                f"check-ins in {self.recent_days} days. Check in most days and it will show here."
            )
        if pain.thin:
            return (
                "We are still learning your usual pain level from your first check-ins. Keep "
                "checking in each day; soon we can show you how your pain is changing."
            )
        if not pain.compared:
            return (
                "Keep checking in each day. After about three weeks we can show you how your "
                "pain is changing."
            )
        start, now = _about(pain.baseline, pain.latest)
        then_and_now = (
            f"about {start} out of 10 when you started, about {now} out of 10 over the last "
            f"{self.recent_days} days"
        )
        if pain.improved:
            return f"Your pain has gone down: {then_and_now}. Well done for keeping going."
        if pain.worsened:
            return (
                f"Your pain is higher than when you started: {then_and_now}. Your care team can "
                "see this. Tell them how you are doing at your next visit."
            )
        return (
            f"Your pain has not changed much since you started: {then_and_now}. Getting better "
            "often takes a few months. Keep going with your plan."
        )

    @property
    def psfs_message(self) -> str:
        """Said after the PSFS scores, once there is a follow-up to compare with the first."""
        if self.psfs_change.improved:
            return "That is a big step forward. Great work!"
        if self.psfs_change.worsened:
            return (
                "That is harder than before. Your care team can see this and will talk it "
                "through with you."
            )
        return "Small changes add up. Keep going."


def patient_progress(patient: Patient, assessed: PatientAssessment) -> Progress:
    today = assessed.today
    first = min(patient.conservative_care_started, today)
    weeks = weekly_pain(patient, first, today)
    t = assessed.thresholds
    recent_start = today - dt.timedelta(days=t.recent_days - 1)
    return Progress(
        pain_weeks=weeks,
        pain_chart=pain_svg(weeks, worst=False),
        pain=assessed.assessment.pain,
        recent_days=t.recent_days,
        recent_checkins=sum(1 for d in assessed.data.pain if recent_start <= d.day <= today),
        min_checkins=t.min_window_entries,
        psfs=assessed.scores.get("psfs"),
        psfs_change=assessed.assessment.psfs,
        adherence=assessed.adherence,
        adherence_days=t.adherence_window_days,
    )
