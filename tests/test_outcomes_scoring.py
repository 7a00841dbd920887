"""Scoring rules, checked against worked examples done by hand (docs/outcomes.md)."""

import pytest

from tracker.rules.outcomes.definitions import BUILTIN_DIR, read_json, validate_definition
from tracker.rules.outcomes.scoring import (
    NotScorable,
    band_for,
    change_for,
    change_from_baseline,
    rating_change,
    score_answers,
    score_mean,
    score_percent_of_max,
)

ODI = validate_definition(read_json(BUILTIN_DIR / "odi.json"))
PSFS = validate_definition(read_json(BUILTIN_DIR / "psfs.json"))
PAIN = validate_definition(read_json(BUILTIN_DIR / "weekly_pain.json"))
GROC = validate_definition(read_json(BUILTIN_DIR / "groc.json"))
ODI_BANDS = [(b["up_to"], b["label"]) for b in ODI["bands"]]
ODI_KEYS = [item["key"] for item in ODI["items"]]


def _odi(values):
    return score_answers(ODI, dict(zip(ODI_KEYS, values, strict=True)))


def test_it_scores_the_odi_with_every_section_answered():
    # 3+2+1+4+0+2+3+1+2+2 = 20; 20 / (5 x 10) x 100 = 40
    score = _odi([3, 2, 1, 4, 0, 2, 3, 1, 2, 2])

    assert score.value == pytest.approx(40.0)
    assert (score.answered, score.skipped) == (10, 0)
    assert score.band == "Moderate disability"


def test_it_scores_the_odi_with_one_section_skipped():
    # sex life skipped: 19 / (5 x 9) x 100 = 42.2
    score = _odi([3, 2, 1, 4, 0, 2, 3, None, 2, 2])

    assert score.value == pytest.approx(42.222, abs=0.001)
    assert (score.answered, score.skipped) == (9, 1)
    assert score.band == "Severe disability"


def test_it_scores_the_odi_with_two_sections_skipped():
    # 17 / (5 x 8) x 100 = 42.5
    score = _odi([3, 2, 1, 4, 0, 2, 3, None, None, 2])

    assert score.value == pytest.approx(42.5)
    assert score.skipped == 2


def test_it_refuses_to_score_the_odi_with_three_sections_skipped():
    with pytest.raises(NotScorable, match="3 sections were skipped"):
        _odi([3, 2, 1, 4, 0, 2, None, None, None, 2])


def test_it_scores_the_odi_extremes():
    assert _odi([0] * 10).value == 0
    assert _odi([5] * 10).value == 100
    assert score_percent_of_max([5, None], item_max=5, max_skipped=1).value == 100


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (0, "Minimal disability"),
        (20, "Minimal disability"),
        (20.5, "Moderate disability"),
        (21, "Moderate disability"),
        (40, "Moderate disability"),
        (41, "Severe disability"),
        (60, "Severe disability"),
        (61, "Crippled"),
        (80, "Crippled"),
        (81, "Bed-bound"),
        (100, "Bed-bound"),
    ],
    ids=str,
)
def test_it_puts_odi_scores_in_their_band(score, band):
    assert band_for(score, ODI_BANDS) == band


def test_it_bands_a_whole_score_reached_with_a_skipped_section():
    # 9 / 45 x 100 = 20.0 exactly (minimal); 10 / 45 x 100 = 22.2 (moderate)
    assert _odi([1, 1, 1, 1, 1, 1, 1, 1, 1, None]).band == "Minimal disability"
    assert _odi([2, 1, 1, 1, 1, 1, 1, 1, 1, None]).band == "Moderate disability"


def test_it_scores_psfs_with_three_activities():
    score = score_answers(PSFS, {"1": 2, "2": 4, "3": 3})

    assert score.value == pytest.approx(3.0)
    assert score.answered == 3


def test_it_scores_psfs_with_five_activities():
    score = score_answers(PSFS, {"1": 2, "2": 4, "3": 3, "4": 7, "5": 8})

    assert score.value == pytest.approx(4.8)


@pytest.mark.parametrize(
    ("values", "problem"),
    [([5, 5], "3 to 5"), ([1, 2, 3, 4, 5, 6], "3 to 5"), ([5, None, 5], "Every activity")],
    ids=["two", "six", "unrated"],
)
def test_it_refuses_psfs_outside_three_to_five_rated_activities(values, problem):
    with pytest.raises(NotScorable, match=problem):
        score_mean(values, min_items=3, max_items=5)


def test_it_scores_the_weekly_pain_summary_on_average_pain():
    score = score_answers(PAIN, {"average": 4, "worst": 7})

    assert score.value == 4
    assert score.detail == {"worst": 7}


def test_it_needs_the_groc_answered():
    with pytest.raises(NotScorable):
        score_answers(GROC, {"rating": None})


@pytest.mark.parametrize(
    ("definition", "baseline", "current", "improved", "worsened"),
    [
        # PSFS: 2 points on the mean, higher is better
        (PSFS, 3.0, 5.0, True, False),
        (PSFS, 3.0, 4.8, False, False),
        (PSFS, 5.0, 3.0, False, True),
        (PSFS, 5.0, 3.2, False, False),
        # ODI: 10 points or 30%, lower is better
        (ODI, 40.0, 30.0, True, False),  # 10 points (25%)
        (ODI, 40.0, 31.0, False, False),  # 9 points, 22.5%
        (ODI, 20.0, 14.0, True, False),  # 6 points but 30%
        (ODI, 20.0, 14.2, False, False),  # 5.8 points, 29%
        (ODI, 30.0, 40.0, False, True),  # 10 points worse
        (ODI, 44.0, 35.2, False, False),  # 8.8 points, 20%
        # Weekly pain: 2 points or 30%, lower is better
        (PAIN, 6.0, 4.0, True, False),  # 2 points
        (PAIN, 9.0, 7.2, False, False),  # 1.8 points, 20%
        (PAIN, 5.0, 3.5, True, False),  # 1.5 points but 30%
        (PAIN, 5.0, 3.6, False, False),  # 1.4 points, 28%
        (PAIN, 3.0, 5.0, False, True),
        (PAIN, 4.0, 4.0, False, False),
    ],
    ids=lambda v: v["code"] if isinstance(v, dict) else str(v),
)
def test_it_flags_change_from_baseline_at_the_important_threshold(
    definition, baseline, current, improved, worsened
):
    change = change_for(definition, baseline=baseline, current=current)

    assert (change.improved, change.worsened) == (improved, worsened)


@pytest.mark.parametrize(
    ("rating", "label"),
    [
        (3, "Important improvement"),
        (2, "Important improvement"),
        (1, "No important change"),
        (0, "No important change"),
        (-1, "No important change"),
        (-2, "Important worsening"),
    ],
    ids=str,
)
def test_it_flags_a_global_rating_of_much_better_or_beyond(rating, label):
    assert change_for(GROC, baseline=None, current=rating).label == label


def test_it_has_no_change_for_the_baseline_itself():
    assert change_for(ODI, baseline=None, current=40) is None


def test_it_reports_change_in_both_units():
    change = change_from_baseline(
        baseline=40, current=28, better="lower", mcid_points=10, mcid_percent=30
    )

    assert change.delta == -12
    assert change.improvement == 12
    assert change.percent == pytest.approx(30)
    assert rating_change(rating=2, at_least=2).improved
