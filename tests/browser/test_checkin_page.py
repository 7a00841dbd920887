"""The check-in page on a 390 x 844 phone (issue 14, the page side): a refused save's summary
counts and is focused, a warning sign's advice has big call buttons (above the success message
once saved), and the confirmation lists the brace hours and each exercise. Screenshots at 390,
768 and 1366 px go to $CHECKIN_SHOTS when it is set."""

import datetime as dt
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from rehab.selectors import programme_items_on
from tests.browser.conftest import AXE, assert_no_horizontal_scroll, log_in
from tests.factories import PASSWORD, rehab_brace, rehab_programme
from tracker.models import DiaryEntry

SHOTS = os.environ.get("CHECKIN_SHOTS")
WIDTHS = (390, 768, 1366)


def assert_no_axe_violations(page) -> None:
    """Not one axe-core violation, of any impact."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document)")
    found = [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]
    assert not found, "axe-core violations:\n" + "\n".join(found)


def shoot(page, name: str) -> None:
    if not SHOTS:
        return
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 844})
        page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})


def tap(page, name: str, value: str) -> None:
    page.locator(f'label:has(input[name="{name}"][value="{value}"])').tap()


@pytest.fixture
def plan(patient):
    today = patient.local_today()
    rehab_programme(patient, valid_from=today - dt.timedelta(days=10))
    rehab_brace(patient, valid_from=today - dt.timedelta(days=10), hours="23")
    return programme_items_on(patient, today)


def box(locator) -> dict:
    found = locator.bounding_box()
    assert found, "not on screen"
    return found


@pytest.mark.django_db(transaction=True)
def test_a_refused_save_is_summarised_counted_and_focused(live_server, phone_page, patient, plan):
    first, second = plan
    page = phone_page
    log_in(page, live_server, "maya", PASSWORD)
    page.goto(f"{live_server.url}/checkin/")
    expect(page.get_by_role("link", name="Check in")).to_be_visible()
    nav = box(page.locator("nav.site-nav"))
    assert nav["height"] <= 52, "the patient's nav takes more than one row"
    expect(page.get_by_role("button", name="Log out")).not_to_be_visible()
    shoot(page, "checkin")
    assert_no_axe_violations(page)

    tap(page, "pain_now", "2")
    tap(page, "pain_worst", "4")
    page.get_by_label("Hours you wore your brace").fill("30")
    tap(page, f"exercises-done_{first.pk}", "yes")
    page.locator(f"#id_exercises-sets_{first.pk}").fill("25")
    page.get_by_role("button", name="Save my check-in").tap()
    page.wait_for_load_state()

    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    assert box(summary)["y"] < 844, "the summary is not on the first screen"
    links = summary.get_by_role("link")
    flagged = page.locator(".field-errors:not(#error-summary *)").count()
    count = links.count()
    assert count == flagged == 6  # brace, sets, the 2nd exercise, the 3 warning signs
    expect(summary).to_contain_text(f"Please check the {count} highlighted fields below.")
    assert_no_horizontal_scroll(page)
    assert_no_axe_violations(page)
    shoot(page, "refused")
    links.filter(has_text="Hours you wore your brace").tap()
    expect(page.get_by_label("Hours you wore your brace")).to_be_focused()
    assert not DiaryEntry.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_warning_sign_shows_call_buttons_and_the_confirmation_lists_everything(
    live_server, phone_page, patient, plan
):
    first, second = plan
    page = phone_page
    log_in(page, live_server, "maya", PASSWORD)
    page.goto(f"{live_server.url}/checkin/")
    tap(page, "pain_now", "5")
    tap(page, "pain_worst", "8")
    page.get_by_label("Hours you wore your brace").fill("20")
    tap(page, f"exercises-done_{first.pk}", "yes")
    page.locator(f"#id_exercises-sets_{first.pk}").fill("2")
    tap(page, f"exercises-pain_{first.pk}", "3")
    tap(page, f"exercises-done_{second.pk}", "no")
    tap(page, "saddle_numbness", "no")
    tap(page, "leg_weakness_worse", "no")
    tap(page, "bladder_bowel", "yes")

    advice = page.locator(".urgent-preview")
    expect(advice.get_by_text("Get medical help now")).to_be_visible()
    expect(advice).not_to_contain_text("care team will see")
    for number in ("999", "111"):
        call = advice.get_by_role("link", name=f"Call {number}")
        assert call.get_attribute("href") == f"tel:{number}"
        size = box(call)
        assert size["width"] >= 44 and size["height"] >= 44, size
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Save my check-in").tap()
    page.wait_for_load_state()

    alert = page.get_by_role("alert")
    expect(alert).to_contain_text(
        "Your care team is sent an email to look at ParsTrack, and will see this when they open it."
    )
    well_done = box(page.get_by_text("Saved. Well done for checking in!"))
    for number in ("999", "111"):
        call = alert.get_by_role("link", name=f"Call {number}")
        size = box(call)
        assert size["width"] >= 44 and size["height"] >= 44, size
        assert size["y"] + size["height"] <= well_done["y"], "the call button is below the banner"
    expect(page.get_by_text("20 hours worn")).to_be_visible()
    expect(page.get_by_text(f"{first.exercise.name}: done, 2 sets, pain 3/10")).to_be_visible()
    expect(page.get_by_text(f"{second.exercise.name}: not done")).to_be_visible()
    assert_no_horizontal_scroll(page)
    assert_no_axe_violations(page)
    shoot(page, "saved-warning")


@pytest.mark.django_db(transaction=True)
def test_the_optional_answers_open_with_one_tap_and_the_note_counts(
    live_server, phone_page, patient
):
    page = phone_page
    log_in(page, live_server, "maya", PASSWORD)
    page.goto(f"{live_server.url}/checkin/")
    note = page.get_by_label("Anything else you want to tell us?")
    expect(note).to_be_hidden()

    page.locator("summary", has_text="Add more (optional)").tap()
    note.fill("Sore after PE")
    expect(page.get_by_text("13 of 2,000 used.")).to_be_visible()
    note.fill("x" * 2001)
    expect(page.get_by_text("Too long by 1 character.")).to_be_visible()
    page.locator("summary", has_text="Menu").tap()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    assert box(page.get_by_role("link", name="My diary"))["height"] >= 44
    assert_no_horizontal_scroll(page)
    for width in (360, 768):
        page.set_viewport_size({"width": width, "height": 844})
        assert box(page.locator("nav.site-nav"))["height"] <= 52, width
        assert_no_horizontal_scroll(page)
