"""The verdict: each rule in the priority order of issue 6 leaves a check, fired or not; the first
that fires decides, and every other reason follows it (docs/assessment.md)."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import TextChoices

from tracker.rules.assessment.findings import Findings, findings
from tracker.rules.assessment.inputs import AssessmentInput, BraceSource, brace_source, mean_in
from tracker.rules.assessment.measures import MeasureChange
from tracker.rules.assessment.readout import (
    badge_caveat,
    caveat_sentence,
    short_name,
    thin_measures,
)
from tracker.rules.slip import SlipFinding
from tracker.rules.thresholds import DEFAULTS, Thresholds


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
    # Measures too thin to judge beside a category other measures decided ("pain"): the badge
    # and the deciding reason say so (readout.thin_measures).
    thin: tuple[str, ...] = ()
    brace_source: BraceSource = BraceSource.REPORTED  # where the brace figure's hours came from

    @property
    def weeks_of_care(self) -> int:
        return self.days_of_care // 7

    @property
    def caveat(self) -> str:
        """Beside the badge: "pain: not enough data", or "" (readout.badge_caveat)."""
        return badge_caveat(self.thin)


def _fair(t: Thresholds) -> str:
    return f"{t.fair_adherence_percent:g}%"


def urgent(data: AssessmentInput, f: Findings, t: Thresholds) -> Check:
    """1. Urgent: a red flag nobody has acknowledged (NICE NG59; cauda equina guidance)."""
    if not data.warning_signs:
        return Check(Category.URGENT, False, "No unacknowledged warning sign.")
    signs = "; ".join(f"{s.label} ({s.day.isoformat()})" for s in data.warning_signs)
    return Check(
        Category.URGENT,
        True,
        f"Urgent: unacknowledged warning sign: {signs}. The patient was told to seek "
        "urgent care; check they did, then acknowledge the alert.",
    )


def failed_fair_trial(f: Findings, t: Thresholds) -> tuple[bool, str]:
    """(whether conservative care failed a fair trial, the sentence saying why or why not)."""
    care = f.care
    if f.days < t.referral_weeks * 7:
        return False, (
            f"{care} of conservative care, under the {t.referral_weeks} weeks after which "
            "failed conservative care is considered"
        )
    if f.adherence is None:
        return False, (
            f"{care} of conservative care, but no brace or exercise adherence is recorded, so a "
            "failed fair trial cannot be shown"
        )
    if f.low_adherence:
        return False, (
            f"{care} of conservative care, but adherence is below {_fair(t)} "
            f"({', '.join(f.low_adherence)}), so the trial was not fair"
        )
    if f.improved:
        return False, f"{care} of conservative care, but {f.improved[0].name} improved"
    if not f.compared:
        return False, (
            f"{care} of conservative care, but no change in pain or function is measurable"
        )
    if f.too_sparse:
        return False, (
            f"{care} of conservative care, but {f.per_week:.1f} check-ins a week are too few to "
            "show that nothing changed"
        )
    return True, (
        f"{care} of conservative care ({t.referral_weeks}+ weeks) with fair adherence "
        f"({f.adherence}) and no important improvement in pain or function"
    )


def referral(data: AssessmentInput, f: Findings, t: Thresholds) -> Check:
    """2. Referral: failed fair trial, slip progression or high grade, worsening leg neurology."""
    failed, failure_text = failed_fair_trial(f, t)
    if failed or f.slip.fired or f.radicular_worse:
        fired_parts = [
            *([failure_text] if failed else []),
            *([s for s in f.slip.sentences if s.startswith(("high-grade", "progression"))]),
            *f.radicular_worse,
        ]
        reason = "Meets referral criteria: " + "; ".join(fired_parts) + "."
        return Check(Category.REFERRAL, True, reason)
    radicular_text = "; ".join(f.radicular_worse or f.radicular_said)
    referral_parts = [failure_text, "; ".join(f.slip.sentences), radicular_text]
    return Check(
        Category.REFERRAL,
        False,
        "Referral criteria not met: " + "; ".join(referral_parts) + ".",
    )


def worsening(data: AssessmentInput, f: Findings, t: Thresholds) -> Check:
    """3. Worsening beats improving: an important worsening of any measure needs a look even
    when another measure improved; the improvement is still listed below."""
    if f.worsened:
        text = " ".join(m.sentence for m in f.worsened)
        return Check(Category.WORSENING, True, f"Worsening: {text}")
    return Check(Category.WORSENING, False, f"Not worsening. {f.measure_text}")


def improving(data: AssessmentInput, f: Findings, t: Thresholds) -> Check:
    """4. Improving."""
    if f.improved:
        text = " ".join(m.sentence for m in f.improved)
        return Check(Category.IMPROVING, True, f"Improving: {text}")
    return Check(Category.IMPROVING, False, "No important improvement in pain or function.")


def not_fair_trial(data: AssessmentInput, f: Findings, t: Thresholds) -> Check:
    """5. Not a fair trial yet: low adherence and nothing to show for it."""
    fair, window = _fair(t), f"the last {t.adherence_window_days} days"
    if f.adherence is None:
        return Check(
            Category.NOT_FAIR_TRIAL,
            False,
            "Adherence not recorded: no brace or exercise programme in ParsTrack.",
        )
    if f.low_adherence and not f.improved:
        return Check(
            Category.NOT_FAIR_TRIAL,
            True,
            f"Not a fair trial yet: adherence over {window} is below {fair} "
            f"({', '.join(f.low_adherence)}) and there is no important improvement, so "
            "conservative care has not really been tried.",
        )
    if f.low_adherence:
        return Check(
            Category.NOT_FAIR_TRIAL,
            False,
            f"Adherence below {fair} ({', '.join(f.low_adherence)}), but improving anyway.",
        )
    return Check(
        Category.NOT_FAIR_TRIAL,
        False,
        f"Adherence fair over {window}: {f.adherence} ({fair} or more).",
    )


def plateau(data: AssessmentInput, f: Findings, t: Thresholds) -> Check:
    """6. Plateau. With no brace or exercises recorded, adherence cannot be low, and "review the
    plan" is exactly what such a patient needs, so it fires; referral above does not."""
    if f.days < t.plateau_weeks * 7:
        return Check(
            Category.PLATEAU,
            False,
            f"Not a plateau: {f.care} of care, under the {t.plateau_weeks} weeks a plateau needs.",
        )
    if f.low_adherence:
        return Check(Category.PLATEAU, False, "Not a plateau: adherence is low.")
    if not f.compared:
        return Check(
            Category.PLATEAU,
            False,
            "Not a plateau: no change in pain or function could be measured.",
        )
    if f.too_sparse:
        return Check(
            Category.PLATEAU,
            False,
            f"Not a plateau: {f.per_week:.1f} check-ins a week are too few to show no change.",
        )
    if not f.improved and not f.worsened:
        adherence_text = (
            f"fair adherence ({f.adherence})" if f.adherence else "adherence not recorded"
        )
        return Check(
            Category.PLATEAU,
            True,
            f"Plateau: {f.care} of care ({t.plateau_weeks}+ weeks), {adherence_text} and no "
            f"important change in pain or function: review the plan. {f.measure_text}",
        )
    return Check(Category.PLATEAU, False, "Not a plateau: there is an important change.")


