"""The dashboard on a ward tablet and a clinic laptop (issue 18): a table at 768 px with every
row's assessment in view, and Ella's row saying there is not enough pain data."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, assert_no_horizontal_scroll, log_in
from tests.factories import PASSWORD, PatientFactory, UserFactory, psfs_three_points_better
from tests.helpers import history, thin_pain_history


@pytest.fixture
def ward(clinic, clinician, patient):
    """Maya improving on pain, Ella improving on PSFS with 2 check-ins this week, Leo up 0.6."""
    history(patient, 40, pain=lambda n: 7 if n < 14 else 3)
    ella = PatientFactory(
        user=UserFactory(username="ella", first_name="Ella", last_name="Brooks"),
        clinic=clinic,
        treating_clinician=clinician,
    )
    thin_pain_history(ella, 2)
    psfs_three_points_better(ella)
    leo = PatientFactory(
        user=UserFactory(username="leo", first_name="Leo", last_name="Martins"),
        clinic=clinic,
        treating_clinician=clinician,
    )
    history(leo, 40, pain=lambda n: 5 if n < 14 else 6)
    return {"Maya Patel": patient, "Ella Brooks": ella, "Leo Martins": leo}


def _no_axe_violations(page) -> None:
    """Not even a minor one (the issue asks for 0 at 1366, 768 and 390 px)."""
    assert_accessible(page)  # injects axe-core
    found = page.evaluate("async () => (await axe.run(document)).violations.map(v => v.id)")
    assert found == []


@pytest.mark.parametrize("viewport", ["tablet", "wide"])
def test_it_keeps_the_dashboard_a_table_with_every_assessment_in_view(
    live_server, tablet_page, wide_page, ward, viewport
):
    page = tablet_page if viewport == "tablet" else wide_page
    log_in(page, live_server, "dr.okafor", PASSWORD)

    page.goto(f"{live_server.url}/patients/")

    table = page.get_by_role("table")
    expect(table).to_be_visible()
    assert table.evaluate("t => getComputedStyle(t).display") == "table"
    width = page.evaluate("() => document.documentElement.clientWidth")
    for name in ward:
        row = page.get_by_role("row").filter(has=page.get_by_role("link", name=name))
        badge = row.locator(".assess")
        expect(row.get_by_role("link", name=name)).to_be_in_viewport()
        expect(badge).to_be_visible()
        box = badge.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, (name, box)
    headers = page.get_by_role("columnheader")
    expect(headers.filter(has_text="Assessment")).to_be_visible()
    if viewport == "tablet":  # the low-value columns fold into a line under the name
        expect(headers.filter(has_text="Last check-in")).to_be_hidden()
        expect(page.get_by_text("wk of care · last 4 wk: brace").first).to_be_visible()
    else:
        expect(headers.filter(has_text="Last check-in")).to_be_visible()
    assert_no_horizontal_scroll(page)
    _no_axe_violations(page)


@pytest.mark.parametrize("viewport", ["tablet", "wide"])
def test_it_says_ellas_pain_data_is_not_enough(live_server, tablet_page, wide_page, ward, viewport):
    page = tablet_page if viewport == "tablet" else wide_page
    log_in(page, live_server, "dr.okafor", PASSWORD)

    page.goto(f"{live_server.url}/patients/")

    ella = page.get_by_role("row").filter(has=page.get_by_role("link", name="Ella Brooks"))
    expect(ella.get_by_text("Not enough data", exact=True)).to_be_visible()
    expect(ella.get_by_text("2 check-ins in the last 7 days; 4 needed", exact=True)).to_be_visible()
    expect(ella.get_by_text("pain: not enough data", exact=True)).to_be_visible()
    assert ella.locator(".trend").count() == 0
    ella.get_by_text("Why").click()
    expect(ella.get_by_text("Not judged on pain: not enough data")).to_be_visible()
    leo = page.get_by_role("row").filter(has=page.get_by_role("link", name="Leo Martins"))
    expect(leo.locator(".trend")).to_have_text("→")  # up 1.0, short of the 2-point worsening


def test_it_keeps_the_phone_cards_and_no_axe_violations(live_server, phone_page, ward):
    log_in(phone_page, live_server, "dr.okafor", PASSWORD)

    phone_page.goto(f"{live_server.url}/patients/")

    table = phone_page.locator("table.dash-table")
    expect(table).to_be_attached()
    assert table.evaluate("t => getComputedStyle(t).display") == "block"
    expect(phone_page.get_by_text("Not enough data", exact=True)).to_be_visible()
    assert_no_horizontal_scroll(phone_page)
    _no_axe_violations(phone_page)
