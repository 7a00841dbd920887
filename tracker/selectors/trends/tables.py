"""The tables under the trends page's charts, ready to print: rows of display strings, daily for
short ranges and weekly for long ones (docs/dashboard.md)."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from statistics import fmean

from rehab.adherence import AdherenceSummary, week_start, whole_sessions
from tracker.models import Activity
from tracker.rules.thresholds import Thresholds
from tracker.selectors.trends.days import Daily
from tracker.templatetags.dashboard import one_decimal, pct_down

# Short names for chart legends and table headers; the check-in's labels are for a 12-year-old.
ACTIVITY_SHORT = {
    Activity.WALKING: "Walking",
    Activity.SITTING: "Sitting",
    Activity.STANDING: "Standing",
    Activity.RUNNING: "Running",
    Activity.SPORT: "Sport",
    Activity.LIFTING: "Lifting",
    Activity.ARCHING: "Arching",
    Activity.TWISTING: "Twisting",
    Activity.SCHOOL_WORK: "School/work",
}


# The template filters' "D j M Y" and "j M Y" (English), without a translation look-up per cell.
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def date_text(day: dt.date) -> str:
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def day_text(day: dt.date) -> str:
    return f"{_WEEKDAYS[day.weekday()]} {date_text(day)}"


def hours_text(value: float | None) -> str:
    """Like floatformat:"-1": one decimal, none when whole (20, 7.5)."""
    if value is None:
        return "—"
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def span_text(values: list[float]) -> str:
    low, high = min(values), max(values)
    return hours_text(low) if low == high else f"{hours_text(low)}–{hours_text(high)}"


@dataclass(frozen=True)
class Table:
    """A chart's table alternative, ready to print: column headers and rows of display strings
    (the first cell of a row is its header). `weekly`: one row a week, not a day."""

    headers: tuple[str, ...]
    rows: list[tuple[str, ...]]
    weekly: bool = False


def weeks_of(start: dt.date, end: dt.date) -> list[tuple[dt.date, int]]:
    """Each week (its Monday) touching [start, end], with the number of its days in the range."""
    result = []
    monday = week_start(start)
    while monday <= end:
        first, last = max(monday, start), min(monday + dt.timedelta(days=6), end)
        result.append((monday, (last - first).days + 1))
        monday += dt.timedelta(days=7)
    return result


def pain_table(
    daily: Daily, t: Thresholds, weekly: bool, weeks: list[tuple[dt.date, int]]
) -> Table:
    days, now, worst, mean7 = daily.days, daily.pain_now, daily.pain_worst, daily.mean7
    if not weekly:
        rows = [
            (day_text(d), str(n), str(w), one_decimal(m))
            for d, n, w, m in zip(days, now, worst, mean7, strict=True)
            if n is not None
        ]
        return Table(("Day", "Pain now", "Worst pain", f"{t.recent_days}-day mean"), rows)
    by_week: dict[dt.date, list[tuple[int, int]]] = defaultdict(list)
    for d, n, w in zip(days, now, worst, strict=True):
        if n is not None:
            by_week[week_start(d)].append((n, w))
    rows = []
    for monday, length in weeks:
        found = by_week.get(monday, [])
        nows, worsts = [n for n, _ in found], [w for _, w in found]
        rows.append(
            (
                date_text(monday),
                f"{len(found)} of {length}",
                one_decimal(fmean(nows)) if nows else "—",
                span_text(nows) if nows else "—",
                one_decimal(fmean(worsts)) if worsts else "—",
                str(max(worsts)) if worsts else "—",
            )
        )
    headers = (
        "Week of",
        "Days logged",
        "Pain now: mean",
        "Pain now: lowest–highest",
        "Worst pain: mean",
        "Worst pain: highest",
    )
    return Table(headers, rows, weekly=True)


def brace_table(daily: Daily, weekly: bool, weeks: list[tuple[dt.date, int]]) -> Table | None:
    """None: no brace prescribed or logged in the range."""
    shown = [
        (d, h, g)
        for d, h, g in zip(daily.days, daily.hours, daily.targets, strict=True)
        if h is not None or g is not None
    ]
    if not shown:
        return None
    if not weekly:
        rows = [
            (
                day_text(d),
                "not logged" if h is None else hours_text(h),
                "no brace due" if g is None else hours_text(g),
            )
            for d, h, g in shown
        ]
        return Table(("Day", "Hours worn", "Target"), rows)
    by_week: dict[dt.date, list[tuple[float | None, float | None]]] = defaultdict(list)
    for d, h, g in shown:
        by_week[week_start(d)].append((h, g))
    rows = []
    for monday, length in weeks:
        if monday not in by_week:
            continue
        worn = [h for h, _ in by_week[monday] if h is not None]
        due = [g for _, g in by_week[monday] if g is not None]
        rows.append(
            (
                date_text(monday),
                f"{len(worn)} of {length}",
                one_decimal(fmean(worn)) if worn else "—",
                span_text(worn) if worn else "—",
                span_text(due) if due else "no brace due",
            )
        )
    headers = (
        "Week of",
        "Days logged",
        "Hours worn: mean",
        "Hours worn: fewest–most",
        "Target (hours a day)",
    )
    return Table(headers, rows, weekly=True)


def activity_table(mondays: list[dt.date], means: dict[Activity, list[float | None]]) -> Table:
    """Pain each activity provoked, a row a week with any."""
    rows = [
        (date_text(w), *(one_decimal(means[a][i]) for a in Activity))
        for i, w in enumerate(mondays)
        if any(means[a][i] is not None for a in Activity)
    ]
    return Table(("Week of", *(ACTIVITY_SHORT[a] for a in Activity)), rows, weekly=True)


def adherence_table(adherence: AdherenceSummary) -> Table:
    return Table(
        ("Week of", "Exercises", "Sessions done / prescribed", "Brace"),
        [
            (
                date_text(w.week),
                pct_down(w.exercise),
                "{} / {}".format(*whole_sessions(w.sessions_done, w.sessions_prescribed)),
                pct_down(w.brace),
            )
            for w in adherence.weeks
        ],
        weekly=True,
    )
