"""On a ward tablet and a clinic laptop the clinician reads, under an open warning sign, that the
care team was emailed and when it will be escalated; acknowledging it takes it off the top."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, assert_no_horizontal_scroll, log_in
from tests.factories import PASSWORD
from tests.helpers import open_alert
from tracker.services.alerts import alerts_send


@pytest.mark.parametrize("viewport", ["tablet", "wide"])
def test_it_says_the_team_was_emailed_beside_the_warning_sign(
    live_server, tablet_page, wide_page, patient, clinic, viewport
):
    clinic.escalation_email = "duty@northgate.example.org"
    clinic.save()
    open_alert(patient)
    alerts_send(now=timezone.now())
    page = tablet_page if viewport == "tablet" else wide_page
    log_in(page, live_server, "dr.okafor", PASSWORD)

    page.goto(f"{live_server.url}/patients/")

    alert = page.locator(".urgent-alert").filter(has=page.get_by_role("link", name="Maya Patel"))
    told = alert.locator(".urgent-told")
    expect(told).to_contain_text("Care team emailed at ")
    expect(told).to_contain_text("Not escalated; it will be at ")
    expect(told).to_be_in_viewport()
    assert_no_horizontal_scroll(page)
    assert_accessible(page)

    alert.get_by_role("button", name="Acknowledge").click()

    expect(page.get_by_text("acknowledged by you at")).to_be_visible()
    expect(page.locator(".urgent-told")).to_have_count(0)
