"""A clinician on a phone or desktop records imaging, sees a flagged slip, and adds a note."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, assert_no_horizontal_scroll, log_in
from tests.factories import PASSWORD, ImagingStudyFactory


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_it_records_imaging_and_a_note_from_the_patient_page(
    live_server, desktop_page, phone_page, clinician, patient, viewport
):
    page = desktop_page if viewport == "desktop" else phone_page
    ImagingStudyFactory(
        patient=patient,
        taken_on=patient.local_today() - dt.timedelta(weeks=20),
        slip_percent=20,
        slip_grade=1,
    )
    log_in(page, live_server, "dr.okafor", PASSWORD)
    page.goto(f"{live_server.url}/patients/{patient.pk}/")
    page.get_by_role("link", name="Add imaging").click()
    assert_accessible(page)

    page.get_by_label("X-ray").check()
    page.get_by_label("Slip (%)").fill("30")
    page.get_by_label("Meyerding grade").select_option("1")
    page.get_by_role("button", name="Save imaging").click()

    expect(page.get_by_text("A 30% slip is Meyerding grade II, not grade I")).to_be_visible()
    page.get_by_label("Meyerding grade").select_option("")
    page.get_by_role("button", name="Save imaging").click()
    expect(page.get_by_text("Slip grew 10 points since first imaging")).to_be_visible()
    assert_accessible(page)
    assert_no_horizontal_scroll(page)

    page.get_by_role("link", name=str(patient)).click()
    page.get_by_role("link", name="Add a note").click()
    page.get_by_role("textbox", name="Note").fill("Slip up 10 points: discuss a surgical opinion.")
    page.get_by_role("button", name="Save note").click()

    expect(page.get_by_text("Slip up 10 points: discuss a surgical opinion.")).to_be_visible()
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
