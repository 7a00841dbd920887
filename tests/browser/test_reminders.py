"""A patient on a phone turns check-in reminders on, meets a setting that does not fit, and
stops them from the email's link without signing in."""

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, assert_no_horizontal_scroll, log_in
from tests.factories import PASSWORD
from tracker.models import ReminderPreference
from tracker.services.reminders import reminder_stop_token


def test_a_patient_turns_reminders_on_from_their_account(live_server, phone_page, patient):
    page = phone_page
    log_in(page, live_server, "maya", PASSWORD)
    page.goto(f"{live_server.url}/account/")
    page.get_by_role("link", name="Check-in reminders").click()
    expect(page.get_by_role("heading", name="Check-in reminders")).to_be_visible()
    assert_accessible(page)
    assert_no_horizontal_scroll(page)

    page.get_by_label("Remind me on days I have not checked in").check()
    page.get_by_label("Reminder time").fill("23:00")
    page.get_by_role("button", name="Save reminders").click()

    expect(page.get_by_text("23:00 is inside your quiet hours")).to_be_visible()
    expect(page.get_by_label("Remind me on days I have not checked in")).to_be_checked()
    assert_accessible(page)
    assert not ReminderPreference.objects.filter(patient=patient).exists()

    page.get_by_label("Reminder time").fill("18:30")
    page.get_by_role("button", name="Save reminders").click()

    expect(page.get_by_text("You will get an email every day at 18:30")).to_be_visible()
    assert_no_horizontal_scroll(page)
    assert ReminderPreference.objects.get(patient=patient).enabled


def test_the_emails_stop_link_turns_reminders_off_without_signing_in(
    live_server, phone_page, patient
):
    ReminderPreference.objects.create(patient=patient, enabled=True)
    token = reminder_stop_token(patient=patient)

    phone_page.goto(f"{live_server.url}/reminders/stop/{token}/")
    assert_accessible(phone_page)
    phone_page.get_by_role("button", name="Stop reminders").click()

    expect(phone_page.get_by_role("heading", name="Reminders stopped")).to_be_visible()
    assert not ReminderPreference.objects.get(patient=patient).enabled
