"""A clinician adds a patient; the invite link lets that patient set a password and log in."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, assert_no_horizontal_scroll, log_in
from tests.factories import PASSWORD


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_it_enrols_a_patient_through_an_invite_link(
    live_server, desktop_page, phone_page, clinician, viewport
):
    page = desktop_page if viewport == "desktop" else phone_page
    log_in(page, live_server, "dr.okafor", PASSWORD)
    page.get_by_role("link", name="Add patient").first.click()
    assert_accessible(page)
    page.get_by_label("First name").fill("Ella")
    page.get_by_label("Last name").fill("Brooks")
    page.get_by_label("Date of birth").fill("2011-01-23")
    page.get_by_label("Main sport or activity").fill("Ballet")
    page.get_by_label("Conservative care started").fill("2026-01-05")
    page.get_by_label("L5 has slipped forward").check()
    page.get_by_label("Meyerding slip grade").select_option("1")

    page.get_by_role("button", name="Add patient and make invite link").click()

    link = page.get_by_label("Invite link").input_value()
    assert "/invite/" in link
    assert_accessible(page)
    assert_no_horizontal_scroll(page)

    # The patient opens the link on their own phone.
    phone_page.context.clear_cookies()
    phone_page.goto(link)
    expect(phone_page.get_by_role("heading", name="Welcome, Ella")).to_be_visible()
    assert_accessible(phone_page)
    phone_page.get_by_label("Username").fill("ella")
    phone_page.get_by_label("Choose a password").fill("blue-river-kite-2026")
    phone_page.get_by_label("Type the password again").fill("blue-river-kite-2026")
    phone_page.get_by_role("button", name="Start using ParsTrack").click()

    expect(phone_page.get_by_role("heading", name="Hi Ella")).to_be_visible()
    assert_no_horizontal_scroll(phone_page)
