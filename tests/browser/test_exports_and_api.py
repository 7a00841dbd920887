"""In a real browser: Swagger UI runs under our CSP, a clinician makes a token and exports a CSV."""

import csv
import io

import pytest

from tests.browser.conftest import assert_accessible, assert_no_horizontal_scroll, log_in
from tests.factories import PASSWORD


def test_it_runs_the_api_docs_under_the_content_security_policy(live_server, desktop_page):
    violations = []
    desktop_page.on(
        "console",
        lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None,
    )

    desktop_page.goto(f"{live_server.url}/api/docs/")

    desktop_page.locator(".opblock").first.wait_for()
    assert desktop_page.locator(".opblock").count() >= 5
    assert "/api/patients/" in desktop_page.content()
    assert violations == []


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_it_lets_a_clinician_make_a_token_and_export(
    live_server, desktop_page, phone_page, clinician, patient, viewport
):
    page = desktop_page if viewport == "desktop" else phone_page
    log_in(page, live_server, "dr.okafor", PASSWORD)
    page.goto(f"{live_server.url}/account/api-tokens/")
    page.get_by_label("Name").fill("Research import")
    page.get_by_role("button", name="Create token").click()
    assert page.get_by_label("Token").input_value().startswith("pt_")
    assert_accessible(page)
    assert_no_horizontal_scroll(page)

    page.get_by_role("link", name="Export").first.click()
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    page.get_by_label("For Excel").check()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download CSV").click()

    path = download_info.value.path()
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(io.StringIO(f.read())))
    assert [r["last_name"] for r in rows] == ["Patel"]
