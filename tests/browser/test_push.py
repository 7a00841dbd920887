"""Notifications on a phone, in Chromium at phone size.

Headless Chromium has no Push API in Playwright's contexts (they are incognito: "Chrome
currently does not support the Push API in incognito mode"), so:
- one test meets that as a patient would: the page says notifications could not be turned on
  and email is used, and nothing is stored;
- one replaces only the browser's pushManager with a stand-in that hands out a subscription on
  the stub push service (keys made by the test), and follows it through: the page stores it, the
  patient chooses notifications for reminders, a reminder run pushes it (encrypted, decrypted
  by the stub), the service worker is given that payload (DevTools' deliverPushMessage) and shows
  it, and "Turn off on this phone" removes it;
- one does the same for a clinician on a tablet."""

import json

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, assert_no_horizontal_scroll, log_in
from tests.factories import PASSWORD
from tests.helpers import BrowserKeys, at_utc, reminders_on
from tracker.models import Notification, PushSubscription, ReminderPreference
from tracker.services.reminder_sending import reminders_send

TURN_ON = "Turn on notifications on this phone"

# A stand-in for the browser's pushManager: what a push service would hand out, kept in
# localStorage so that it survives a reload as a real subscription does.
FAKE_PUSH_MANAGER = """
(() => {
  const fake = %s;
  const make = (key) => ({
    endpoint: fake.endpoint,
    options: { applicationServerKey: key },
    toJSON: () => fake,
    unsubscribe: async () => { localStorage.removeItem("fake-push"); return true; },
  });
  PushManager.prototype.subscribe = async function (options) {
    localStorage.setItem("fake-push", JSON.stringify(Array.from(options.applicationServerKey)));
    return make(options.applicationServerKey);
  };
  PushManager.prototype.getSubscription = async function () {
    const key = localStorage.getItem("fake-push");
    return key ? make(new Uint8Array(JSON.parse(key))) : null;
  };
})();
"""


def _granted(page, live_server) -> None:
    page.context.grant_permissions(["notifications"], origin=live_server.url)
    # The first page of a module can be slow on a loaded machine (the live server warms up).
    page.set_default_navigation_timeout(30_000)


def _with_fake_push_manager(page, push_service, answer: str = "ok") -> dict:
    keys = BrowserKeys.new()
    subscription = {
        "endpoint": f"{push_service.origin}/{answer}/browser-test",
        "keys": {"p256dh": keys.p256dh, "auth": keys.auth_b64},
    }
    push_service.keys[subscription["endpoint"]] = keys
    page.add_init_script(FAKE_PUSH_MANAGER % json.dumps(subscription))
    return subscription


def _status(page):
    return page.locator("[data-push-status]")


def test_without_a_push_service_the_page_says_email_is_used(
    live_server, phone_page, patient, push_service
):
    page = phone_page
    _granted(page, live_server)
    log_in(page, live_server, "maya", PASSWORD)
    page.goto(f"{live_server.url}/account/reminders/")
    expect(_status(page)).to_have_text("Notifications are off for this phone.")
    expect(page.get_by_role("button", name="Turn off on this phone")).to_be_hidden()
    assert_accessible(page)
    assert_no_horizontal_scroll(page)

    page.get_by_role("button", name=TURN_ON).click()

    expect(_status(page)).to_contain_text("could not be turned on in this browser")
    expect(_status(page)).to_contain_text("Email is used.")
    expect(page.get_by_label("Email", exact=True)).to_be_checked()
    assert not PushSubscription.objects.exists()


def test_a_patient_gets_their_reminders_as_notifications_on_their_phone(
    live_server, phone_page, patient, push_service, settings
):
    page = phone_page
    _granted(page, live_server)
    subscription = _with_fake_push_manager(page, push_service)
    reminders_on(patient)
    log_in(page, live_server, "maya", PASSWORD)
    page.goto(f"{live_server.url}/account/reminders/")

    page.get_by_role("button", name=TURN_ON).click()

    expect(_status(page)).to_contain_text("Notifications are on for this phone.")
    expect(_status(page)).to_contain_text("choose \u201cNotification on this phone\u201d below")
    expect(page.get_by_role("button", name="Turn off on this phone")).to_be_visible()
    assert PushSubscription.objects.get().endpoint == subscription["endpoint"]
    page.get_by_label("Notification on this phone").check()
    page.get_by_role("button", name="Save reminders").click()
    expect(page.get_by_text("You will get a notification every day at 19:00")).to_be_visible()
    assert ReminderPreference.objects.get(patient=patient).channel == "push"
    expect(_status(page)).to_have_text("Notifications are on for this phone.")  # after a reload
    assert_accessible(page)
    assert_no_horizontal_scroll(page)

    reminders_send(now=at_utc("2026-11-02 19:00"))
    [push] = push_service.received
    payload = push_service.payload(push)
    assert Notification.objects.get(patient=patient).outcome == "sent"
    _show_in_the_service_worker(page, live_server, payload)

    page.get_by_role("button", name="Turn off on this phone").click()
    expect(_status(page)).to_have_text(
        "Notifications are off for this phone. Your reminders come by email again."
    )
    expect(page.get_by_role("button", name=TURN_ON)).to_be_visible()
    assert not PushSubscription.objects.exists()


def _show_in_the_service_worker(page, live_server, payload: dict) -> None:
    """Give the worker the push as the browser would, and find the notification it shows."""
    cdp = page.context.new_cdp_session(page)
    registrations = []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda e: registrations.extend(e["registrations"]),
    )
    cdp.send("ServiceWorker.enable")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.wait_for_timeout(200)
    registration = next(r for r in registrations if not r.get("isDeleted"))
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {
            "origin": live_server.url,
            "registrationId": registration["registrationId"],
            "data": json.dumps(payload),
        },
    )
    shown = []
    for _ in range(50):  # the worker shows it a moment later
        shown = page.evaluate(
            """async () => (await (await navigator.serviceWorker.ready).getNotifications())
                 .map(n => [n.title, n.body, n.data.url])"""
        )
        if shown:
            break
        page.wait_for_timeout(100)
    assert shown == [[payload["title"], payload["body"], f"{live_server.url}/checkin/"]]


def test_a_clinician_turns_notifications_on_in_their_browser(
    live_server, tablet_page, clinician, push_service
):
    page = tablet_page
    _granted(page, live_server)
    _with_fake_push_manager(page, push_service)
    log_in(page, live_server, "dr.okafor", PASSWORD)
    page.goto(f"{live_server.url}/account/")
    page.get_by_role("link", name="Notifications in this browser").click()
    expect(page.get_by_role("heading", name="Notifications", exact=True)).to_be_visible()

    page.get_by_role("button", name="Turn on notifications on this browser").click()

    expect(_status(page)).to_have_text("Notifications are on for this browser.")
    assert PushSubscription.objects.get().user == clinician
    assert_accessible(page)
