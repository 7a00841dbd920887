"""A parent logs a check-in for their young person on a phone (issue 16): told whom for, saved as
entered by them, then Maya sees on her phone who entered the day and keeps her own note private."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, assert_no_horizontal_scroll, log_in
from tests.factories import PASSWORD, GuardianFactory, guardian_link
from tracker.models import DiaryEntry
from tracker.rules.guardians import GuardianScope


@pytest.mark.django_db(transaction=True)
def test_a_parent_logs_for_maya_and_maya_sees_who(live_server, phone_page, patient):
    parent = GuardianFactory(username="asha", first_name="Asha", last_name="Patel")
    guardian_link(patient, parent, scope=[GuardianScope.LOG])
    page = phone_page
    log_in(page, live_server, "asha", PASSWORD)
    page.goto(f"{live_server.url}/family/{patient.pk}/checkin/")

    expect(page.get_by_text("You are logging for Maya.")).to_be_visible()
    assert_no_horizontal_scroll(page)
    group = page.get_by_role("group", name="How bad is your back pain right now?", exact=True)
    group.get_by_label("2", exact=True).tap()
    worst = page.get_by_role("group", name="What was your worst pain today?", exact=True)
    worst.get_by_label("5", exact=True).tap()
    for sign in ("around the private parts", "peeing or pooing", "Both legs getting weaker"):
        page.get_by_role("group", name=sign).get_by_label("No").tap()
    page.get_by_role("button", name="Save Maya's check-in").tap()

    expect(page.get_by_text("Saved for Maya (entered by you).")).to_be_visible()
    assert_accessible(page)
    assert DiaryEntry.objects.get(patient=patient).created_by == parent

    page.context.clear_cookies()
    log_in(page, live_server, "maya", PASSWORD)
    page.goto(f"{live_server.url}/diary/")
    expect(page.get_by_text("Entered by Asha Patel (parent)")).to_be_visible()
    page.goto(f"{live_server.url}/checkin/?day={patient.local_today().isoformat()}")
    page.locator("summary", has_text="Add more (optional)").tap()
    box = page.get_by_label("Keep this note private (only you and your care team see it)")
    # Asha's day: her note is shared, so Maya's box starts unticked for that day.
    expect(box).not_to_be_checked()
    assert_no_horizontal_scroll(page)
