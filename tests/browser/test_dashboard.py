"""A clinician opens the dashboard, acknowledges a warning sign and opens a patient page whose
charts have drawn, at desktop and phone size."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, assert_no_horizontal_scroll, log_in
from tests.factories import PASSWORD, ImagingStudyFactory, rehab_brace, rehab_programme
from tests.helpers import history, open_alert


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_it_acknowledges_an_alert_and_draws_the_patient_charts(
    live_server, desktop_page, phone_page, clinician, patient, viewport
):
    page = desktop_page if viewport == "desktop" else phone_page
    history(patient, 50, pain=lambda n: 7 if n < 14 else 4)
    rehab_programme(patient, valid_from=patient.conservative_care_started)
    rehab_brace(patient, valid_from=patient.conservative_care_started)
    ImagingStudyFactory(patient=patient, taken_on=patient.local_today() - dt.timedelta(days=20))
    open_alert(patient)
    log_in(page, live_server, "dr.okafor", PASSWORD)

    page.goto(f"{live_server.url}/patients/")
    expect(page.get_by_role("heading", name="Warning signs to act on (1)")).to_be_visible()
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    page.get_by_role("button", name="Acknowledge").click()

    expect(page.get_by_text("acknowledged by you")).to_be_visible()
    assert page.get_by_role("heading", name="Warning signs to act on").count() == 0
    page.get_by_role("link", name="Maya Patel").click()

    # Waits for the patient page itself (the list has no canvas, and every() of none is true).
    page.wait_for_function(
        "() => { const cs = [...document.querySelectorAll('canvas[data-chart]')];"
        " return cs.length > 0 && cs.every(c => window.Chart && Chart.getChart(c)); }"
    )
    drawn = page.evaluate(
        """() => [...document.querySelectorAll('canvas[data-chart]')].map(c => {
            const chart = Chart.getChart(c);
            const pixels = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            let inked = 0;
            for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) inked++;
            return {kind: c.dataset.chart, sets: chart.data.datasets.length, inked};
        })"""
    )
    assert {d["kind"] for d in drawn} >= {"pain", "activities", "brace", "exercise"}
    assert all(d["sets"] > 0 and d["inked"] > 500 for d in drawn), drawn
    expect(page.get_by_text("Deciding reason:")).to_be_visible()
    expect(page.get_by_text("Acknowledged by Amara Okafor")).to_be_visible()
    page.get_by_text("Table of daily pain").click()
    expect(page.get_by_role("cell", name="7").first).to_be_visible()
    assert_accessible(page)
    assert_no_horizontal_scroll(page)

    # The quick range choices: a tap on "Whole of care" shows that range, marked as current.
    page.get_by_role("link", name="Whole of care").click()
    expect(page.get_by_role("link", name="Whole of care")).to_have_attribute("aria-current", "true")
    page.get_by_text("Table of daily pain").click()
    expect(page.get_by_role("cell", name="7").first).to_be_visible()
    assert_no_horizontal_scroll(page)


def test_it_shows_a_patient_their_progress_on_a_phone(live_server, phone_page, patient):
    history(patient, 40, pain=lambda n: 7 if n < 14 else 3)
    log_in(phone_page, live_server, "maya", PASSWORD)

    phone_page.locator("summary", has_text="Menu").click()  # on a phone, the nav's other pages
    phone_page.get_by_role("link", name="My progress").click()

    expect(phone_page.get_by_text("Your pain has gone down")).to_be_visible()
    expect(phone_page.get_by_role("img", name="Your pain each week")).to_be_visible()
    assert_accessible(phone_page)
    assert_no_horizontal_scroll(phone_page)


def test_it_shows_a_printable_referral_summary(live_server, desktop_page, clinician, patient):
    history(patient, 40)
    log_in(desktop_page, live_server, "dr.okafor", PASSWORD)

    desktop_page.goto(f"{live_server.url}/patients/{patient.pk}/referral/")
    assert_accessible(desktop_page)
    desktop_page.emulate_media(media="print")

    expect(desktop_page.get_by_role("navigation", name="Main")).not_to_be_visible()
    expect(desktop_page.get_by_role("heading", name="Pain trajectory")).to_be_visible()
