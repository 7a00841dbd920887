"""A patient's "today" is the calendar day in their own time zone."""

import datetime as dt

import pytest

pytestmark = pytest.mark.django_db

UTC = dt.UTC


@pytest.mark.parametrize(
    ("zone", "utc_moment", "expected_day"),
    [
        # 00:30 in Sydney on 5 March is still 4 March in UTC.
        ("Australia/Sydney", dt.datetime(2026, 3, 4, 13, 30, tzinfo=UTC), dt.date(2026, 3, 5)),
        # 23:30 in Los Angeles on 4 March is already 5 March in UTC.
        ("America/Los_Angeles", dt.datetime(2026, 3, 5, 7, 30, tzinfo=UTC), dt.date(2026, 3, 4)),
        ("Europe/London", dt.datetime(2026, 7, 1, 23, 30, tzinfo=UTC), dt.date(2026, 7, 2)),
    ],
    ids=["sydney-00h30", "los-angeles-23h30", "london-summer-time"],
)
def test_it_uses_the_patients_own_time_zone(patient, zone, utc_moment, expected_day):
    patient.time_zone = zone
    patient.save()

    assert patient.local_today(utc_moment) == expected_day


def test_it_falls_back_to_the_clinics_time_zone(patient):
    patient.time_zone = ""
    patient.clinic.time_zone = "Pacific/Auckland"
    patient.clinic.save()

    moment = dt.datetime(2026, 1, 1, 12, 0, tzinfo=UTC)  # 01:00 on 2 January in Auckland
    assert patient.local_today(moment) == dt.date(2026, 1, 2)
