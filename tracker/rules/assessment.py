"""Is conservative management working? One patient's data in, a category and its reasons out.

A pure function over plain values (no ORM, no request), so it reads like the rules in
docs/assessment.md and is tested table-driven. The rules are tried in the priority order of
issue 6; the first that fires decides. Every rule leaves a reason, fired or not, so the clinician
sees the whole reasoning with the deciding reason first.
"""

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from statistics import fmean

from django.db.models import TextChoices

from tracker.rules.slip import SlipFinding, SlipMeasurement, assess_slip
from tracker.rules.thresholds import DEFAULTS, Thresholds

# Means of whole-number scores land exactly on thresholds ("down 2.0"); floating point must not
# turn "exactly 2 points" into 1.9999999.
_EPS = 1e-9


class Category(TextChoices):
    """In priority order: the first whose rule fires decides."""

    URGENT = "urgent", "Urgent"
    REFERRAL = "referral", "Meets referral criteria"
    WORSENING = "worsening", "Worsening"
    IMPROVING = "improving", "Improving"
    NOT_FAIR_TRIAL = "not_fair_trial", "Not a fair trial yet"
    PLATEAU = "plateau", "Plateau: review the plan"
    TOO_EARLY = "too_early", "Too early to judge"

    @property
    def priority(self) -> int:
        return list(Category).index(self)


@dataclass(frozen=True)
class PainDay:
    day: dt.date
    now: float  # pain now, 0-10
    worst: float | None = None  # worst pain in the last 24 h, 0-10


@dataclass(frozen=True)
class RadicularDay:
    """What the patient reported that day about symptoms in the leg."""

    day: dt.date
    leg_weakness: bool = False
    numbness: bool = False  # numbness or tingling in the leg
    pain_below_knee: bool = False


@dataclass(frozen=True)
class WarningSign:
    """A red flag the patient reported that no clinician has acknowledged yet."""

    day: dt.date
    label: str


@dataclass(frozen=True)
class AssessmentInput:
    today: dt.date
    care_started: dt.date
    pain: Sequence[PainDay] = ()
    checkins: int | None = None  # None: count the days in `pain`
    logging_started: dt.date | None = None  # None: the first day in `pain`
    # Fraction (0-1) of what was prescribed, over the adherence window; None: not prescribed.
    brace_adherence: float | None = None
    exercise_adherence: float | None = None
    psfs_baseline: float | None = None  # mean of the activities, 0 (unable) - 10 (as before)
    psfs_latest: float | None = None
    odi_baseline: float | None = None  # 0-100, higher is worse
    odi_latest: float | None = None
    warning_signs: Sequence[WarningSign] = ()
    imaging: Sequence[SlipMeasurement] = ()
    radicular: Sequence[RadicularDay] = ()


@dataclass(frozen=True)
class MeasureChange:
    """One outcome measure against the patient's own baseline."""

    name: str
    baseline: float | None
    latest: float | None
    improvement: float | None  # positive is better, whichever way the scale runs
    improved: bool
    worsened: bool
    sentence: str

    @property
    def compared(self) -> bool:
        return self.improvement is not None


@dataclass(frozen=True)
class Check:
    category: Category
    fired: bool
    reason: str


@dataclass(frozen=True)
class Assessment:
    category: Category
    reasons: list[str]  # the deciding reason first, then every other rule in priority order
    checks: list[Check]  # every rule, in priority order
    days_of_care: int
    checkins_per_week: float
    pain: MeasureChange
    psfs: MeasureChange
    odi: MeasureChange
    slip: SlipFinding
    pain_worst_baseline: float | None = None
    pain_worst_recent: float | None = None
    brace_adherence: float | None = None
    exercise_adherence: float | None = None
    radicular_worsening: list[str] = field(default_factory=list)

    @property
    def weeks_of_care(self) -> int:
        return self.days_of_care // 7


def _fmt(value: float) -> str:
    return f"{value:.1f}"


def _pct(fraction: float) -> str:
    # Rounded down: 69.8% shown as "70%" beside "below 70%" would contradict itself.
    return f"{math.floor(fraction * 100 + _EPS):.0f}%"