def too_early(f: Findings, t: Thresholds, *, decided: bool) -> Check:
    """7. Too early: the fallback. Rules above decide first (improving at 4 weeks is improving);
    `decided`: one of them fired."""
    early = []
    if f.days < t.too_early_weeks * 7:
        early.append(f"{f.care} of conservative care, under {t.too_early_weeks} weeks")
    if f.too_sparse:
        since = f" since {f.started.isoformat()}" if f.started else ""
        early.append(
            f"{f.per_week:.1f} check-ins a week on average{since}, "
            f"under {t.min_checkins_per_week:g}"
        )
    if not f.compared:
        early.append("no change in pain or function can be measured yet")
    if early:
        return Check(Category.TOO_EARLY, True, "Too early to judge: " + "; ".join(early) + ".")
    if not decided:
        return Check(
            Category.TOO_EARLY,
            True,
            f"Too early to judge: no important change yet after {f.care}; a plateau is called "
            f"from {t.plateau_weeks} weeks. {f.measure_text}",
        )
    return Check(
        Category.TOO_EARLY,
        False,
        f"Enough to judge: {f.care} of care, {f.per_week:.1f} check-ins a week.",
    )


# Every rule but the fallback, in priority order.
RULES: tuple[Callable[[AssessmentInput, Findings, Thresholds], Check], ...] = (
    urgent,
    referral,
    worsening,
    improving,
    not_fair_trial,
    plateau,
)


def _reasons(checks: list[Check], decider: Check) -> list[str]:
    """The deciding reason first, then every other rule's, a fired one marked as outranked."""
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
    return reasons


def _worst_pain(data: AssessmentInput, t: Thresholds) -> tuple[float | None, float | None]:
    """(mean worst pain over the baseline window, over the recent window)."""
    recent_start = data.today - dt.timedelta(days=t.recent_days - 1)
    worst_recent, _ = mean_in(data.pain, recent_start, data.today, "worst")
    worst_base = None
    if data.pain:
        first = min(d.day for d in data.pain)
        worst_base, _ = mean_in(
            data.pain, first, first + dt.timedelta(days=t.baseline_days - 1), "worst"
        )
    return worst_base, worst_recent


def assess(data: AssessmentInput, thresholds: Thresholds = DEFAULTS) -> Assessment:
    """The category for one patient today and the reasons, deciding reason first."""
    t = thresholds
    f = findings(data, t)
    checks = [rule(data, f, t) for rule in RULES]
    checks.append(too_early(f, t, decided=any(c.fired for c in checks)))
    decider = next(c for c in checks if c.fired)
    worst_base, worst_recent = _worst_pain(data, t)
    reasons = _reasons(checks, decider)
    thin = thin_measures(decider.category, (f.pain, f.psfs, f.odi))
    if thin:
        reasons[0] = f"{reasons[0]} {caveat_sentence(thin)}"
    return Assessment(
        category=decider.category,
        reasons=reasons,
        checks=checks,
        days_of_care=f.days,
        checkins_per_week=f.per_week,
        pain=f.pain,
        psfs=f.psfs,
        odi=f.odi,
        slip=f.slip,
        pain_worst_baseline=worst_base,
        pain_worst_recent=worst_recent,
        brace_adherence=data.brace_adherence,
        exercise_adherence=data.exercise_adherence,
        radicular_worsening=f.radicular_worse,
        thin=tuple(short_name(m) for m in thin),
        brace_source=brace_source(data.brace_measured_days, data.brace_reported_days),
    )
