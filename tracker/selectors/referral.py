"""The referral letter's own reads: the key figures a surgeon compares (baseline against now),
the reasons in the letter's words, and who refers. The summary's data comes from
`selectors/progress.py` (`referral_summary`); this module only arranges it for the letter."""

import datetime as dt
from dataclasses import dataclass

from rehab.adherence import AdherenceSummary
from tracker.models import ImagingStudy, Patient, User
from tracker.rules.assessment import BraceSource, MeasureChange
from tracker.rules.letter import letter_date, letter_reasons
from tracker.rules.slip import ROMAN, StudyFlags
from tracker.selectors.assessment import PatientAssessment
from tracker.selectors.progress import ReferralSummary
from tracker.templatetags.dashboard import pct_down


@dataclass(frozen=True)
class KeyFigure:
    measure: str
    baseline: str
    now: str
    change: str
    important: bool = False  # an important change (or a red flag): printed in bold


def _num(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def _measure_change(change: MeasureChange) -> tuple[str, bool]:
    if not change.compared:
        return "not enough data to compare", False
    rise = change.latest - change.baseline
    size = f"{'up' if rise > 0 else 'down'} {abs(rise):.1f}" if abs(rise) >= 0.05 else "unchanged"
    if change.improved:
        return f"{size}: important improvement", True
    if change.worsened:
        return f"{size}: important worsening", True
    return f"{size}: no important change", False


def slip_reading(study: ImagingStudy) -> str:
    """ "32.5% slip, Meyerding grade II" (the grade said once, in Roman numerals)."""
    parts = []
    if study.slip_percent is not None:
        percent = float(study.slip_percent)
        parts.append(f"{percent:g}% slip" if percent else "no slip")
    if study.slip_grade:
        parts.append(f"Meyerding grade {ROMAN[study.slip_grade]}")
    return ", ".join(parts) or "slip not measured"


def _adherence(label: str, recent: float | None, whole: float | None, days: int) -> KeyFigure:
    return KeyFigure(
        label,
        f"whole programme {pct_down(whole)}",
        f"last {days} days {pct_down(recent)}",
        "",
    )


def _pain_rows(assessed: PatientAssessment) -> list[KeyFigure]:
    a = assessed.assessment
    days = assessed.thresholds.recent_days
    change, important = _measure_change(a.pain)
    rows = [
        KeyFigure(
            f"Pain now, 0-10 ({days}-day mean)",
            _num(a.pain.baseline),
            _num(a.pain.latest),
            change,
            important,
        )
    ]
    if a.pain_worst_baseline is not None or a.pain_worst_recent is not None:
        rows.append(
            KeyFigure(
                f"Worst pain, 0-10 ({days}-day mean)",
                _num(a.pain_worst_baseline),
                _num(a.pain_worst_recent),
                "",
            )
        )
    return rows


def _score_rows(summary: ReferralSummary) -> list[KeyFigure]:
    rows = []
    for trajectory in summary.scores:
        series = trajectory.series
        first, last = series.baseline or series.points[0], series.latest
        change, important = "only one score", False
        if last is not first and last.change:
            size = last.change.improvement
            size_text = f"{size:+.1f}" if abs(size) >= 0.05 else "unchanged"
            change = f"{size_text}: {last.change.label.lower()}"
            important = last.change.improved or last.change.worsened
        rows.append(
            KeyFigure(
                series.instrument.name,
                f"{first.score:.1f} ({letter_date(first.day)})",
                f"{last.score:.1f} ({letter_date(last.day)})",
                change,
                important,
            )
        )
    return rows


def _imaging_row(summary: ReferralSummary) -> KeyFigure | None:
    if not summary.imaging:
        return None
    latest, first = summary.imaging[0], summary.imaging[-1]
    notes = [
        *(
            [f"grew {latest.flags.change_points:g} points"]
            if latest.flags.grown and latest.flags.change_points
            else []
        ),
        *(["high grade"] if latest.flags.high_grade else []),
    ]
    return KeyFigure(
        "Slip on imaging",
        f"{slip_reading(first.study)} ({letter_date(first.study.taken_on)})",
        f"{slip_reading(latest.study)} ({letter_date(latest.study.taken_on)})",
        "; ".join(notes) or ("one study" if latest is first else "no important change"),
        bool(notes),
    )


def _red_flag_row(summary: ReferralSummary) -> KeyFigure:
    alerts = summary.alerts
    if not alerts:
        return KeyFigure("Red flags reported", "—", "none", "")
    still_open = sum(1 for a in alerts if a.is_open)
    return KeyFigure(
        "Red flags reported",
        f"{len(alerts)} in total",
        f"latest {letter_date(alerts[0].day)}",
        f"{still_open} not yet reviewed" if still_open else "all reviewed by the care team",
        True,
    )


def key_figures(assessed: PatientAssessment, summary: ReferralSummary) -> list[KeyFigure]:
    """Baseline against now for every measure the referral criteria weigh."""
    adherence: AdherenceSummary = assessed.adherence
    days = assessed.thresholds.adherence_window_days
    imaging = _imaging_row(summary)
    source = assessed.assessment.brace_source
    brace = "Brace wear" if source == BraceSource.REPORTED else f"Brace wear ({source.label})"
    return [
        *_pain_rows(assessed),
        _adherence(brace, adherence.brace, summary.adherence_all.brace, days),
        _adherence("Exercise sessions", adherence.exercise, summary.adherence_all.exercise, days),
        *_score_rows(summary),
        *([imaging] if imaging else []),
        _red_flag_row(summary),
    ]


@dataclass(frozen=True)
class ReferringClinician:
    name: str
    role: str
    on: dt.date


def referring_clinician(patient: Patient, user: User, on: dt.date) -> ReferringClinician:
    """Who prepares the letter: the clinician printing it, and their part in the patient's care."""
    role = (
        "Treating clinician" if patient.treating_clinician_id == user.pk else "Care team clinician"
    )
    return ReferringClinician(str(user), role, on)


@dataclass(frozen=True)
class LetterImaging:
    study: ImagingStudy
    flags: StudyFlags
    reading: str


@dataclass(frozen=True)
class ReferralLetter:
    reasons: list[str]
    figures: list[KeyFigure]
    referrer: ReferringClinician
    imaging: list[LetterImaging]
    enrolment_grade: str  # "Meyerding grade II", or empty when none was recorded


def referral_letter(
    patient: Patient, assessed: PatientAssessment, summary: ReferralSummary, user: User
) -> ReferralLetter:
    return ReferralLetter(
        reasons=letter_reasons(assessed.assessment),
        figures=key_figures(assessed, summary),
        referrer=referring_clinician(patient, user, assessed.today),
        imaging=[LetterImaging(r.study, r.flags, slip_reading(r.study)) for r in summary.imaging],
        enrolment_grade=f"Meyerding grade {ROMAN[patient.slip_grade]}"
        if patient.slip_grade
        else "",
    )