def _weeks(days: int) -> str:
    weeks, rest = divmod(max(days, 0), 7)
    text = f"{weeks} week{'s' if weeks != 1 else ''}"
    return text + (f" {rest} day{'s' if rest != 1 else ''}" if rest else "")


def _mean_in(
    days: Sequence[PainDay], start: dt.date, end: dt.date, attr: str
) -> tuple[float | None, int]:
    values = [getattr(d, attr) for d in days if start <= d.day <= end]
    values = [v for v in values if v is not None]
    return (fmean(values) if values else None), len(values)


def improvement_threshold(baseline: float, points: float, percent: float) -> float:
    """The smallest improvement that is important: `points`, or `percent` of the baseline."""
    # Ostelo 2008 gives "2 points or 30% of baseline": either is an important improvement, so
    # the smaller bar applies. 30% lets a patient with a low baseline count (4 -> 2.8 is 30%).
    if baseline <= 0:
        return points
    return min(points, baseline * percent / 100)


def _change_sentence(
    label: str,
    baseline: float,
    latest: float,
    improvement: float,
    better_bar: float,
    worse_bar: float,
    higher_is_better: bool,
    bar_text: str,
    worse_text: str,
) -> str:
    rise = latest - baseline
    direction = "up" if rise > 0 else "down" if rise < 0 else "unchanged"
    head = f"{label} {_fmt(latest)} vs baseline {_fmt(baseline)}: {direction}"
    if direction != "unchanged":
        head += f" {_fmt(abs(rise))}"
        if not higher_is_better and baseline > 0:
            head += f" ({abs(rise) / baseline * 100:.0f}%)"
    if improvement >= better_bar - _EPS and improvement > 0:
        return f"{head}, past the {bar_text} important improvement"
    if -improvement >= worse_bar - _EPS:
        return f"{head}, past the {worse_text} important worsening"
    if improvement > 0:
        return f"{head}, short of the {bar_text} important improvement"
    if improvement < 0:
        return f"{head}, short of the {worse_text} important worsening"
    return head


def pain_change(data: AssessmentInput, t: Thresholds = DEFAULTS) -> MeasureChange:
    """Mean pain now over the recent window against the baseline window (first days logged)."""
    label = f"{t.recent_days}-day mean pain"
    if not data.pain:
        return MeasureChange(label, None, None, None, False, False, "No pain scores logged yet.")
    first_day = min(d.day for d in data.pain)
    baseline_end = first_day + dt.timedelta(days=t.baseline_days - 1)
    recent_start = data.today - dt.timedelta(days=t.recent_days - 1)
    baseline, n_base = _mean_in(data.pain, first_day, baseline_end, "now")
    recent, n_recent = _mean_in(data.pain, recent_start, data.today, "now")
    missing = None
    if recent_start <= baseline_end:
        # Overlapping windows would compare the baseline partly with itself.
        ready = baseline_end + dt.timedelta(days=t.recent_days)
        missing = (
            f"Pain: the baseline is the first {t.baseline_days} days of logging (from "
            f"{first_day.isoformat()}); change can be judged from {ready.isoformat()}."
        )
    elif n_base < t.min_window_entries:
        missing = (
            f"Pain: only {n_base} check-in{'s' if n_base != 1 else ''} in the "
            f"{t.baseline_days}-day baseline; {t.min_window_entries} are needed for a baseline."
        )
    elif n_recent < t.min_window_entries:
        missing = (
            f"Pain: only {n_recent} check-in{'s' if n_recent != 1 else ''} in the last "
            f"{t.recent_days} days; {t.min_window_entries} are needed to compare with baseline."
        )
    if missing:
        return MeasureChange(label, baseline, recent, None, False, False, missing)
    improvement = baseline - recent
    better_bar = improvement_threshold(baseline, t.pain_important_points, t.pain_important_percent)
    bar_text = f"{t.pain_important_points:g}-point or {t.pain_important_percent:g}%"
    if better_bar < t.pain_important_points:
        bar_text += f" (here {_fmt(better_bar)})"
    sentence = _change_sentence(
        label,
        baseline,
        recent,
        improvement,
        better_bar,
        t.pain_important_points,
        higher_is_better=False,
        bar_text=bar_text,
        worse_text=f"{t.pain_important_points:g}-point",
    )
    return MeasureChange(
        label,
        baseline,
        recent,
        improvement,
        improvement >= better_bar - _EPS and improvement > 0,
        -improvement >= t.pain_important_points - _EPS,
        sentence + ".",
    )


