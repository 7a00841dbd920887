"""A patient checks in on a phone by tapping, sees it saved, and finds it on their home page."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, assert_no_horizontal_scroll, log_in
from tests.factories import PASSWORD
from tracker.models import DiaryEntry, WarningSignAlert

# Every form control on the page must have a label; hidden ones (an unticked activity's pain
# row, the doses box while "None" is picked) are skipped, as a patient cannot reach them either.
UNLABELLED = """() => {
  const controls = 'input:not([type=hidden]), select, textarea';
  return [...document.querySelectorAll('form.checkin-form')]
    .flatMap(form => [...form.querySelectorAll(controls)])
    .filter(el => el.getClientRects().length)
    .filter(el => !(el.labels && el.labels.length && el.labels[0].textContent.trim()))
    .map(el => el.name + '=' + el.value);
}"""


def _group(page, name: str):
    return page.get_by_role("group", name=name, exact=True)


@pytest.mark.django_db(transaction=True)
def test_it_checks_in_on_a_phone_by_tapping(live_server, phone_page, patient):
    page = phone_page
    log_in(page, live_server, "maya", PASSWORD)
    page.get_by_role("link", name="Log today").tap()

    expect(page.get_by_role("heading", name="How is your back today?")).to_be_visible()
    assert_no_horizontal_scroll(page)
    assert_accessible(page)
    assert page.evaluate(UNLABELLED) == []
    now = _group(page, "How bad is your back pain right now?")
    box = now.get_by_label("3", exact=True).bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44

    now.get_by_label("3", exact=True).tap()
    _group(page, "What was your worst pain today?").get_by_label("6", exact=True).tap()
    # The optional answers are one tap away, under "Add more (optional)".
    page.locator("summary", has_text="Add more (optional)").tap()
    sport = page.locator(".activity", has=page.get_by_label("Training or playing your sport"))
    walking = page.locator(".activity", has=page.get_by_label("Walking"))
    expect(sport.get_by_role("group", name="How much did it hurt?")).to_be_hidden()
    tick = page.get_by_label("Training or playing your sport").bounding_box()
    label = sport.locator("label.activity-label").bounding_box()
    assert tick["width"] >= 24 and label["height"] >= 44
    page.get_by_label("Training or playing your sport").tap()
    expect(sport.get_by_role("group", name="How much did it hurt?")).to_be_visible()
    expect(walking.get_by_role("group", name="How much did it hurt?")).to_be_hidden()
    sport.get_by_role("group", name="How much did it hurt?").get_by_label("7", exact=True).tap()
    page.get_by_label("Down to the thigh").tap()
    _group(page, "Which side? (you can skip this)").get_by_label("Left").tap()
    page.get_by_label("Pain woke me up at night").tap()
    page.get_by_label("Paracetamol").tap()
    page.get_by_label("How many times did you take it?").fill("2")
    page.get_by_label("Anything else you want to tell us?").fill("Sore after training <b>hard</b>")
    for sign in ("around the private parts", "peeing or pooing", "Both legs getting weaker"):
        page.get_by_role("group", name=sign).get_by_label("No").tap()
    expect(page.get_by_text("Get medical help now")).to_be_hidden()
    assert page.evaluate(UNLABELLED) == []
    assert_no_horizontal_scroll(page)
    assert_accessible(page)
    page.get_by_role("button", name="Save my check-in").tap()

    expect(page.get_by_role("heading", name="Check-in saved")).to_be_visible()
    expect(page.get_by_text("Saved. Well done for checking in!")).to_be_visible()
    expect(page.get_by_text("Training or playing your sport (7/10)")).to_be_visible()
    expect(page.get_by_text("Sore after training <b>hard</b>")).to_be_visible()
    assert_no_horizontal_scroll(page)
    assert_accessible(page)
    entry = DiaryEntry.objects.get(patient=patient)
    assert (entry.pain_now, entry.pain_worst, entry.night_pain, entry.medicine_doses) == (
        3,
        6,
        True,
        2,
    )

    page.get_by_role("link", name="Back to home").tap()
    expect(page.get_by_text("You checked in today. Worst pain 6 out of 10.")).to_be_visible()
    expect(page.get_by_role("img", name="Your pain each day for the last 30 days")).to_be_visible()
    assert_no_horizontal_scroll(page)
    assert_accessible(page)


@pytest.mark.django_db(transaction=True)
def test_it_warns_at_once_when_a_warning_sign_is_tapped(live_server, phone_page, patient):
    page = phone_page
    log_in(page, live_server, "maya", PASSWORD)
    page.goto(f"{live_server.url}/checkin/")
    _group(page, "How bad is your back pain right now?").get_by_label("5", exact=True).tap()
    _group(page, "What was your worst pain today?").get_by_label("8", exact=True).tap()
    page.get_by_role("group", name="around the private parts").get_by_label("No").tap()
    page.get_by_role("group", name="Both legs getting weaker").get_by_label("No").tap()

    page.get_by_role("group", name="peeing or pooing").get_by_label("Yes").tap()

    expect(page.get_by_text("Get medical help now")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Save my check-in").tap()
    expect(page.get_by_role("alert").get_by_text("Get medical help now")).to_be_visible()
    assert_no_horizontal_scroll(page)
    assert WarningSignAlert.objects.get(patient=patient).bladder_bowel
