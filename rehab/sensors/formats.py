"""Read a brace temperature logger's export into samples (pure: bytes in, plain values out).

Two formats (docs/brace-sensors.md):
- Orthotimer: a CSV per sensor with the columns `Date (UTC)` (dd/MM/yyyy), `Time (UTC)`
  (h:mm AM/PM) and `Value` (degrees C). The file names no serial: the caller gives one.
- iButton (OneWireViewer): metadata lines (part number, registration number, sample rate,
  mission start), then `Date/Time,Unit,Value` rows (`21/08/16 9:05:00 PM,C,7.5`) in the exporting
  computer's date format and local time, possibly `;`-separated with decimal commas (`7,5`).

Every problem is a `SensorFileError` whose message is shown to the clinician as it is.
"""

import csv
import datetime as dt
import functools
import io
import re
from collections import Counter
from dataclasses import dataclass
from enum import Enum
from zoneinfo import ZoneInfo

MAX_BYTES = 5 * 1024 * 1024
# The DS1921G thermochron's measuring range (the widest of the loggers read here): a reading
# outside it is not a temperature the logger could have recorded, so the file is corrupt.
MIN_CELSIUS = -40.0
MAX_CELSIUS = 85.0
# The longest sampling interval taken as a wear record (iButtons allow up to 255 min).
MAX_INTERVAL = dt.timedelta(hours=4)

ORTHOTIMER_COLUMNS = ("Date (UTC)", "Time (UTC)", "Value")
IBUTTON_COLUMNS = ("Date/Time", "Unit", "Value")
UTC = dt.UTC


# Control characters other than tab and line ends: no CSV export has them, binary files do.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class SensorFileError(ValueError):
    """The file cannot be imported; the message says why, in the clinician's words."""


class DateOrder(Enum):
    DAY_FIRST = "day"
    MONTH_FIRST = "month"


@dataclass(frozen=True)
class Sample:
    at: dt.datetime  # aware, UTC
    celsius: float


@dataclass(frozen=True)
class SensorReading:
    """A whole file, read: which logger, its samples in time order and its sampling interval."""

    kind: str  # "orthotimer" or "ibutton" (rehab.models.SensorKind values)
    serial: str
    samples: list[Sample]
    interval: dt.timedelta


def text_of(content: bytes) -> str:
    """The file as text, or a clear refusal for an empty, oversized or binary file."""
    if not content.strip():
        raise SensorFileError("The file is empty.")
    if len(content) > MAX_BYTES:
        raise SensorFileError(
            f"The file is {len(content) / 1024 / 1024:.1f} MB; the limit is "
            f"{MAX_BYTES // 1024 // 1024} MB. Export a shorter period."
        )
    if b"\x00" in content:
        raise SensorFileError("This is a binary file, not a CSV export from the sensor's software.")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _CONTROL.search(text):
            break
        return text
    raise SensorFileError("This is a binary file, not a CSV export from the sensor's software.")


def read_sensor_file(
    content: bytes,
    *,
    serial: str = "",
    zone: ZoneInfo,
    date_order: DateOrder | None = None,
) -> SensorReading:
    """Detect the format and read the file. `serial` names an Orthotimer (its file has none);
    `zone` is the zone an iButton's local times are read in; `date_order` settles iButton dates
    the data leave ambiguous."""
    lines = text_of(content).splitlines()
    header_at = _header_line(lines)
    if header_at is None:
        raise SensorFileError(
            "This is not an Orthotimer or iButton export: no line with the columns "
            f"{', '.join(ORTHOTIMER_COLUMNS)} (Orthotimer) or {', '.join(IBUTTON_COLUMNS)} "
            "(iButton, OneWireViewer) was found."
        )
    kind, at = header_at
    body = lines[at:]
    if kind == "orthotimer":
        if not serial.strip():
            raise SensorFileError("An Orthotimer file names no sensor: give the sensor's serial.")
        samples = _orthotimer_samples(body)
        return _reading("orthotimer", serial.strip(), samples)
    registration = _ibutton_registration(lines[:at])
    samples = _ibutton_samples(body, zone=zone, date_order=date_order)
    return _reading("ibutton", registration, samples)


