"""Issue 16 end to end on phones (390x844): a clinician invites Maya's parent; the parent signs up
and gives permission; Maya (17) confirms; the parent sees her plan and brace adherence but not
her private note; Maya sees the parent listed with that scope and withdraws it; the parent's next
page is a 404."""

import datetime as dt
import re

from playwright.sync_api import expect

from tests.browser.conftest import PHONE, assert_accessible, assert_no_horizontal_scroll, log_in
from tests.factories import PASSWORD, rehab_brace, rehab_programme
from tests.helpers import history
from tracker.models import DiaryEntry

PARENT_PASSWORD = "blue-river-kite-2026"


def _phone(browser):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, bypass_csp=True)
    context.set_default_timeout(30_000)  # three people's pages, on a shared CI machine
    return context.new_page()


def _mayas_record(patient):
    today = patient.local_today()
    rehab_brace(patient, valid_from=today - dt.timedelta(days=14), hours="20")
    rehab_programme(patient, valid_from=today - dt.timedelta(days=14))
    shared, private = history(patient, 2)
    DiaryEntry.objects.filter(pk=shared.pk).update(note="Physio went well.", note_private=False)
    DiaryEntry.objects.filter(pk=private.pk).update(note="Scared about the brace.")


def test_a_parent_is_invited_sees_what_maya_allows_until_she_withdraws_it(
    live_server, browser, clinician, patient
):
    _mayas_record(patient)
    doctor, parent, maya = _phone(browser), _phone(browser), _phone(browser)

    # The clinician invites Maya's parent from Maya's page, adding pain trends to the defaults.
    log_in(doctor, live_server, "dr.okafor", PASSWORD)
    doctor.goto(f"{live_server.url}/patients/{patient.pk}/")
    doctor.get_by_role("link", name="Invite a parent or guardian").click()
    doctor.get_by_label("First name").fill("Asha")
    doctor.get_by_label("Last name").fill("Patel")
    doctor.get_by_label("Email").fill("asha@example.org")
    expect(doctor.get_by_label("The plan: brace, exercises and activity stage")).to_be_checked()
    doctor.get_by_label("Pain trends").check()
    assert_accessible(doctor)
    doctor.get_by_role("button", name="Invite and make a link").click()
    link = doctor.get_by_label("Invitation link").input_value()
    assert "/family/invite/" in link
    assert_no_horizontal_scroll(doctor)

    # The parent signs up on their own phone and gives permission.
    parent.goto(link)
    expect(parent.get_by_role("heading", name="Hello Asha")).to_be_visible()
    expect(parent.get_by_text("Pain trends")).to_be_visible()
    assert_accessible(parent)
    parent.get_by_label("Username").fill("asha")
    parent.get_by_label("Choose a password").fill(PARENT_PASSWORD)
    parent.get_by_label("Type the password again").fill(PARENT_PASSWORD)
    parent.get_by_label("I agree").check()
    parent.get_by_role("button", name="Give my permission").click()
    expect(parent.get_by_text("Waiting for Maya to confirm")).to_be_visible()
    assert_no_horizontal_scroll(parent)

    # Maya (17) sees the parent listed with that scope and confirms.
    log_in(maya, live_server, "maya", PASSWORD)
    maya.goto(f"{live_server.url}/account/")
    card = maya.locator("article", has_text="Asha Patel")
    expect(card.get_by_text("Pain trends")).to_be_visible()
    expect(card.get_by_text("The check-in calendar (which days are logged)")).to_be_visible()
    card.get_by_role("button", name="Confirm").click()
    expect(maya.get_by_text("Asha Patel can now see it.")).to_be_visible()

    # The parent sees Maya's plan and brace adherence, and her shared note, not her private one.
    parent.goto(f"{live_server.url}/family/")
    parent.get_by_role("link", name="The plan").click()
    expect(parent.get_by_text(re.compile("Wear it 20 hours a day"))).to_be_visible()
    assert_accessible(parent)
    assert_no_horizontal_scroll(parent)
    parent.get_by_role("link", name="Brace and exercises done").click()
    expect(parent.get_by_text(re.compile("Brace: worn for"))).to_be_visible()
    assert_no_horizontal_scroll(parent)
    parent.get_by_role("link", name="Pain trends").click()
    expect(parent.get_by_text("Physio went well.")).to_be_visible()
    expect(parent.get_by_text("Scared about the brace.")).to_have_count(0)
    assert_accessible(parent)

    # Maya withdraws it: one button, at once.
    maya.goto(f"{live_server.url}/account/")
    maya.locator("article", has_text="Asha Patel").get_by_role(
        "button", name="Withdraw access"
    ).click()
    expect(maya.get_by_text(re.compile("can no longer see your record"))).to_be_visible()

    # The parent's next page is a 404.
    response = parent.reload()
    assert response.status == 404
    parent.goto(f"{live_server.url}/family/")
    expect(parent.get_by_text("No young person's record is shared with you yet.")).to_be_visible()
    for page in (doctor, parent, maya):
        page.context.close()
