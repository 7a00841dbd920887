"""What the rules judge besides the measures, worked out once from the input: time in care,
logging cadence, adherence, leg symptoms and the slip (docs/assessment.md)."""

import datetime as dt
from dataclasses import dataclass

from tracker.rules.assessment.inputs import (
    EPS,
    AssessmentInput,
    brace_source_text,
    pct,
    weeks_text,
)
from tracker.rules.assessment.measures import (
    MeasureChange,
    odi_change,
    pain_change,
    psfs_change,
)
from tracker.rules.slip import SlipFinding, assess_slip
from tracker.rules.thresholds import Thresholds


def _radicular_sentences(data: AssessmentInput, t: Thresholds) -> tuple[list[str], list[str]]:
    """(worsening leg weakness or numbness, everything said about radicular symptoms)."""
    window = t.radicular_window_days
    recent_start = data.today - dt.timedelta(days=window - 1)
    prior_start = recent_start - dt.timedelta(days=window)
    recent = [d for d in data.radicular if recent_start <= d.day <= data.today]
    prior = [d for d in data.radicular if prior_start <= d.day < recent_start]
    if not data.radicular:
        return [], ["no leg symptoms recorded"]
    if len(recent) < t.min_window_entries or len(prior) < t.min_window_entries:
        return [], [
            f"leg symptoms cannot be compared yet ({len(recent)} check-ins in the last "
            f"{window} days, {len(prior)} in the {window} before; {t.min_window_entries} "
            f"needed in each)"
        ]
    worsening, said = [], []
    for attr, name, counts in (
        ("leg_weakness", "leg weakness", True),
        ("numbness", "leg numbness or tingling", True),
        ("pain_below_knee", "pain below the knee", False),
    ):
        n_recent = sum(getattr(d, attr) for d in recent)
        n_prior = sum(getattr(d, attr) for d in prior)
        rise = (n_recent / len(recent) - n_prior / len(prior)) * 100
        text = (
            f"{name} on {n_recent} of {len(recent)} logged days in the last {window} days vs "
            f"{n_prior} of {len(prior)} in the {window} before"
        )
        if rise >= t.radicular_worsening_percent - EPS:
            text += f" (up {rise:.0f} percentage points, past {t.radicular_worsening_percent:g})"
            if counts:
                worsening.append(text)
            else:
                # ../shared/clinical.md: radiating pain alone is not a referral criterion, but
                # it weighs toward review, so it is said even though it decides nothing.
                text += ": worth a review, not a referral criterion on its own"
        said.append(text)
    return worsening, said


def _adherence(data: AssessmentInput, t: Thresholds) -> tuple[str | None, list[str], list[str]]:
    """(None if nothing prescribed else a summary, low parts, all parts)."""
    parts, low = [], []
    for name, value in (("brace", data.brace_adherence), ("exercises", data.exercise_adherence)):
        if value is None:
            continue
        text = f"{name} {pct(value)}"
        if name == "brace":
            text += brace_source_text(data.brace_measured_days, data.brace_reported_days)
        parts.append(text)
        if value * 100 < t.fair_adherence_percent - EPS:
            low.append(text)
    if not parts:
        return None, [], []
    return ", ".join(parts), low, parts


@dataclass(frozen=True)
class Findings:
    """Everything the rules weigh, so each rule reads the same facts."""

    days: int  # of conservative care
    care: str  # the same in words: "10 weeks 2 days"
    pain: MeasureChange
    psfs: MeasureChange
    odi: MeasureChange
    improved: list[MeasureChange]
    worsened: list[MeasureChange]
    compared: list[MeasureChange]
    measure_text: str  # every measure's sentence
    adherence: str | None  # None: no brace or exercises prescribed
    low_adherence: list[str]
    slip: SlipFinding
    radicular_worse: list[str]
    radicular_said: list[str]
    started: dt.date | None  # logging started
    per_week: float  # check-ins a week since then
    # "Too early" sits last, so any finding above it decides (improving at 4 weeks is improving).
    # But the two rules that conclude from the *absence* of change (failed trial, plateau) need
    # enough logging to trust that absence, so sparse logging holds them back.
    too_sparse: bool


def _logging_cadence(data: AssessmentInput) -> tuple[dt.date | None, float]:
    """(the day logging started, check-ins a week since then)."""
    checkin_days = {d.day for d in data.pain}
    checkins = data.checkins if data.checkins is not None else len(checkin_days)
    started = data.logging_started or (min(checkin_days) if checkin_days else None)
    span = (data.today - started).days + 1 if started else 0
    return started, checkins * 7 / span if span > 0 else 0.0


def findings(data: AssessmentInput, t: Thresholds) -> Findings:
    """The facts of one patient's input, judged against the clinic's thresholds."""
    days = (data.today - data.care_started).days
    pain, psfs, odi = pain_change(data, t), psfs_change(data, t), odi_change(data, t)
    measures = (pain, psfs, odi)
    adherence, low_adherence, _ = _adherence(data, t)
    radicular_worse, radicular_said = _radicular_sentences(data, t)
    started, per_week = _logging_cadence(data)
    return Findings(
        days=days,
        care=weeks_text(days),
        pain=pain,
        psfs=psfs,
        odi=odi,
        improved=[m for m in measures if m.improved],
        worsened=[m for m in measures if m.worsened],
        compared=[m for m in measures if m.compared],
        measure_text=" ".join(m.sentence for m in measures),
        adherence=adherence,
        low_adherence=low_adherence,
        slip=assess_slip(data.imaging, t),
        radicular_worse=radicular_worse,
        radicular_said=radicular_said,
        started=started,
        per_week=per_week,
        too_sparse=per_week < t.min_checkins_per_week - EPS,
    )