def _header_line(lines: list[str]) -> tuple[str, int] | None:
    for number, line in enumerate(lines[:60]):
        cells = [c.strip().strip('"').strip() for c in re.split(r"[,;\t]", line)]
        if tuple(cells[:3]) == ORTHOTIMER_COLUMNS:
            return "orthotimer", number
        if tuple(cells[:3]) == IBUTTON_COLUMNS:
            return "ibutton", number
    if lines and any(name in lines[0] for name in ("Date", "Value", "Time")):
        found = ", ".join(c.strip() for c in re.split(r"[,;\t]", lines[0]) if c.strip())
        raise SensorFileError(
            f"Wrong columns: the file has {found[:120]}; an Orthotimer export has "
            f"{', '.join(ORTHOTIMER_COLUMNS)} and an iButton export {', '.join(IBUTTON_COLUMNS)}."
        )
    return None


def _rows(body: list[str]) -> tuple[list[str], list[list[str]]]:
    """Header and data rows, with the separator the header uses (`,`, `;` or a tab)."""
    header = body[0]
    delimiter = max(",;\t", key=header.count)
    reader = csv.reader(io.StringIO("\n".join(body)), delimiter=delimiter)
    rows = [[cell.strip() for cell in row] for row in reader if any(c.strip() for c in row)]
    return rows[0], rows[1:]


def _celsius(text: str, line: int, unit: str = "C") -> float:
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        raise SensorFileError(f"Row {line}: “{text[:20]}” is not a temperature.") from None
    if unit.upper().lstrip("°") == "F":
        value = (value - 32) * 5 / 9
    if not MIN_CELSIUS <= value <= MAX_CELSIUS:  # also refuses NaN
        raise SensorFileError(
            f"Row {line}: {text[:20]} °C is outside the range a brace sensor can measure "
            f"({MIN_CELSIUS:g} to {MAX_CELSIUS:g} °C): the file looks damaged."
        )
    return value


def _orthotimer_samples(body: list[str]) -> list[Sample]:
    header, rows = _rows(body)
    date_col, time_col, value_col = (header.index(name) for name in ORTHOTIMER_COLUMNS)
    samples = []
    for line, row in enumerate(rows, start=2):
        # A `,`-separated file with a decimal comma splits the value in two cells.
        if len(row) == len(header) + 1 and value_col == len(header) - 1:
            row = [*row[:value_col], f"{row[value_col]}.{row[value_col + 1]}"]
        if len(row) < len(header):
            raise SensorFileError(f"Row {line} has {len(row)} columns; expected {len(header)}.")
        stamp = f"{row[date_col]} {row[time_col].upper()} +0000"
        at = None
        for layout in ("%d/%m/%Y %I:%M %p %z", "%d/%m/%Y %I:%M:%S %p %z"):
            try:
                at = dt.datetime.strptime(stamp, layout)  # noqa: DTZ007 (layout ends in %z)
                break
            except ValueError:
                continue
        if at is None:
            raise SensorFileError(
                f"Row {line}: “{row[date_col][:12]} {row[time_col][:12]}” is not a date "
                "(dd/MM/yyyy) and time (h:mm AM/PM) in UTC."
            )
        samples.append(Sample(at, _celsius(row[value_col], line)))
    return samples


def _ibutton_registration(meta: list[str]) -> str:
    for line in meta:
        key, _, value = line.partition(":")
        if "registration number" in key.lower() and value.strip():
            return value.strip()[:64]
    raise SensorFileError(
        "The iButton file has no “Registration Number” line before its data, so the sensor "
        "cannot be identified. Export it again from OneWireViewer with its mission details."
    )


_IBUTTON_TIME = re.compile(
    r"^(\d{1,4})[./-](\d{1,2})[./-](\d{1,4})[ T]+(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?"
    r"\s*([AaPp]\.?[Mm]\.?)?$"
)


def _ibutton_cells(body: list[str]) -> list[tuple[int, tuple, float]]:
    """(row number, date and time parts, degrees C) of each data row."""
    header, rows = _rows(body)
    when_col, unit_col, value_col = (header.index(name) for name in IBUTTON_COLUMNS)
    cells = []
    for line, row in enumerate(rows, start=2):
        if len(row) == len(header) + 1 and value_col == len(header) - 1:
            row = [*row[:value_col], f"{row[value_col]}.{row[value_col + 1]}"]
        if len(row) < len(header):
            raise SensorFileError(f"Row {line} has {len(row)} columns; expected {len(header)}.")
        match = _IBUTTON_TIME.match(row[when_col])
        if match is None:
            raise SensorFileError(f"Row {line}: “{row[when_col][:30]}” is not a date and time.")
        cells.append((line, match.groups(), _celsius(row[value_col], line, row[unit_col])))
    return cells


