"""On a phone, a patient logs brace hours and two exercises in one check-in, then reads their
programme."""

import datetime as dt
from decimal import Decimal

from playwright.sync_api import expect

from rehab.models import BraceLog, ExerciseLog
from rehab.selectors import programme_items_on
from tests.browser.conftest import assert_accessible, assert_no_horizontal_scroll, log_in
from tests.factories import PASSWORD, rehab_brace, rehab_programme


def tap(page, name: str, value: str) -> None:
    page.locator(f'label:has(input[name="{name}"][value="{value}"])').click()


def test_it_logs_brace_hours_and_two_exercises_in_one_check_in(live_server, phone_page, patient):
    today = patient.local_today()
    rehab_programme(patient, valid_from=today - dt.timedelta(days=10))
    rehab_brace(patient, valid_from=today - dt.timedelta(days=10), hours="23")
    first, second = programme_items_on(patient, today)
    page = phone_page
    log_in(page, live_server, "maya", PASSWORD)

    page.goto(f"{live_server.url}/checkin/")
    expect(page.get_by_role("heading", name="Your brace")).to_be_visible()
    expect(page.get_by_role("heading", name=first.exercise.name)).to_be_visible()
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    tap(page, "pain_now", "2")
    tap(page, "pain_worst", "4")
    for sign in ("saddle_numbness", "bladder_bowel", "leg_weakness_worse"):
        tap(page, sign, "no")
    page.get_by_label("Hours you wore your brace").fill("22.5")
    sets = page.locator(f"#id_exercises-sets_{first.pk}")
    assert not sets.is_visible()  # sets and pain appear only once the exercise is marked done
    tap(page, f"exercises-done_{first.pk}", "yes")
    sets.fill("2")
    tap(page, f"exercises-pain_{first.pk}", "3")
    tap(page, f"exercises-done_{second.pk}", "no")
    expect(page.locator(f"#id_exercises-sets_{second.pk}")).not_to_be_visible()
    page.get_by_role("button", name="Save my check-in").click()
    page.wait_for_load_state()

    assert "Saved" in page.content()
    assert BraceLog.objects.get(patient=patient, day=today).hours == Decimal("22.5")
    logs = {log.item_id: log for log in ExerciseLog.objects.filter(patient=patient, day=today)}
    assert (logs[first.pk].done, logs[first.pk].sets_done, logs[first.pk].pain) == (True, 2, 3)
    assert logs[second.pk].done is False

    page.locator("summary", has_text="Menu").click()  # on a phone, the nav's other pages
    page.get_by_role("link", name="My programme").first.click()
    expect(page.get_by_role("heading", name=first.exercise.name)).to_be_visible()
    expect(page.get_by_text("Wear it")).to_be_visible()
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
