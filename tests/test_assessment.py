"""The assessment, fed synthetic histories: each rule at and around its thresholds, and ties."""

import dataclasses
import datetime as dt

import pytest

from tracker.rules.assessment import (
    AssessmentInput,
    Category,
    PainDay,
    RadicularDay,
    WarningSign,
    assess,
    measure_trend,
)
from tracker.rules.slip import SlipMeasurement
from tracker.rules.thresholds import DEFAULTS

TODAY = dt.date(2025, 6, 2)


def history(
    *,
    weeks: int = 10,
    days: int = 0,
    baseline: float = 6.0,
    recent: float | None = None,
    brace: float | None = 0.85,
    exercise: float | None = 0.85,
    checkins: int | None = None,
    logging_days: int | None = None,
    psfs: tuple[float | None, float | None] = (None, None),
    odi: tuple[float | None, float | None] = (None, None),
    warning: bool = False,
    imaging: tuple[tuple[int, float | None, int | None, str], ...] = (),
    weakness: tuple[int, int] | None = None,
    numbness: tuple[int, int] | None = None,
    below_knee: tuple[int, int] | None = None,
) -> AssessmentInput:
    """A patient who logged daily since care started: `baseline` pain for the first 14 days,
    `recent` pain after. Leg symptoms: (days in the 4 weeks before, days in the last 4 weeks)."""
    care_days = weeks * 7 + days
    started = TODAY - dt.timedelta(days=care_days)
    recent = baseline if recent is None else recent
    pain = [
        PainDay(started + dt.timedelta(days=i), baseline if i < 14 else recent, baseline + 1)
        for i in range(care_days + 1)
    ]
    radicular = []
    if weakness or numbness or below_knee:
        for i in range(56):
            day = TODAY - dt.timedelta(days=i)
            in_recent = i < 28
            index = (i if in_recent else i - 28) + 1  # 1..28 within its window

            flags = [
                pair is not None and index <= (pair[1] if in_recent else pair[0])
                for pair in (weakness, numbness, below_knee)
            ]
            radicular.append(RadicularDay(day, *flags))
    return AssessmentInput(
        today=TODAY,
        care_started=started,
        pain=pain,
        checkins=checkins,
        logging_started=TODAY - dt.timedelta(days=logging_days - 1) if logging_days else None,
        brace_adherence=brace,
        exercise_adherence=exercise,
        psfs_baseline=psfs[0],
        psfs_latest=psfs[1],
        odi_baseline=odi[0],
        odi_latest=odi[1],
        warning_signs=[WarningSign(TODAY, "saddle numbness")] if warning else [],
        imaging=[
            SlipMeasurement(TODAY - dt.timedelta(weeks=w), pct, grade, modality)
            for w, pct, grade, modality in imaging
        ],
        radicular=radicular,
    )


FIRST_XRAY_18 = (20, 18.0, None, "X-ray")

