"""A patient logs in on a phone and lands on their home."""

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, assert_no_horizontal_scroll, log_in
from tests.factories import PASSWORD


def test_it_lands_a_patient_on_their_home_on_a_phone(live_server, phone_page, patient):
    phone_page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in phone_page.url
    assert_accessible(phone_page)
    assert_no_horizontal_scroll(phone_page)

    log_in(phone_page, live_server, "maya", PASSWORD)

    assert phone_page.url.endswith("/me/")
    expect(phone_page.get_by_role("heading", name="Hi Maya")).to_be_visible()
    assert_no_horizontal_scroll(phone_page)
    assert_accessible(phone_page)


def test_it_tells_a_patient_when_the_password_is_wrong(live_server, phone_page, patient):
    log_in(phone_page, live_server, "maya", "not-the-password")

    expect(phone_page.get_by_role("alert")).to_be_visible()
    assert "/accounts/login/" in phone_page.url
