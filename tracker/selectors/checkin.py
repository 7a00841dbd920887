"""Reads for the daily diary: the patient's home summary, the pain chart and an entry's history."""

import dataclasses
import datetime as dt
from typing import Any

from django.db.models import QuerySet

from tracker.models import (
    Activity,
    DiaryEntry,
    DiaryEntryVersion,
    Medicine,
    PainReach,
    Patient,
    Side,
    WarningSign,
    WarningSignAlert,
)
from tracker.rules import checkin as diary_rules
from tracker.services.checkin import DiaryAnswers

CHART_DAYS = 30
# Geometry of the home page's pain chart, in SVG user units; CSS scales it to the screen.
_W, _H, _LEFT, _RIGHT, _TOP, _BOTTOM = 320, 140, 24, 6, 8, 20


@dataclasses.dataclass(frozen=True)
class ChartDay:
    day: dt.date
    pain_now: int | None
    pain_worst: int | None
    x: float
    y_now: float | None
    y_worst: float | None


@dataclasses.dataclass(frozen=True)
class PainChart:
    days: list[ChartDay]
    worst_lines: list[str]  # SVG polyline points, one per run of logged days
    now_lines: list[str]
    gridlines: list[tuple[int, float]]  # (pain value, y)
    width: int = _W
    height: int = _H
    left: int = _LEFT
    right_edge: int = _W - _RIGHT
    bottom_edge: int = _H - _BOTTOM

    @property
    def logged(self) -> list[ChartDay]:
        return [d for d in self.days if d.pain_worst is not None]

    @property
    def summary(self) -> str:
        logged = self.logged
        if not logged:
            return "No check-ins in the last 30 days yet."
        first, last = logged[0], logged[-1]
        return (
            f"{len(logged)} check-ins in the last 30 days. Worst pain was {first.pain_worst} "
            f"on {first.day:%-d %b} and {last.pain_worst} on {last.day:%-d %b}."
        )


def pain_chart(*, patient: Patient, end: dt.date, days: int = CHART_DAYS) -> PainChart:
    """The patient's pain now and worst pain for each of the `days` days up to `end`."""
    start = end - dt.timedelta(days=days - 1)
    values = dict(
        (d, (n, w))
        for d, n, w in DiaryEntry.objects.filter(
            patient=patient, day__range=(start, end)
        ).values_list("day", "pain_now", "pain_worst")
    )
    span_x = _W - _LEFT - _RIGHT
    span_y = _H - _TOP - _BOTTOM

    def y(value: int | None) -> float | None:
        return None if value is None else round(_TOP + span_y * (1 - value / 10), 1)

    chart_days = []
    for n in range(days):
        day = start + dt.timedelta(days=n)
        now, worst = values.get(day, (None, None))
        x = round(_LEFT + span_x * n / max(days - 1, 1), 1)
        chart_days.append(ChartDay(day, now, worst, x, y(now), y(worst)))

    def runs(attr: str) -> list[str]:
        lines, current = [], []
        for d in chart_days:
            if getattr(d, attr) is None:
                if current:
                    lines.append(" ".join(current))
                current = []
            else:
                current.append(f"{d.x},{getattr(d, attr)}")
        if current:
            lines.append(" ".join(current))
        return lines

    return PainChart(
        days=chart_days,
        worst_lines=runs("y_worst"),
        now_lines=runs("y_now"),
        gridlines=[(v, y(v)) for v in (0, 5, 10)],
    )


@dataclasses.dataclass(frozen=True)
class HomeSummary:
    today: dt.date
    today_entry: DiaryEntry | None
    open_days: list[dt.date]
    streak: int
    chart: PainChart
    open_alerts: list[WarningSignAlert]
    can_log: bool


