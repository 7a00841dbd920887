"""Every threshold the assessment uses, in one place, each with its source.

The values are defaults (../shared/clinical.md); a clinic administrator may override any of them
for a clinic (model `ClinicThresholds`; `tracker.selectors.records.thresholds_for` reads them).
Values marked "product choice" have no literature source: they define how the product turns a
clinical phrase ("the last weeks", "beyond measurement error") into a number, and say why.
"""

from dataclasses import dataclass, fields, replace


@dataclass(frozen=True)
class Threshold:
    """How one threshold is described to the administrator who may change it."""

    label: str
    unit: str
    source: str
    minimum: float
    maximum: float


# name -> description; the dataclass below holds the default values under the same names.
THRESHOLD_INFO: dict[str, Threshold] = {
    "pain_important_points": Threshold(
        "Pain: important change (points)",
        "points on the 0-10 scale",
        "Ostelo 2008, Spine 33:90: 2 points or 30% of baseline on the NRS",
        0.5,
        5,
    ),
    "pain_important_percent": Threshold(
        "Pain: important improvement (% of baseline)",
        "% of the baseline mean",
        "Ostelo 2008, Spine 33:90: 30% improvement from baseline",
        10,
        80,
    ),
    "psfs_important_points": Threshold(
        "PSFS: important change on the mean",
        "points on the 0-10 mean",
        "Stratford 1995; Horn 2012: 2 points on the mean",
        0.5,
        5,
    ),
    "odi_important_points": Threshold(
        "ODI: important change (points)",
        "points on the 0-100 index",
        "Ostelo 2008, Spine 33:90: 10 points or 30%",
        2,
        30,
    ),
    "odi_important_percent": Threshold(
        "ODI: important improvement (% of baseline)",
        "% of the baseline score",
        "Ostelo 2008, Spine 33:90: 10 points or 30%",
        10,
        80,
    ),
    "fair_adherence_percent": Threshold(
        "Fair adherence",
        "% of prescribed brace hours or exercise sessions",
        "../shared/clinical.md and issue 6: below 70% the trial has not really been done",
        30,
        100,
    ),
    "adherence_window_days": Threshold(
        "Adherence window",
        "days, ending today",
        "Issue 6: adherence over the last 4 weeks",
        7,
        56,
    ),
    "too_early_weeks": Threshold(
        "Too early to judge before",
        "weeks of conservative care",
        "Issue 6: under 6 weeks of care is too early to judge",
        1,
        26,
    ),
    "min_checkins_per_week": Threshold(
        "Fewest check-ins a week to judge",
        "check-ins a week, on average since logging began",
        "Issue 6: under 4 check-ins a week is too early to judge",
        1,
        7,
    ),
    "plateau_weeks": Threshold(
        "Plateau from",
        "weeks of conservative care",
        "Issue 6: 12 weeks with fair adherence and no important change; O'Sullivan 1997 "
        "(10-week stabilisation programme), brace 3-4 months (Steiner & Micheli 1985)",
        4,
        52,
    ),
    "referral_weeks": Threshold(
        "Conservative care failed after",
        "weeks of conservative care",
        "About 6 months (26 weeks): Global Spine J 2018 PMC5898678; BMC MSK 2020 "
        "s12891-020-03940-9; StatPearls, Lumbosacral spondylolisthesis",
        8,
        104,
    ),
    "baseline_days": Threshold(
        "Baseline window",
        "days from the first check-in",
        "../shared/clinical.md: the patient's own baseline, the first 7-14 days of logs",
        7,
        28,
    ),
    "recent_days": Threshold(
        "Recent window",
        "days, ending today",
        "Issue 6: pain now as the 7-day mean",
        3,
        28,
    ),
    "min_window_entries": Threshold(
        "Fewest check-ins in a window",
        "check-ins",
        "Product choice: a mean of fewer than 4 days moves too much from one bad day; "
        "4 matches the 4-a-week logging rule",
        1,
        14,
    ),
    "referral_slip_grade": Threshold(
        "High-grade slip from",
        "Meyerding grade (3 = III, over 50%)",
        "Global Spine J 2018 PMC5898678: slip over 50% (Meyerding III+) is a reason to refer",
        2,
        5,
    ),
    "slip_progression_points": Threshold(
        "Slip progression",
        "percentage points of slip, first imaging to latest",
        "Product choice: repeat slip measurements differ by several percentage points between "
        "readers and between standing X-ray and supine CT/MRI, so smaller rises are noise",
        1,
        25,
    ),
    "radicular_window_days": Threshold(
        "Radicular symptom window",
        "days: the last N days against the N days before",
        "Product choice for 'worsening over the last weeks' (../shared/clinical.md, NICE NG59): "
        "4 weeks against the 4 before",
        7,
        56,
    ),
    "radicular_worsening_percent": Threshold(
        "Radicular symptom worsening",
        "percentage points more of logged days with the symptom",
        "Product choice: about 2 more days a week with leg weakness or numbness than before",
        5,
        100,
    ),
    "sensor_worn_celsius": Threshold(
        "Brace sensor: worn from",
        "degrees C at the sensor",
        "Ehrmann 2018 (issue 17): ROC cut-off 25 °C, sensitivity 95.3%, specificity 99.8% "
        "(not checked against the paper here)",
        20,
        35,
    ),
    "sensor_hysteresis_celsius": Threshold(
        "Brace sensor: hysteresis band",
        "degrees C below the threshold before 'worn' turns 'not worn'",
        "Product choice: 0.5 °C, the iButton DS1921G's resolution, so one reading wobbling "
        "around the threshold does not count as taking the brace off; 0 turns it off",
        0,
        3,
    ),
}


