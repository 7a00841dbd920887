"""Issue 15 on a 390 x 844 phone: ParsTrack is installable (Chromium lists no installability
error), and a check-in saved with the network down is kept on the phone, still shown after a
reload offline, and sent by itself when the connection returns: exactly one day on the server
with every answer. The page's strict CSP is kept (this context does not bypass it)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.sessions.models import Session
from playwright.sync_api import expect

from rehab.models import BraceLog, ExerciseLog
from rehab.selectors import programme_items_on
from tests.browser.conftest import CHROMIUM, PHONE, log_in
from tests.factories import PASSWORD, rehab_brace, rehab_programme
from tracker.models import DiaryEntry
from tracker.services.checkin import DiaryAnswers, entry_record

SAVED = "Saved on this phone. It will be sent when you are back online."


@pytest.fixture
def installed_phone(browser, tmp_path):
    """A phone-sized Chromium with a profile on disk (an incognito context is never
    installable) and service workers on."""
    context = browser.browser_type.launch_persistent_context(
        str(tmp_path / "profile"),
        executable_path=CHROMIUM,
        headless=True,
        args=["--no-sandbox", "--disable-gpu", "--no-first-run"],
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        service_workers="allow",
    )
    context.set_default_timeout(10_000)
    yield context
    context.close()


def open_under_the_worker(page, live_server) -> None:
    page.goto(f"{live_server.url}/checkin/")
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    page.reload()  # now under the worker, which keeps the page for offline
    assert page.evaluate("() => !!navigator.serviceWorker.controller")


def save_a_short_day_offline(context, page, pain_now: str, pain_worst: str) -> None:
    context.set_offline(True)
    form = page.locator("#checkin-form")
    for name, value in (("pain_now", pain_now), ("pain_worst", pain_worst)):
        form.locator(f'label.scale-option:has(input[name="{name}"][value="{value}"])').click()
    for name in ("saddle_numbness", "bladder_bowel", "leg_weakness_worse"):
        form.locator(f'input[name="{name}"][value="no"]').check(force=True)
    page.get_by_role("button", name="Save my check-in").click()
    expect(page.locator("#offline-queue").get_by_text(SAVED)).to_be_visible()


def fill_a_whole_day(page, items) -> None:
    form = page.locator("#checkin-form")
    for name, value in (("pain_now", "3"), ("pain_worst", "6")):
        form.locator(f'label.scale-option:has(input[name="{name}"][value="{value}"])').click()
    form.locator('input[name="pain_reach"][value="buttock"]').check(force=True)
    form.locator('input[name="pain_side"][value="left"]').check(force=True)
    page.get_by_label("Different hours (type them below)").check()
    page.get_by_label("Hours you wore your brace").fill("7.5")
    first, *others = items
    form.locator(f'input[name="exercises-done_{first.pk}"][value="yes"]').check(force=True)
    form.locator(f'input[name="exercises-sets_{first.pk}"]').fill("2")
    form.locator(
        f'label.scale-option:has(input[name="exercises-pain_{first.pk}"][value="3"])'
    ).click()
    for item in others:
        form.locator(f'input[name="exercises-done_{item.pk}"][value="no"]').check(force=True)
    page.get_by_text("Add more (optional)").click()
    form.locator('input[name="activities"][value="walking"]').check(force=True)
    form.locator('label.scale-option:has(input[name="pain_walking"][value="2"])').click()
    form.locator('input[name="night_pain"]').check(force=True)
    form.locator('input[name="medicine"][value="paracetamol"]').check(force=True)
    form.locator('input[name="medicine_doses"]').fill("2")
    form.locator('textarea[name="note"]').fill("Stiff after school.")
    for name, answer in (
        ("saddle_numbness", "no"),
        ("bladder_bowel", "no"),
        ("leg_weakness_worse", "yes"),
    ):
        form.locator(f'input[name="{name}"][value="{answer}"]').check(force=True)


@pytest.mark.django_db(transaction=True)
def test_a_check_in_saved_offline_survives_a_reload_and_is_sent_once_back_online(
    live_server, installed_phone, patient
):
    today = patient.local_today()
    rehab_programme(patient, valid_from=today - dt.timedelta(days=10))
    rehab_brace(patient, valid_from=today - dt.timedelta(days=10), hours="22")
    items = list(programme_items_on(patient, today))
    page = installed_phone.pages[0] if installed_phone.pages else installed_phone.new_page()
    log_in(page, live_server, "maya", PASSWORD)
    open_under_the_worker(page, live_server)

    cdp = installed_phone.new_cdp_session(page)
    assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []

    installed_phone.set_offline(True)
    fill_a_whole_day(page, items)
    page.get_by_role("button", name="Save my check-in").click()

    queued = page.locator("#offline-queue")
    expect(queued.get_by_text(SAVED)).to_be_visible()
    expect(queued).not_to_contain_text("care team")
    assert not DiaryEntry.objects.filter(patient=patient).exists()

    page.reload()
    expect(page.locator("#offline-queue").get_by_text(SAVED)).to_be_visible()
    expect(page.get_by_role("button", name="Save my check-in")).to_be_visible()

    installed_phone.set_offline(False)
    expect(page.get_by_text("Sent: your check-in saved on this phone has reached")).to_be_visible()
    expect(page.locator("#offline-queue").get_by_text(SAVED)).to_have_count(0)

    entry = DiaryEntry.objects.get(patient=patient)
    assert entry.day == today
    assert (entry.pain_now, entry.pain_worst) == (3, 6)
    assert (entry.pain_reach, entry.pain_side) == ("buttock", "left")
    assert {a.activity: a.pain for a in entry.activities.all()} == {"walking": 2}
    assert entry.night_pain is True
    assert (entry.medicine, entry.medicine_doses) == ("paracetamol", 2)
    assert entry.note == "Stiff after school."
    assert (entry.saddle_numbness, entry.bladder_bowel, entry.leg_weakness_worse) == (
        False,
        False,
        True,
    )
    assert BraceLog.objects.get(patient=patient, day=today).hours == Decimal("7.5")
    logs = {log.item_id: log for log in ExerciseLog.objects.filter(patient=patient, day=today)}
    assert (logs[items[0].pk].done, logs[items[0].pk].sets_done, logs[items[0].pk].pain) == (
        True,
        2,
        3,
    )
    assert [logs[item.pk].done for item in items[1:]] == [False] * (len(items) - 1)


@pytest.mark.django_db(transaction=True)
def test_a_day_changed_elsewhere_meanwhile_shows_both_and_the_patient_keeps_theirs(
    live_server, installed_phone, patient
):
    page = installed_phone.pages[0] if installed_phone.pages else installed_phone.new_page()
    log_in(page, live_server, "maya", PASSWORD)
    open_under_the_worker(page, live_server)
    save_a_short_day_offline(installed_phone, page, "3", "6")
    # Meanwhile the same day is saved on another device.
    answers = DiaryAnswers(
        pain_now=8,
        pain_worst=9,
        saddle_numbness=False,
        bladder_bowel=False,
        leg_weakness_worse=False,
    )
    entry_record(patient=patient, day=patient.local_today(), answers=answers, by=patient.user)

    installed_phone.set_offline(False)

    choice = page.locator(".offline-conflict")
    expect(choice.get_by_text("was changed on ParsTrack after you saved it")).to_be_visible()
    expect(choice.locator(".offline-side", has_text="Saved on this phone")).to_contain_text(
        "Back pain now: 3/10"
    )
    expect(choice.locator(".offline-side", has_text="On ParsTrack now")).to_contain_text(
        "Back pain now: 8/10"
    )
    assert DiaryEntry.objects.get(patient=patient).pain_now == 8
    choice.get_by_role("button", name="Keep the one from this phone").click()
    expect(page.get_by_text("Sent: your check-in saved on this phone has reached")).to_be_visible()
    entry = DiaryEntry.objects.get(patient=patient)
    assert (entry.pain_now, entry.pain_worst) == (3, 6)


@pytest.mark.django_db(transaction=True)
def test_a_check_in_kept_while_the_sign_in_expired_is_sent_after_signing_in(
    live_server, installed_phone, patient
):
    page = installed_phone.pages[0] if installed_phone.pages else installed_phone.new_page()
    log_in(page, live_server, "maya", PASSWORD)
    open_under_the_worker(page, live_server)
    save_a_short_day_offline(installed_phone, page, "2", "4")
    Session.objects.all().delete()  # the sign-in expires while the phone is offline

    installed_phone.set_offline(False)

    expect(page.get_by_text("not sent yet: please sign in again")).to_be_visible()
    assert not DiaryEntry.objects.filter(patient=patient).exists()
    log_in(page, live_server, "maya", PASSWORD)
    expect(page.get_by_text("Sent: your check-in saved on this phone has reached")).to_be_visible()
    entry = DiaryEntry.objects.get(patient=patient)
    assert (entry.pain_now, entry.pain_worst) == (2, 4)