def diary_home(*, patient: Patient, today: dt.date) -> HomeSummary:
    """What the patient's home page shows about their diary."""
    since = today - dt.timedelta(days=366)
    logged = set(
        DiaryEntry.objects.filter(patient=patient, day__gte=since).values_list("day", flat=True)
    )
    today_entry = DiaryEntry.objects.filter(patient=patient, day=today).first()
    return HomeSummary(
        today=today,
        today_entry=today_entry,
        open_days=diary_rules.open_days(today=today, enrolled_on=patient.enrolled_on, logged=logged)
        if patient.is_active
        else [],
        streak=diary_rules.streak(today=today, logged=logged),
        chart=pain_chart(patient=patient, end=today),
        open_alerts=list(
            WarningSignAlert.objects.filter(
                patient=patient, acknowledged_at__isnull=True, day__gte=today - dt.timedelta(7)
            )
        ),
        can_log=patient.is_active and today >= patient.enrolled_on,
    )


def entries_for(*, patient: Patient) -> QuerySet[DiaryEntry]:
    return (
        DiaryEntry.objects.filter(patient=patient)
        .select_related("created_by", "updated_by")
        .prefetch_related("activities")
    )


# -- an entry's versions, as a clinician or the patient reads them -------------------------------

_LABELS = {
    "pain_now": "Pain right now",
    "pain_worst": "Worst pain",
    "pain_reach": "How far the pain went",
    "pain_side": "Side",
    "leg_numbness": "Numb or tingly leg",
    "leg_weakness": "Weak leg",
    "night_pain": "Woken by pain at night",
    "medicine": "Pain medicine",
    "medicine_doses": "Doses",
    "note": "Note",
    **{sign.value: sign.label for sign in WarningSign},
}
_CHOICES: dict[str, Any] = {"pain_reach": PainReach, "pain_side": Side, "medicine": Medicine}


def _show(field: str, value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if field in _CHOICES and value:
        return str(_CHOICES[field](value).label)
    if value in ("", None):
        return "not given"
    return str(value)


@dataclasses.dataclass(frozen=True)
class Change:
    what: str
    before: str
    after: str


@dataclasses.dataclass(frozen=True)
class VersionView:
    version: DiaryEntryVersion
    changes: list[Change]  # empty for the first version


def _diff(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    changes = [
        Change(label, _show(key, old.get(key)), _show(key, new.get(key)))
        for key, label in _LABELS.items()
        if old.get(key) != new.get(key)
    ]
    old_acts, new_acts = old.get("activities", {}), new.get("activities", {})
    for activity in Activity:
        before, after = old_acts.get(activity.value), new_acts.get(activity.value)
        if before != after:
            changes.append(
                Change(
                    f"Pain from {activity.label.lower()}",
                    "not done" if before is None else f"{before}/10",
                    "not done" if after is None else f"{after}/10",
                )
            )
    return changes


def entry_versions(*, entry: DiaryEntry) -> list[VersionView]:
    """Every saved state of an entry, oldest first, each with what changed from the one before."""
    return version_views(list(entry.versions.select_related("recorded_by")))


def version_views(versions: list[DiaryEntryVersion]) -> list[VersionView]:
    """One entry's versions (oldest first, already fetched), each with what changed."""
    views, previous = [], None
    for version in versions:
        changes = [] if previous is None else _diff(previous, version.snapshot)
        views.append(VersionView(version, changes))
        previous = version.snapshot
    return views


def answers_for(*, patient: Patient, day: dt.date) -> DiaryAnswers | None:
    entry = entries_for(patient=patient).filter(day=day).first()
    return DiaryAnswers.of(entry) if entry else None


def changes_since(*, patient: Patient, day: dt.date, number: int) -> list[Change]:
    """What a day's diary says differently now than at its version `number` (0: not yet saved
    then, so what it says now), for a patient whose page was out of date."""
    versions = list(
        DiaryEntryVersion.objects.filter(entry__patient=patient, entry__day=day).order_by("number")
    )
    if not versions or versions[-1].number <= number:
        return []
    base = next((v.snapshot for v in versions if v.number == number), None)
    if base is None:
        unsaid = {"no", "not given", "not done"}
        return [c for c in _diff({}, versions[-1].snapshot) if c.after not in unsaid]
    return _diff(base, versions[-1].snapshot)
