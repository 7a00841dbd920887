"""Issue 14 on a 390 x 844 phone: a minimal honest day in at most 10 taps and no typing (every
control found by its label, every warning sign still asked); another day's answers shown in that
day's words, never saved over; a double tap on save stores one day and no error."""

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from rehab.models import BraceLog, ExerciseLog
from rehab.selectors import programme_items_on
from tests.browser.conftest import assert_no_horizontal_scroll, log_in
from tests.factories import PASSWORD, rehab_brace, rehab_programme
from tracker.models import DiaryEntry, WarningSign

MAX_TAPS = 10


class Thumb:
    """Taps on the page, counted; it has no way to type."""

    def __init__(self, page) -> None:
        self.page = page
        self.taps = 0

    def tap(self, locator) -> None:
        expect(locator).to_be_visible()
        locator.tap()
        self.taps += 1


@pytest.mark.django_db(transaction=True)
def test_a_minimal_honest_day_takes_at_most_ten_taps_and_no_typing(
    live_server, phone_page, patient
):
    today = patient.local_today()
    rehab_programme(patient, valid_from=today - dt.timedelta(days=10))
    rehab_brace(patient, valid_from=today - dt.timedelta(days=10), hours="23")
    due = programme_items_on(patient, today)
    page = phone_page
    log_in(page, live_server, "maya", PASSWORD)
    page.goto(f"{live_server.url}/checkin/")
    thumb = Thumb(page)

    for question, answer in (
        ("How bad is your back pain right now?", "2"),
        ("What was your worst pain today?", "4"),
    ):
        scale = page.get_by_role("group", name=question)
        thumb.tap(scale.locator("label.scale-option", has_text=answer).first)
    thumb.tap(page.get_by_label("I wore my brace as prescribed (23 h)"))
    thumb.tap(page.get_by_label("I did all of today's exercises"))
    for sign in WarningSign:
        thumb.tap(page.get_by_role("group", name=sign.label).get_by_label("No", exact=True))
    thumb.tap(page.get_by_role("button", name="Save my check-in"))
    page.wait_for_url("**/checkin/saved/**")

    assert thumb.taps <= MAX_TAPS, f"{thumb.taps} taps"
    entry = DiaryEntry.objects.get(patient=patient, day=today)
    assert (entry.pain_now, entry.pain_worst) == (2, 4)
    assert not entry.warning_signs
    # The optional parts left alone are not answered, never "no".
    assert (entry.leg_numbness, entry.leg_weakness, entry.night_pain) == (None, None, None)
    assert BraceLog.objects.get(patient=patient, day=today).hours == Decimal("23")
    done = ExerciseLog.objects.filter(patient=patient, day=today, done=True)
    assert done.count() == len(due) > 0
    expect(page.get_by_text("23 hours worn")).to_be_visible()
    assert_no_horizontal_scroll(page)


@pytest.mark.django_db(transaction=True)
def test_picking_a_saved_day_shows_its_answers_in_that_days_words(live_server, phone_page, patient):
    today = patient.local_today()
    day = today - dt.timedelta(days=2)
    page = phone_page
    log_in(page, live_server, "maya", PASSWORD)
    # The day was saved earlier (pain 4, worst 7) in another visit.
    page.goto(f"{live_server.url}/checkin/?day={day}")
    for name, value in (("pain_now", "4"), ("pain_worst", "7")):
        page.locator(f'label:has(input[name="{name}"][value="{value}"])').tap()
    for sign in WarningSign:
        page.get_by_role("group", name=sign.label).get_by_label("No", exact=True).tap()
    page.get_by_role("button", name="Save my check-in").tap()
    page.wait_for_url("**/checkin/saved/**")

    # Today's page; the patient opens "Fill in another day?", picks that day and taps save.
    page.goto(f"{live_server.url}/checkin/")
    page.get_by_text("Fill in another day?").tap()
    page.get_by_label("Which day is this for?").fill(day.isoformat())
    page.get_by_role("button", name="Save my check-in").tap()
    page.wait_for_load_state()

    words = f"{day:%A} {day.day} {day:%B}"
    expect(page.get_by_text("so nothing was saved: here are its answers")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"How was your back on {words}?")
    expect(
        page.get_by_role("group", name=f"How bad was your back pain on {words}?")
    ).to_be_visible()
    assert page.locator('input[name="pain_now"][value="4"]').is_checked()
    assert page.locator('input[name="pain_worst"][value="7"]').is_checked()
    entry = DiaryEntry.objects.get(patient=patient, day=day)
    assert (entry.pain_now, entry.pain_worst) == (4, 7)
    assert not DiaryEntry.objects.filter(patient=patient, day=today).exists()


@pytest.mark.django_db(transaction=True)
def test_a_double_tap_on_save_stores_one_day_and_no_error(live_server, phone_page, patient):
    today = patient.local_today()
    page = phone_page
    log_in(page, live_server, "maya", PASSWORD)
    page.goto(f"{live_server.url}/checkin/")
    statuses: list[int] = []
    page.on("response", lambda response: statuses.append(response.status))
    for name, value in (("pain_now", "1"), ("pain_worst", "2")):
        page.locator(f'label:has(input[name="{name}"][value="{value}"])').tap()
    for sign in WarningSign:
        page.get_by_role("group", name=sign.label).get_by_label("No", exact=True).tap()

    page.get_by_role("button", name="Save my check-in").dblclick()
    page.wait_for_url("**/checkin/saved/**")
    page.wait_for_load_state("networkidle")

    assert statuses and all(status < 500 for status in statuses), statuses
    assert DiaryEntry.objects.filter(patient=patient, day=today).count() == 1
    expect(page.get_by_text("What you told us")).to_be_visible()
