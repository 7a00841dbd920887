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
    """None: no brace prescribed, logged or measured in the range. With hours measured by a
    sensor in the range, the table has them beside the reported hours (issue 17)."""
    shown = [
        (d, h, g, m)
        for d, h, g, m in zip(daily.days, daily.hours, daily.targets, daily.measured, strict=True)
        if h is not None or g is not None or m is not None
    ]
    if not shown:
        return None
    sensor = any(m is not None for *_, m in shown)
    if not weekly:
        return _daily_brace_table(shown, sensor)
    by_week: dict[dt.date, list[tuple[float | None, float | None, float | None]]] = defaultdict(
        list
    )
    for d, h, g, m in shown:
        by_week[week_start(d)].append((h, g, m))
    rows = []
    for monday, length in weeks:
        if monday not in by_week:
            continue
        worn = [h for h, _, _ in by_week[monday] if h is not None]
        due = [g for _, g, _ in by_week[monday] if g is not None]
        measured = [m for _, _, m in by_week[monday] if m is not None]
        extra = (f"{len(measured)} of {length}", _mean_text(measured)) if sensor else ()
        rows.append(
            (
                date_text(monday),
                f"{len(worn)} of {length}",
                _mean_text(worn),
                span_text(worn) if worn else "—",
                *extra,
                span_text(due) if due else "no brace due",
            )
        )
    headers = (
        "Week of",
        "Days logged",
        "Hours worn: mean",
        "Hours worn: fewest–most",
        *(("Days measured", "Hours measured: mean") if sensor else ()),
        "Target (hours a day)",
    )
    return Table(headers, rows, weekly=True)


def _mean_text(values: list[float]) -> str:
    return one_decimal(fmean(values)) if values else "—"


def _daily_brace_table(shown: list[tuple], sensor: bool) -> Table:
    if not sensor:
        rows = [
            (
                day_text(d),
                "not logged" if h is None else hours_text(h),
                "no brace due" if g is None else hours_text(g),
            )
            for d, h, g, _ in shown
        ]
        return Table(("Day", "Hours worn", "Target"), rows)
    rows = [
        (
            day_text(d),
            "not logged" if h is None else hours_text(h),
            "not measured" if m is None else hours_text(m),
            "no brace due" if g is None else hours_text(g),
        )
        for d, h, g, m in shown
    ]
    return Table(("Day", "Hours reported", "Hours measured (sensor)", "Target"), rows)


OVER_REPORTING_DAYS = 28  # the "over the last 4 weeks"


def over_reporting(daily: Daily, today: dt.date) -> str | None:
    """Reported against measured brace hours in words, over the last 4 weeks of the range and
    only the days that have both ("Reported 22 h a day, measured 15 h, over the last 4 weeks
    (20 days with both)."); None when no day has both."""
    first = daily.end - dt.timedelta(days=OVER_REPORTING_DAYS - 1)
    pairs = [
        (h, m)
        for d, h, m in zip(daily.days, daily.hours, daily.measured, strict=True)
        if d >= first and h is not None and m is not None
    ]
    if not pairs:
        return None
    span = min(OVER_REPORTING_DAYS, len(daily.days))
    period = "4 weeks" if span == OVER_REPORTING_DAYS else f"{span} day{'s' if span != 1 else ''}"
    when = f"the last {period}" if daily.end >= today else f"the {period} to {date_text(daily.end)}"
    reported = fmean(h for h, _ in pairs)
    measured = fmean(m for _, m in pairs)
    both = f"{len(pairs)} day{'s' if len(pairs) != 1 else ''} with both"
    return (
        f"Reported {hours_text(round(reported, 1))} h a day, measured "
        f"{hours_text(round(measured, 1))} h, over {when} ({both})."
    )


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