def _naive(parts: tuple, order: DateOrder, line: int) -> dt.datetime:
    first, second, third, hour, minute, second_of_minute, meridiem = parts
    year, month, day = _ymd(first, second, third, order)
    hour = int(hour)
    if meridiem:
        if not 1 <= hour <= 12:
            raise SensorFileError(f"Row {line}: {hour} is not an hour on a 12-hour clock.")
        hour = hour % 12 + (12 if meridiem[0] in "Pp" else 0)
    try:
        return dt.datetime(year, month, day, hour, int(minute), int(second_of_minute or 0))  # noqa: DTZ001
    except ValueError:
        raise SensorFileError(f"Row {line}: the date or time does not exist.") from None


@functools.lru_cache(maxsize=4096)
def _ymd(first: str, second: str, third: str, order: DateOrder) -> tuple[int, int, int]:
    """Year, month, day of a date's three fields (a file has a few hundred distinct dates)."""
    if len(first) == 4:  # year first (ISO): never ambiguous
        return int(first), int(second), int(third)
    year = int(third) + (2000 if len(third) <= 2 else 0)
    day, month = int(first), int(second)
    if order is DateOrder.MONTH_FIRST:
        day, month = month, day
    return year, month, day


def _date_order(cells: list[tuple[int, tuple, float]], chosen: DateOrder | None) -> DateOrder:
    """Day or month first: from the data when they settle it, else the clinician's choice."""
    pairs = {(int(p[0]), int(p[1])) for _, p, _ in cells if len(p[0]) <= 2}
    can_be_day_first = all(month <= 12 for _, month in pairs)
    can_be_month_first = all(month <= 12 for month, _ in pairs)
    if not (can_be_day_first or can_be_month_first):
        raise SensorFileError("The dates mix day-first and month-first: the file is damaged.")
    if not can_be_month_first:
        return DateOrder.DAY_FIRST
    if not can_be_day_first:
        return DateOrder.MONTH_FIRST
    if all(a == b for a, b in pairs):
        return DateOrder.DAY_FIRST  # the same dates either way
    # Both read as dates: the wrong reading jumps a month at each change of day (or goes back).
    spans = {}
    for order in DateOrder:
        try:
            times = [_naive(parts, order, line) for line, parts, _ in cells]
        except SensorFileError:
            continue
        if all(b > a for a, b in zip(times, times[1:], strict=False)):
            spans[order] = times[-1] - times[0]
    if len(spans) == 1:
        return next(iter(spans))
    if chosen is not None:
        return chosen
    if len(spans) == 2 and spans[DateOrder.DAY_FIRST] != spans[DateOrder.MONTH_FIRST]:
        return min(spans, key=spans.get)
    raise SensorFileError(
        "The dates in this file read as day/month and as month/day alike. Choose the date "
        "order the exporting computer uses, and import again."
    )


def _ibutton_samples(
    body: list[str], *, zone: ZoneInfo, date_order: DateOrder | None
) -> list[Sample]:
    cells = _ibutton_cells(body)
    if not cells:
        return []
    order = _date_order(cells, date_order)
    samples: list[Sample] = []
    previous: dt.datetime | None = None
    for line, parts, celsius in cells:
        local = _naive(parts, order, line)
        at = local.replace(tzinfo=zone).astimezone(UTC)
        if previous is not None and at <= previous:
            # The hour the clocks go back is shown twice: the second time is the later one.
            at = local.replace(tzinfo=zone, fold=1).astimezone(UTC)
        samples.append(Sample(at, celsius))
        previous = at
    return samples


def _reading(kind: str, serial: str, samples: list[Sample]) -> SensorReading:
    if len(samples) < 2:
        raise SensorFileError("The file has fewer than two samples: there is nothing to measure.")
    steps = []
    for number, (before, after) in enumerate(zip(samples, samples[1:], strict=False), start=3):
        step = after.at - before.at
        if step <= dt.timedelta(0):
            raise SensorFileError(
                f"Row {number} is not later than the row before: the samples must be in time order."
            )
        steps.append(step)
    interval = Counter(steps).most_common(1)[0][0]
    if interval > MAX_INTERVAL:
        raise SensorFileError(
            f"The samples are {interval} apart; a wear record needs at most "
            f"{MAX_INTERVAL.seconds // 3600} hours between samples."
        )
    return SensorReading(kind=kind, serial=serial[:64], samples=samples, interval=interval)