def psfs_change(data: AssessmentInput, t: Thresholds = DEFAULTS) -> MeasureChange:
    label = "PSFS mean"
    if data.psfs_baseline is None:
        return MeasureChange(label, None, None, None, False, False, "PSFS not recorded.")
    if data.psfs_latest is None:
        return MeasureChange(
            label, data.psfs_baseline, None, None, False, False, "PSFS: no follow-up score yet."
        )
    improvement = data.psfs_latest - data.psfs_baseline
    bar = t.psfs_important_points
    sentence = _change_sentence(
        label,
        data.psfs_baseline,
        data.psfs_latest,
        improvement,
        bar,
        bar,
        higher_is_better=True,
        bar_text=f"{bar:g}-point",
        worse_text=f"{bar:g}-point",
    )
    return MeasureChange(
        label,
        data.psfs_baseline,
        data.psfs_latest,
        improvement,
        improvement >= bar - _EPS,
        -improvement >= bar - _EPS,
        sentence + ".",
    )


def odi_change(data: AssessmentInput, t: Thresholds = DEFAULTS) -> MeasureChange:
    label = "ODI"
    if data.odi_baseline is None:
        return MeasureChange(label, None, None, None, False, False, "ODI not recorded.")
    if data.odi_latest is None:
        return MeasureChange(
            label, data.odi_baseline, None, None, False, False, "ODI: no follow-up score yet."
        )
    improvement = data.odi_baseline - data.odi_latest
    better_bar = improvement_threshold(
        data.odi_baseline, t.odi_important_points, t.odi_important_percent
    )
    bar_text = f"{t.odi_important_points:g}-point or {t.odi_important_percent:g}%"
    if better_bar < t.odi_important_points:
        bar_text += f" (here {_fmt(better_bar)})"
    sentence = _change_sentence(
        label,
        data.odi_baseline,
        data.odi_latest,
        improvement,
        better_bar,
        t.odi_important_points,
        higher_is_better=False,
        bar_text=bar_text,
        worse_text=f"{t.odi_important_points:g}-point",
    )
    return MeasureChange(
        label,
        data.odi_baseline,
        data.odi_latest,
        improvement,
        improvement >= better_bar - _EPS and improvement > 0,
        -improvement >= t.odi_important_points - _EPS,
        sentence + ".",
    )


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
        if rise >= t.radicular_worsening_percent - _EPS:
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
        text = f"{name} {_pct(value)}"
        parts.append(text)
        if value * 100 < t.fair_adherence_percent - _EPS:
            low.append(text)
    if not parts:
        return None, [], []
    return ", ".join(parts), low, parts


