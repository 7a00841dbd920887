"""Reading brace sensor files and measuring the hours worn per local day (the pure part):
files made by the generator from a known wear pattern come back within one sampling interval."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from rehab.sensors.formats import DateOrder, SensorFileError, read_sensor_file
from rehab.sensors.wear import hours_per_day, worn_flags
from tests.sensor_files import (
    evening_and_night,
    expected_hours,
    ibutton_file,
    orthotimer_file,
    samples,
)

LONDON = ZoneInfo("Europe/London")
BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


def _measure(reading, zone):
    return hours_per_day(reading.samples, reading.interval, zone=zone, worn_celsius=25.0, band=0.5)


def _assert_within_one_interval(wear, zone, pattern, minutes):
    assert wear.days, "no full day was measured"
    for day in wear.days:
        assert abs(float(day.hours) - expected_hours(day.day, zone, pattern)) <= minutes / 60, day


CASES = {
    "orthotimer-15-min": dict(fmt="orthotimer", minutes=15, zone=LONDON, options={}),
    "orthotimer-20-min-semicolons-decimal-commas": dict(
        fmt="orthotimer", minutes=20, zone=BERLIN, options={"separator": ";", "decimal_comma": True}
    ),
    "ibutton-uk-12-hour": dict(fmt="ibutton", minutes=10, zone=LONDON, options={}),
    "ibutton-german-semicolons-decimal-commas-24-hour": dict(
        fmt="ibutton",
        minutes=10,
        zone=BERLIN,
        options={"separator": ";", "decimal_comma": True, "twelve_hour": False},
    ),
    "ibutton-us-month-first": dict(
        fmt="ibutton", minutes=30, zone=NEW_YORK, options={"month_first": True}
    ),
    "ibutton-cp1252": dict(fmt="ibutton", minutes=10, zone=LONDON, options={"encoding": "cp1252"}),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_it_measures_the_known_hours_per_day_in_each_format_and_locale(case):
    zone, minutes = case["zone"], case["minutes"]
    pattern = evening_and_night(zone)
    # Across the end of October: the clocks go back in Europe (25-hour day) and in the US.
    start = dt.datetime(2025, 10, 20, 7, 3, tzinfo=zone)
    rows = samples(start, days=16, minutes=minutes, worn=pattern)
    if case["fmt"] == "orthotimer":
        content = orthotimer_file(rows, **case["options"])
    else:
        content = ibutton_file(rows, zone=zone, **case["options"])

    reading = read_sensor_file(content, serial="OT-1", zone=zone)
    wear = _measure(reading, zone)

    assert reading.interval == dt.timedelta(minutes=minutes)
    assert len(reading.samples) == len(rows)
    _assert_within_one_interval(wear, zone, pattern, minutes)
    assert wear.days[0].day == dt.date(2025, 10, 21)  # the partial first day is left out
    assert wear.partial_days[0] == dt.date(2025, 10, 20)


def test_it_counts_the_25_hour_day_when_the_clocks_go_back():
    pattern = evening_and_night(LONDON)
    rows = samples(dt.datetime(2025, 10, 24, tzinfo=LONDON), days=5, minutes=10, worn=pattern)

    reading = read_sensor_file(ibutton_file(rows, zone=LONDON), zone=LONDON)
    wear = _measure(reading, LONDON)

    by_day = {d.day: d for d in wear.days}
    autumn = by_day[dt.date(2025, 10, 26)]
    assert autumn.length_hours == 25
    assert float(autumn.hours) == pytest.approx(
        expected_hours(autumn.day, LONDON, pattern), abs=1 / 6
    )
    assert float(autumn.hours) > float(by_day[dt.date(2025, 10, 25)].hours) - 1


def test_it_counts_the_23_hour_day_when_the_clocks_go_forward():
    pattern = evening_and_night(LONDON)
    rows = samples(dt.datetime(2025, 3, 28, tzinfo=LONDON), days=4, minutes=15, worn=pattern)

    wear = _measure(read_sensor_file(orthotimer_file(rows), serial="OT-1", zone=LONDON), LONDON)

    spring = {d.day: d for d in wear.days}[dt.date(2025, 3, 30)]
    assert spring.length_hours == 23
    assert float(spring.hours) == pytest.approx(
        expected_hours(spring.day, LONDON, pattern), abs=0.25
    )


def test_it_leaves_a_day_with_a_gap_missing_never_not_worn():
    pattern = evening_and_night(LONDON)
    rows = samples(dt.datetime(2025, 6, 1, tzinfo=LONDON), days=4, minutes=15, worn=pattern)
    # Two hours without samples on 2 June: the logger was out of the brace being read.
    gap_start = dt.datetime(2025, 6, 2, 13, tzinfo=LONDON)
    rows = [r for r in rows if not gap_start <= r[0] < gap_start + dt.timedelta(hours=2)]

    wear = _measure(read_sensor_file(orthotimer_file(rows), serial="OT-1", zone=LONDON), LONDON)

    assert dt.date(2025, 6, 2) not in {d.day for d in wear.days}
    assert dt.date(2025, 6, 2) in wear.partial_days
    assert {d.day for d in wear.days} == {dt.date(2025, 6, d) for d in (1, 3, 4)}


def test_it_keeps_worn_through_a_wobble_around_the_threshold():
    readings = [20.0, 25.0, 24.6, 25.1, 24.4, 20.0, 24.9, 25.0]

    flags = worn_flags(readings, worn_celsius=25.0, band=0.5)

    assert flags == [False, True, True, True, False, False, False, True]


def test_it_reads_day_first_dates_from_the_data_when_a_day_is_over_12():
    pattern = evening_and_night(LONDON)
    rows = samples(dt.datetime(2025, 2, 10, tzinfo=LONDON), days=5, minutes=10, worn=pattern)

    reading = read_sensor_file(ibutton_file(rows, zone=LONDON), zone=LONDON)

    assert reading.samples[0].at == rows[0][0]


def test_it_settles_ambiguous_dates_by_which_reading_runs_without_month_jumps():
    pattern = evening_and_night(NEW_YORK)
    # 1-5 February: every day and month is 12 or under, so both readings are dates.
    rows = samples(dt.datetime(2025, 2, 1, tzinfo=NEW_YORK), days=4, minutes=10, worn=pattern)

    day_first = read_sensor_file(ibutton_file(rows, zone=NEW_YORK), zone=NEW_YORK)
    month_first = read_sensor_file(
        ibutton_file(rows, zone=NEW_YORK, month_first=True), zone=NEW_YORK
    )

    assert day_first.samples[-1].at == month_first.samples[-1].at == rows[-1][0]


def test_it_asks_for_the_date_order_when_the_data_cannot_settle_it():
    pattern = evening_and_night(LONDON)
    rows = samples(dt.datetime(2025, 4, 3, 1, tzinfo=LONDON), days=0.5, minutes=10, worn=pattern)
    content = ibutton_file(rows, zone=LONDON)

    with pytest.raises(SensorFileError, match="Choose the date order"):
        read_sensor_file(content, zone=LONDON)
    chosen = read_sensor_file(content, zone=LONDON, date_order=DateOrder.MONTH_FIRST)

    assert chosen.samples[0].at.astimezone(LONDON).date() == dt.date(2025, 3, 4)


def test_it_reads_the_ibutton_registration_number_as_the_serial():
    rows = samples(
        dt.datetime(2025, 6, 20, tzinfo=LONDON), days=1, minutes=10, worn=lambda at: True
    )

    reading = read_sensor_file(ibutton_file(rows, zone=LONDON, registration="21AB"), zone=LONDON)

    assert (reading.kind, reading.serial) == ("ibutton", "21AB")


GOOD_ROWS = "Date (UTC),Time (UTC),Value\n01/06/2025,9:00 AM,31.5\n01/06/2025,9:15 AM,31.5\n"

BAD_FILES = {
    "empty": (b"", "empty"),
    "only-blank-lines": (b"\n\n  \n", "empty"),
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20, "binary"),
    "not-csv": (b"Dear doctor,\nplease find the readings attached.\n", "not an Orthotimer"),
    "wrong-columns": (b"Date,Temperature\n01/06/2025,31.5\n", "Wrong columns"),
    "too-hot": (GOOD_ROWS.replace("31.5\n01", "131.5\n01").encode(), "-40 to 85"),
    "too-cold": (GOOD_ROWS.replace("31.5\n01", "-60\n01").encode(), "-40 to 85"),
    "not-a-number": (GOOD_ROWS.replace("31.5\n01", "warm\n01").encode(), "not a temperature"),
    "nan": (GOOD_ROWS.replace("31.5\n01", "nan\n01").encode(), "-40 to 85"),
    "bad-date": (GOOD_ROWS.replace("01/06/2025,9:00", "31/02/2025,9:00").encode(), "not a date"),
    "one-sample": (GOOD_ROWS.rsplit("01/06", 1)[0].encode(), "fewer than two"),
    "backwards": (GOOD_ROWS.replace("9:15", "8:15").encode(), "time order"),
    "ibutton-without-registration": (
        b"Part Number: DS1921G\nDate/Time,Unit,Value\n01/06/25 9:00:00 AM,C,31\n",
        "Registration Number",
    ),
    "over-5-mb": (GOOD_ROWS.encode() + b"01/06/2025,9:30 AM,31.5\n" * 230_000, "limit is 5 MB"),
}


@pytest.mark.parametrize("case", BAD_FILES.values(), ids=BAD_FILES.keys())
def test_it_refuses_a_bad_file_with_a_message_that_says_why(case):
    content, message = case

    with pytest.raises(SensorFileError, match=message):
        read_sensor_file(content, serial="OT-1", zone=LONDON)