CASES = [
    # (id, history, category, words in the deciding reason)
    # 1. urgent
    (
        "urgent-beats-referral-and-worsening",
        history(warning=True, recent=9.0, imaging=((1, 60.0, None, "X-ray"),)),
        Category.URGENT,
        "saddle numbness",
    ),
    ("urgent-at-week-one", history(weeks=1, warning=True), Category.URGENT, "urgent care"),
    # 2. referral: failed fair trial at 26 weeks
    (
        "referral-26-weeks-fair-no-change",
        history(weeks=26),
        Category.REFERRAL,
        "26 weeks of conservative care (26+ weeks) with fair adherence (brace 85%, exercises 85%)",
    ),
    (
        "no-referral-25w6d-is-plateau",
        history(weeks=25, days=6),
        Category.PLATEAU,
        "25 weeks 6 days",
    ),
    (
        "referral-adherence-exactly-70",
        history(weeks=30, brace=0.70),
        Category.REFERRAL,
        "brace 70%",
    ),
    (
        "no-referral-adherence-69-not-fair-trial",
        history(weeks=30, brace=0.69),
        Category.NOT_FAIR_TRIAL,
        "brace 69%",
    ),
    (
        "adherence-just-under-70-is-never-shown-as-70",
        history(weeks=30, exercise=0.698),
        Category.NOT_FAIR_TRIAL,
        "exercises 69%",
    ),
    (
        "no-referral-exercise-69-not-fair-trial",
        history(weeks=30, exercise=0.69),
        Category.NOT_FAIR_TRIAL,
        "exercises 69%",
    ),
    (
        "no-referral-when-improving-at-30-weeks",
        history(weeks=30, baseline=7.0, recent=5.0),
        Category.IMPROVING,
        "down 2.0",
    ),
    (
        "no-referral-without-adherence-records-plateau",
        history(weeks=30, brace=None, exercise=None),
        Category.PLATEAU,
        "adherence not recorded",
    ),
    (
        "no-referral-with-sparse-logging",
        history(weeks=30, checkins=39, logging_days=70),
        Category.TOO_EARLY,
        "3.9 check-ins a week",
    ),
    (
        "referral-with-4-checkins-a-week",
        history(weeks=30, checkins=40, logging_days=70),
        Category.REFERRAL,
        "no important improvement",
    ),
    # 2. referral: slip
    (
        "referral-grade-iii-even-at-week-3",
        history(weeks=3, imaging=((1, 51.0, None, "X-ray"),)),
        Category.REFERRAL,
        "high-grade slip (X-ray",
    ),
    (
        "no-referral-slip-exactly-50-is-grade-ii",
        history(weeks=3, imaging=((1, 50.0, None, "X-ray"),)),
        Category.TOO_EARLY,
        "under 6 weeks",
    ),
    (
        "referral-entered-grade-iii-without-percent",
        history(imaging=((1, None, 3, "MRI"),)),
        Category.REFERRAL,
        "grade III",
    ),
    (
        "referral-slip-grows-5-points",
        history(imaging=(FIRST_XRAY_18, (1, 23.0, None, "X-ray"))),
        Category.REFERRAL,
        "progression: X-ray",
    ),
    (
        "no-referral-slip-grows-4.9-points",
        history(imaging=(FIRST_XRAY_18, (1, 22.9, None, "X-ray"))),
        Category.TOO_EARLY,
        "no important change yet",
    ),
    (
        "no-referral-grade-line-crossed-within-error",
        history(imaging=((20, 24.0, None, "X-ray"), (1, 26.0, None, "X-ray"))),
        Category.TOO_EARLY,
        "no important change yet",
    ),
    (
        "referral-grade-rises-without-percentages",
        history(imaging=((20, None, 1, "X-ray"), (1, None, 2, "X-ray"))),
        Category.REFERRAL,
        "(by grade)",
    ),
    # 2. referral: leg symptoms, last 4 weeks against the 4 before
    (
        "referral-leg-weakness-up-25-points",
        history(weakness=(0, 7)),
        Category.REFERRAL,
        "leg weakness on 7 of 28 logged days",
    ),
    (
        "no-referral-leg-weakness-up-21-points",
        history(weakness=(0, 6)),
        Category.TOO_EARLY,
        "no important change yet",
    ),
    (
        "referral-numbness-worsening",
        history(numbness=(2, 14)),
        Category.REFERRAL,
        "numbness or tingling on 14 of 28",
    ),
    (
        "no-referral-pain-below-knee-alone",
        history(below_knee=(0, 20)),
        Category.TOO_EARLY,
        "no important change yet",
    ),
    (
        "referral-beats-worsening",
        history(recent=9.0, imaging=((1, 55.0, None, "X-ray"),)),
        Category.REFERRAL,
        "high-grade",
    ),
    # 3. worsening (absolute points only)
    ("worsening-pain-up-2.0", history(baseline=5.0, recent=7.0), Category.WORSENING, "up 2.0"),
    ("no-worsening-pain-up-1.9", history(baseline=5.0, recent=6.9), Category.TOO_EARLY, "up 1.9"),
    (
        "no-worsening-pain-up-33-percent-under-2-points",
        history(baseline=3.0, recent=4.0),
        Category.TOO_EARLY,
        "short of the 2-point important worsening",
    ),
    ("worsening-psfs-down-2", history(psfs=(5.0, 3.0)), Category.WORSENING, "PSFS mean 3.0"),
    ("no-worsening-psfs-down-1.9", history(psfs=(5.0, 3.1)), Category.TOO_EARLY, "down 1.9"),
    ("worsening-odi-up-10", history(odi=(30.0, 40.0)), Category.WORSENING, "ODI 40.0"),
    ("no-worsening-odi-up-9", history(odi=(30.0, 39.0)), Category.TOO_EARLY, "up 9.0"),
    (
        "worsening-function-beats-improving-pain",
        history(baseline=7.0, recent=3.0, odi=(30.0, 42.0)),
        Category.WORSENING,
        "ODI 42.0",
    ),
    # 4. improving: 2 points or 30% of baseline, whichever is smaller
    ("improving-pain-down-2.0", history(baseline=7.0, recent=5.0), Category.IMPROVING, "down 2.0"),
    ("not-improving-pain-down-1.9", history(baseline=7.0, recent=5.1), Category.TOO_EARLY, "1.9"),
    (
        "improving-pain-down-exactly-30-percent",
        history(baseline=5.0, recent=3.5),
        Category.IMPROVING,
        "down 1.5 (30%)",
    ),
    (
        "not-improving-pain-down-29-percent",
        history(baseline=5.0, recent=3.55),
        Category.TOO_EARLY,
        "no important change yet",
    ),
    ("improving-psfs-up-2", history(psfs=(4.0, 6.0)), Category.IMPROVING, "PSFS mean 6.0"),
    ("not-improving-psfs-up-1.9", history(psfs=(4.0, 5.9)), Category.TOO_EARLY, "up 1.9"),
    ("improving-odi-down-10", history(odi=(50.0, 40.0)), Category.IMPROVING, "down 10.0"),
    (
        "improving-odi-down-30-percent",
        history(odi=(20.0, 14.0)),
        Category.IMPROVING,
        "down 6.0 (30%)",
    ),
    ("not-improving-odi-down-29-percent", history(odi=(20.0, 14.2)), Category.TOO_EARLY, "5.8"),
    (
        "improving-at-4-weeks-is-improving",
        history(weeks=4, baseline=7.0, recent=4.0),
        Category.IMPROVING,
        "down 3.0",
    ),
    (
        "improving-beats-low-adherence",
        history(baseline=7.0, recent=4.0, brace=0.4),
        Category.IMPROVING,
        "down 3.0",
    ),
    # 5. not a fair trial yet
    (
        "not-fair-trial-brace-69",
        history(brace=0.69),
        Category.NOT_FAIR_TRIAL,
        "below 70% (brace 69%)",
    ),
    ("fair-trial-brace-70", history(brace=0.70), Category.TOO_EARLY, "no important change yet"),
    (
        "not-fair-trial-beats-too-early",
        history(weeks=3, exercise=0.3),
        Category.NOT_FAIR_TRIAL,
        "exercises 30%",
    ),
    # 6. plateau
    ("plateau-at-12-weeks", history(weeks=12), Category.PLATEAU, "review the plan"),
    ("no-plateau-at-11w6d", history(weeks=11, days=6), Category.TOO_EARLY, "11 weeks 6 days"),
    (
        "plateau-with-4-checkins-a-week",
        history(weeks=14, checkins=40, logging_days=70),
        Category.PLATEAU,
        "review the plan",
    ),
    (
        "no-plateau-with-3.9-checkins-a-week",
        history(weeks=14, checkins=39, logging_days=70),
        Category.TOO_EARLY,
        "3.9 check-ins a week on average",
    ),
    # 7. too early
    ("too-early-5w6d", history(weeks=5, days=6), Category.TOO_EARLY, "5 weeks 6 days"),
    (
        "too-early-at-6-weeks-only-because-no-change-yet",
        history(weeks=6),
        Category.TOO_EARLY,
        "no important change yet after 6 weeks",
    ),
    (
        "too-early-while-baseline-is-collected",
        history(weeks=2),
        Category.TOO_EARLY,
        "no change in pain or function can be measured yet",
    ),
]