def assess(data: AssessmentInput, thresholds: Thresholds = DEFAULTS) -> Assessment:
    """The category for one patient today and the reasons, deciding reason first."""
    t = thresholds
    days = (data.today - data.care_started).days
    care = _weeks(days)
    pain, psfs, odi = pain_change(data, t), psfs_change(data, t), odi_change(data, t)
    measures = (pain, psfs, odi)
    improved = [m for m in measures if m.improved]
    worsened = [m for m in measures if m.worsened]
    compared = [m for m in measures if m.compared]
    measure_text = " ".join(m.sentence for m in measures)
    adherence, low_adherence, _ = _adherence(data, t)
    fair = f"{t.fair_adherence_percent:g}%"
    window = f"the last {t.adherence_window_days} days"
    slip = assess_slip(data.imaging, t)
    radicular_worse, radicular_said = _radicular_sentences(data, t)

    checkin_days = {d.day for d in data.pain}
    checkins = data.checkins if data.checkins is not None else len(checkin_days)
    started = data.logging_started or (min(checkin_days) if checkin_days else None)
    span = (data.today - started).days + 1 if started else 0
    per_week = checkins * 7 / span if span > 0 else 0.0
    # "Too early" sits last, so any finding above it decides (improving at 4 weeks is improving).
    # But the two rules that conclude from the *absence* of change (failed trial, plateau) need
    # enough logging to trust that absence, so sparse logging holds them back.
    too_sparse = per_week < t.min_checkins_per_week - _EPS

    checks: list[Check] = []

    # 1. Urgent: a red flag nobody has acknowledged (NICE NG59; cauda equina guidance).
    if data.warning_signs:
        signs = "; ".join(f"{s.label} ({s.day.isoformat()})" for s in data.warning_signs)
        checks.append(
            Check(
                Category.URGENT,
                True,
                f"Urgent: unacknowledged warning sign: {signs}. The patient was told to seek "
                "urgent care; check they did, then acknowledge the alert.",
            )
        )
    else:
        checks.append(Check(Category.URGENT, False, "No unacknowledged warning sign."))

    # 2. Referral: failed fair trial, slip progression or high grade, worsening leg neurology.
    failed, failure_text = False, ""
    if days < t.referral_weeks * 7:
        failure_text = (
            f"{care} of conservative care, under the {t.referral_weeks} weeks after which "
            "failed conservative care is considered"
        )
    elif adherence is None:
        failure_text = (
            f"{care} of conservative care, but no brace or exercise adherence is recorded, so a "
            "failed fair trial cannot be shown"
        )
    elif low_adherence:
        failure_text = (
            f"{care} of conservative care, but adherence is below {fair} "
            f"({', '.join(low_adherence)}), so the trial was not fair"
        )
    elif improved:
        failure_text = f"{care} of conservative care, but {improved[0].name} improved"
    elif not compared:
        failure_text = (
            f"{care} of conservative care, but no change in pain or function is measurable"
        )
    elif too_sparse:
        failure_text = (
            f"{care} of conservative care, but {per_week:.1f} check-ins a week are too few to "
            "show that nothing changed"
        )
    else:
        failed = True
        failure_text = (
            f"{care} of conservative care ({t.referral_weeks}+ weeks) with fair adherence "
            f"({adherence}) and no important improvement in pain or function"
        )
    radicular_text = "; ".join(radicular_worse or radicular_said)
    referral_parts = [failure_text, "; ".join(slip.sentences), radicular_text]
    if failed or slip.fired or radicular_worse:
        fired_parts = [
            *([failure_text] if failed else []),
            *([s for s in slip.sentences if s.startswith(("high-grade", "progression"))]),
            *radicular_worse,
        ]
        reason = "Meets referral criteria: " + "; ".join(fired_parts) + "."
        checks.append(Check(Category.REFERRAL, True, reason))
    else:
        checks.append(
            Check(
                Category.REFERRAL,
                False,
                "Referral criteria not met: " + "; ".join(referral_parts) + ".",
            )
        )

    # 3. Worsening beats improving: an important worsening of any measure needs a look even
    # when another measure improved; the improvement is still listed below.
    if worsened:
        text = " ".join(m.sentence for m in worsened)
        checks.append(Check(Category.WORSENING, True, f"Worsening: {text}"))
    else:
        checks.append(Check(Category.WORSENING, False, f"Not worsening. {measure_text}"))

    # 4. Improving.
    if improved:
        text = " ".join(m.sentence for m in improved)
        checks.append(Check(Category.IMPROVING, True, f"Improving: {text}"))
    else:
        checks.append(
            Check(Category.IMPROVING, False, "No important improvement in pain or function.")
        )

    # 5. Not a fair trial yet: low adherence and nothing to show for it.
    if adherence is None:
        checks.append(
            Check(
                Category.NOT_FAIR_TRIAL,
                False,
                "Adherence not recorded: no brace or exercise programme in ParsTrack.",
            )
        )
    elif low_adherence and not improved:
        checks.append(
            Check(
                Category.NOT_FAIR_TRIAL,
                True,
                f"Not a fair trial yet: adherence over {window} is below {fair} "
                f"({', '.join(low_adherence)}) and there is no important improvement, so "
                "conservative care has not really been tried.",
            )
        )
    elif low_adherence:
        checks.append(
            Check(
                Category.NOT_FAIR_TRIAL,
                False,
                f"Adherence below {fair} ({', '.join(low_adherence)}), but improving anyway.",
            )
        )
    else:
        checks.append(
            Check(
                Category.NOT_FAIR_TRIAL,
                False,
                f"Adherence fair over {window}: {adherence} ({fair} or more).",
            )
        )

    # 6. Plateau. With no brace or exercises recorded, adherence cannot be low, and "review the
    # plan" is exactly what such a patient needs, so it fires; referral above does not.
    no_change = not improved and not worsened
    if days < t.plateau_weeks * 7:
        checks.append(
            Check(
                Category.PLATEAU,
                False,
                f"Not a plateau: {care} of care, under the {t.plateau_weeks} weeks a plateau "
                "needs.",
            )
        )
    elif low_adherence:
        checks.append(Check(Category.PLATEAU, False, "Not a plateau: adherence is low."))
    elif not compared:
        checks.append(
            Check(
                Category.PLATEAU,
                False,
                "Not a plateau: no change in pain or function could be measured.",
            )
        )
    elif too_sparse:
        checks.append(
            Check(
                Category.PLATEAU,
                False,
                f"Not a plateau: {per_week:.1f} check-ins a week are too few to show no change.",
            )
        )
    elif no_change:
        adherence_text = f"fair adherence ({adherence})" if adherence else "adherence not recorded"
        checks.append(
            Check(
                Category.PLATEAU,
                True,
                f"Plateau: {care} of care ({t.plateau_weeks}+ weeks), {adherence_text} and no "
                f"important change in pain or function: review the plan. {measure_text}",
            )
        )
    else:
        checks.append(
            Check(Category.PLATEAU, False, "Not a plateau: there is an important change.")
        )

    # 7. Too early: the fallback. Rules above decide first (improving at 4 weeks is improving).
    early = []
    if days < t.too_early_weeks * 7:
        early.append(f"{care} of conservative care, under {t.too_early_weeks} weeks")
    if too_sparse:
        since = f" since {started.isoformat()}" if started else ""
        early.append(
            f"{per_week:.1f} check-ins a week on average{since}, under {t.min_checkins_per_week:g}"
        )
    if not compared:
        early.append("no change in pain or function can be measured yet")
    if early:
        checks.append(
            Check(Category.TOO_EARLY, True, "Too early to judge: " + "; ".join(early) + ".")
        )
    elif not any(c.fired for c in checks):
        checks.append(
            Check(
                Category.TOO_EARLY,
                True,
                f"Too early to judge: no important change yet after {care}; a plateau is called "
                f"from {t.plateau_weeks} weeks. {measure_text}",
            )
        )
    else:
        checks.append(
            Check(
                Category.TOO_EARLY,
                False,
                f"Enough to judge: {care} of care, {per_week:.1f} check-ins a week.",
            )
        )

    decider = next(c for c in checks if c.fired)
    reasons = [decider.reason]
    for check in checks:
        if check is decider:
            continue
        outranked = check.fired and check.category.priority > decider.category.priority
        reasons.append(
            f"{check.reason} (Outranked by {decider.category.label}.)"
            if outranked
            else check.reason
        )
    recent_start = data.today - dt.timedelta(days=t.recent_days - 1)
    worst_recent, _ = _mean_in(data.pain, recent_start, data.today, "worst")
    worst_base = None
    if data.pain:
        first = min(d.day for d in data.pain)
        worst_base, _ = _mean_in(
            data.pain, first, first + dt.timedelta(days=t.baseline_days - 1), "worst"
        )
    return Assessment(
        category=decider.category,
        reasons=reasons,
        checks=checks,
        days_of_care=days,
        checkins_per_week=per_week,
        pain=pain,
        psfs=psfs,
        odi=odi,
        slip=slip,
        pain_worst_baseline=worst_base,
        pain_worst_recent=worst_recent,
        brace_adherence=data.brace_adherence,
        exercise_adherence=data.exercise_adherence,
        radicular_worsening=radicular_worse,
    )
