"""A clinician on a phone imports a brace sensor file from the patient's rehab page, is told what
it found, and is told plainly when a file is refused."""

import datetime as dt

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, assert_no_horizontal_scroll, log_in
from tests.factories import PASSWORD
from tests.sensor_files import evening_and_night, orthotimer_file, samples


def test_it_imports_a_sensor_file_and_refuses_a_binary_one_on_a_phone(
    live_server, phone_page, clinician, patient, tmp_path
):
    page = phone_page
    start = dt.datetime.combine(
        patient.local_today() - dt.timedelta(days=12), dt.time(9, 7), tzinfo=patient.zone
    )
    good = tmp_path / "OT-4711.csv"
    good.write_bytes(orthotimer_file(samples(start, 10, 15, evening_and_night(patient.zone))))
    binary = tmp_path / "photo.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" * 40)
    log_in(page, live_server, "dr.okafor", PASSWORD)
    page.goto(f"{live_server.url}/rehab/patients/{patient.pk}/")

    page.get_by_role("link", name="Brace sensor files").click()
    page.get_by_label("Sensor file").set_input_files(str(good))
    page.get_by_role("button", name="Import").click()

    expect(page.get_by_role("status")).to_contain_text(
        "Imported Orthotimer OT-4711: 9 days, 15-minute samples"
    )
    expect(page.get_by_role("heading", name="Orthotimer OT-4711")).to_be_visible()
    assert_accessible(page)
    assert_no_horizontal_scroll(page)

    page.get_by_label("Sensor file").set_input_files(str(binary))
    page.get_by_role("button", name="Import").click()

    expect(page.get_by_text("This is a binary file")).to_be_visible()
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