@dataclass(frozen=True)
class Thresholds:
    """The assessment's thresholds; the defaults are the values in ../shared/clinical.md."""

    pain_important_points: float = 2.0
    pain_important_percent: float = 30.0
    psfs_important_points: float = 2.0
    odi_important_points: float = 10.0
    odi_important_percent: float = 30.0
    fair_adherence_percent: float = 70.0
    adherence_window_days: int = 28
    too_early_weeks: int = 6
    min_checkins_per_week: float = 4.0
    plateau_weeks: int = 12
    referral_weeks: int = 26
    baseline_days: int = 14
    recent_days: int = 7
    min_window_entries: int = 4
    referral_slip_grade: int = 3
    slip_progression_points: float = 5.0
    radicular_window_days: int = 28
    radicular_worsening_percent: float = 25.0
    sensor_worn_celsius: float = 25.0
    sensor_hysteresis_celsius: float = 0.5

    def with_overrides(self, overrides: dict[str, object]) -> "Thresholds":
        """These thresholds with every non-None override applied (unknown names are an error)."""
        unknown = set(overrides) - {f.name for f in fields(self)}
        if unknown:
            raise TypeError(f"Unknown thresholds: {', '.join(sorted(unknown))}")
        changed = {
            name: type(getattr(self, name))(value)  # int stays int, Decimal becomes float
            for name, value in overrides.items()
            if value is not None
        }
        return replace(self, **changed)

    def problems(self) -> list[str]:
        """Combinations that make the rules contradict each other, in plain sentences."""
        found = []
        if self.too_early_weeks > self.plateau_weeks:
            found.append("'Too early' must end no later than the plateau week.")
        if self.plateau_weeks > self.referral_weeks:
            found.append("The plateau week must come no later than the referral week.")
        if self.min_window_entries > self.recent_days:
            found.append("The recent window cannot need more check-ins than it has days.")
        return found


DEFAULTS = Thresholds()

if set(THRESHOLD_INFO) != {f.name for f in fields(Thresholds)}:
    raise RuntimeError("THRESHOLD_INFO must describe every threshold, with its source.")


def describe_default(name: str) -> str:
    """Help text for an override field: the default, its unit and its source."""
    info = THRESHOLD_INFO[name]
    default = getattr(DEFAULTS, name)
    return f"Default {default:g} ({info.unit}). Source: {info.source}. Leave blank for the default."