@pytest.mark.parametrize(
    ("data", "category", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_it_decides_the_category_with_the_deciding_reason_first(data, category, words):
    result = assess(data)

    assert result.category == category, result.reasons
    assert words in result.reasons[0], result.reasons[0]


@pytest.mark.parametrize(
    ("data", "category", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_it_leaves_a_reason_for_every_rule(data, category, words):
    result = assess(data)

    assert len(result.reasons) == len(Category)
    assert [c.category for c in result.checks] == list(Category)
    assert result.checks[category.priority].fired
    assert not any(c.fired for c in result.checks[: category.priority])


def test_it_says_a_pain_improvement_in_plain_numbers():
    data = history(baseline=6.4, recent=3.1)

    result = assess(data)

    assert result.reasons[0] == (
        "Improving: 7-day mean pain 3.1 vs baseline 6.4: down 3.3 (52%), past the 2-point or "
        "30% (here 1.9) important improvement."
    )
    assert result.pain.baseline == pytest.approx(6.4)
    assert result.pain.latest == pytest.approx(3.1)


def test_it_lists_an_outranked_improvement_beside_the_worsening():
    data = history(baseline=7.0, recent=3.0, psfs=(6.0, 3.0))

    result = assess(data)

    assert result.category == Category.WORSENING
    improving = next(r for r in result.reasons if r.startswith("Improving"))
    assert "down 4.0" in improving and "Outranked by Worsening" in improving


def test_it_names_differing_modalities_when_comparing_slips():
    data = history(imaging=((20, 10.0, None, "MRI"), (1, 16.0, None, "X-ray")))

    result = assess(data)

    assert result.category == Category.REFERRAL
    assert "modalities differ" in " ".join(result.reasons)


def test_it_keeps_the_highest_grade_when_a_later_supine_study_reads_lower():
    data = history(imaging=((10, 55.0, None, "X-ray"), (1, 45.0, None, "MRI")))

    result = assess(data)

    assert result.category == Category.REFERRAL
    assert "X-ray 2025-03-24: slip 55%, grade III" in result.reasons[0]


def test_it_mentions_pain_below_the_knee_as_worth_a_review():
    result = assess(history(below_knee=(0, 20)))

    referral = next(r for r in result.reasons if r.startswith("Referral criteria not met"))
    assert "pain below the knee on 20 of 28" in referral and "worth a review" in referral


OVERRIDES = [
    # (id, overrides, history, category without overrides, category with them)
    (
        "pain-3-points",
        {"pain_important_points": 3.0, "pain_important_percent": 50.0},
        history(baseline=7.0, recent=5.0),
        Category.IMPROVING,
        Category.TOO_EARLY,
    ),
    (
        "plateau-at-8-weeks",
        {"plateau_weeks": 8},
        history(weeks=9),
        Category.TOO_EARLY,
        Category.PLATEAU,
    ),
    (
        "adherence-80",
        {"fair_adherence_percent": 80.0},
        history(brace=0.75),
        Category.TOO_EARLY,
        Category.NOT_FAIR_TRIAL,
    ),
    (
        "referral-at-20-weeks",
        {"referral_weeks": 20},
        history(weeks=20),
        Category.PLATEAU,
        Category.REFERRAL,
    ),
    (
        "slip-progression-3-points",
        {"slip_progression_points": 3.0},
        history(imaging=(FIRST_XRAY_18, (1, 21.5, None, "X-ray"))),
        Category.TOO_EARLY,
        Category.REFERRAL,
    ),
    (
        "high-grade-from-iv",
        {"referral_slip_grade": 4},
        history(imaging=((1, 60.0, None, "X-ray"),)),
        Category.REFERRAL,
        Category.TOO_EARLY,
    ),
    (
        "checkins-3-a-week",
        {"min_checkins_per_week": 3.0},
        history(weeks=14, checkins=30, logging_days=70),
        Category.TOO_EARLY,
        Category.PLATEAU,
    ),
]


@pytest.mark.parametrize(
    ("overrides", "data", "by_default", "overridden"),
    [c[1:] for c in OVERRIDES],
    ids=[c[0] for c in OVERRIDES],
)
def test_it_follows_a_clinics_own_thresholds(overrides, data, by_default, overridden):
    thresholds = DEFAULTS.with_overrides(overrides)

    assert assess(data).category == by_default
    assert assess(data, thresholds).category == overridden


def test_it_refuses_an_unknown_threshold_name():
    with pytest.raises(TypeError, match="pain_points"):
        DEFAULTS.with_overrides({"pain_points": 3})


# --- The trend arrow and the thin-data caveat agree with the verdict (issue 18) ---------------

ARROW_EXTRA = [
    # (id, history, thresholds' overrides): changes around the arrow's old 0.5-point step
    ("up-0.6-like-leo", history(weeks=16, baseline=4.8, recent=5.4), {}),
    ("down-0.6", history(baseline=5.0, recent=4.4), {}),
    ("up-1.9", history(baseline=4.0, recent=5.9), {}),
    ("up-2.0", history(baseline=4.0, recent=6.0), {}),
    ("down-30-percent-of-a-low-baseline", history(baseline=3.0, recent=2.1), {}),
    ("up-1-with-a-1-point-clinic", history(baseline=4.0, recent=5.0), {"pain_important_points": 1}),
    ("sparse-logging-60-in-70-days", history(weeks=10, checkins=60, logging_days=70), {}),
]


def _thin_recent(data, keep: int):
    """The same history with only `keep` check-ins in the last 7 days."""
    recent = TODAY - dt.timedelta(days=6)
    days = [d for d in data.pain if d.day < recent] + [d for d in data.pain if d.day >= recent][
        :keep
    ]
    return dataclasses.replace(data, pain=days, checkins=None)


ARROW_CASES = (
    [(c[0], c[1], {}) for c in CASES]
    + [(c[0], c[2], c[1]) for c in OVERRIDES]
    + ARROW_EXTRA
    + [(f"{c[0]}-thin", _thin_recent(c[1], 2), {}) for c in CASES[:12]]
)


@pytest.mark.parametrize(
    ("data", "overrides"), [c[1:] for c in ARROW_CASES], ids=[c[0] for c in ARROW_CASES]
)
def test_the_arrow_and_the_assessment_agree(data, overrides):
    result = assess(data, DEFAULTS.with_overrides(overrides))

    trend = measure_trend(result.pain)

    assert (trend.arrow == "↓") == result.pain.improved, (trend, result.pain.sentence)
    assert (trend.arrow == "↑") == result.pain.worsened, (trend, result.pain.sentence)
    assert (trend.arrow == "") == (not result.pain.compared), (trend, result.pain.sentence)
    if trend.arrow == "↑":  # worse pain always makes the verdict worsening, or more urgent
        assert result.category.priority <= Category.WORSENING.priority
    if trend.arrow == "":
        assert "not enough" in trend.label


@pytest.mark.parametrize(
    ("data", "overrides"), [c[1:] for c in ARROW_CASES], ids=[c[0] for c in ARROW_CASES]
)
def test_a_thin_measure_beside_a_category_it_did_not_decide_is_said_on_the_badge(data, overrides):
    result = assess(data, DEFAULTS.with_overrides(overrides))

    measure_decided = result.category in (
        Category.WORSENING,
        Category.IMPROVING,
        Category.PLATEAU,
    )
    if measure_decided and result.pain.thin:
        assert result.caveat == "pain: not enough data"
        assert result.reasons[0].endswith(
            f"Not judged on pain: not enough data ({result.pain.shortfall})."
        )
    else:
        assert result.caveat == ""
        assert "Not judged on" not in result.reasons[0]


def test_it_says_improving_on_psfs_is_not_judged_on_two_checkins_of_pain():
    data = _thin_recent(history(weeks=10, psfs=(3.0, 6.0)), 2)

    result = assess(data)

    assert result.category == Category.IMPROVING
    assert result.caveat == "pain: not enough data"
    assert result.pain.shortfall == "2 check-ins in the last 7 days; 4 needed"
    assert measure_trend(result.pain).arrow == ""
