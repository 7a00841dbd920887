"""Issue 17 in a browser: a clinician on a desktop sees the hours a brace sensor measured beside
the hours the patient reported on the trends page, and "measured" in the dashboard's brace
column and the assessment's reason. The second test uploads a sensor file through the import
page first."""

import datetime as dt
from decimal import Decimal

from playwright.sync_api import expect

from rehab.models import BraceLog
from tests.browser.conftest import assert_accessible, assert_no_horizontal_scroll, log_in
from tests.factories import PASSWORD, measured_days, rehab_brace
from tests.helpers import history


def _reporting_22_hours(patient) -> list[dt.date]:
    """Eight weeks of care, a 20-hour brace, 22 hours reported every day of the last 4 weeks."""
    patient.conservative_care_started = patient.local_today() - dt.timedelta(weeks=8)
    patient.save()
    history(patient, 40, pain=lambda n: 5)
    rehab_brace(patient, valid_from=patient.conservative_care_started, hours="20")
    days = [patient.local_today() - dt.timedelta(days=n) for n in range(28)]
    for day in days:
        BraceLog.objects.create(patient=patient, day=day, hours=Decimal("22"))
    return days


def _sees_measured_on_dashboard_and_trends(page, live_server, words: str) -> None:
    page.goto(f"{live_server.url}/patients/")
    row = page.locator("tr.dash-row", has_text="Maya Patel")
    expect(row.locator('td[data-label^="Brace"]')).to_contain_text("measured")
    row.get_by_text("Why").click()
    expect(row.get_by_text("measured by sensor")).to_be_visible()
    assert_accessible(page)
    assert_no_horizontal_scroll(page)

    row.get_by_role("link", name="Maya Patel").click()
    expect(page.get_by_text(words)).to_be_visible()
    page.wait_for_function(
        "() => { const c = document.querySelector('canvas[data-chart=brace]');"
        " return c && window.Chart && Chart.getChart(c); }"
    )
    labels = page.evaluate(
        "() => Chart.getChart(document.querySelector('canvas[data-chart=brace]'))"
        ".data.datasets.map(d => d.label)"
    )
    assert labels == ["Hours reported", "Hours measured (sensor)", "Target"]
    page.get_by_text("Table of brace hours").click()
    expect(page.get_by_role("columnheader", name="Hours measured (sensor)")).to_be_visible()
    assert_accessible(page)
    assert_no_horizontal_scroll(page)


def test_a_clinician_sees_measured_against_reported_brace_hours(
    live_server, desktop_page, clinician, patient
):
    days = _reporting_22_hours(patient)
    measured_days(patient, dict.fromkeys(days, 9))
    log_in(desktop_page, live_server, "dr.okafor", PASSWORD)

    _sees_measured_on_dashboard_and_trends(
        desktop_page,
        live_server,
        "Reported 22 h a day, measured 9 h, over the last 4 weeks (28 days with both).",
    )


def _orthotimer_file(first: dt.date, days: int) -> bytes:
    """An Orthotimer export, 15-minute samples: worn 21:00 to 06:00 UTC (9 h) every night."""
    lines = ["Date (UTC),Time (UTC),Value"]
    at = dt.datetime(first.year, first.month, first.day, tzinfo=dt.UTC)
    for _ in range(days * 96):
        worn = at.hour >= 21 or at.hour < 6
        clock = f"{int(at.strftime('%I'))}:{at:%M} {at:%p}"
        lines.append(f"{at:%d/%m/%Y},{clock},{32.0 if worn else 21.0}")
        at += dt.timedelta(minutes=15)
    return ("\r\n".join(lines) + "\r\n").encode()


def test_a_clinician_uploads_a_sensor_file_and_sees_measured_hours(
    live_server, desktop_page, clinician, patient
):
    days = _reporting_22_hours(patient)
    page = desktop_page
    log_in(page, live_server, "dr.okafor", PASSWORD)

    page.goto(f"{live_server.url}/rehab/patients/{patient.pk}/brace-sensor/")
    page.get_by_label("Sensor file").set_input_files(
        {
            "name": "orthotimer.csv",
            "mimeType": "text/csv",
            # From the day before the window up to midnight last night (no future samples): the
            # days in between are covered in full (the partial first and last are not stored).
            "buffer": _orthotimer_file(days[-1] - dt.timedelta(days=1), 28),
        }
    )
    page.get_by_role("button", name="Import").click()
    page.wait_for_load_state()

    _sees_measured_on_dashboard_and_trends(page, live_server, "measured 9 h, over the last 4 weeks")
