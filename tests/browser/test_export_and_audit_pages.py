"""In a real browser at 1366, 768 and 390 px: the export page's layout, the data dictionary, the
audit log and the sessions page read cleanly; a patient on a phone downloads their data as one
zip file."""

import io
import zipfile

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, assert_no_horizontal_scroll, log_in
from tests.factories import PASSWORD, PatientFactory, UserFactory

WIDTHS = {"desktop": 1366, "tablet": 768, "phone": 390}
ANDROID_CHROME = (
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/130.0.0.0 Mobile Safari/537.36"
)


@pytest.fixture(params=list(WIDTHS), ids=list(WIDTHS))
def sized_page(request, browser):
    width = WIDTHS[request.param]
    context = browser.new_context(
        viewport={"width": width, "height": 900},
        is_mobile=width < 600,
        has_touch=width < 600,
        bypass_csp=True,  # axe-core is injected by the test (the page's CSP forbids it)
        user_agent=ANDROID_CHROME if width < 600 else None,
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def _box(locator) -> dict:
    box = locator.bounding_box()
    assert box is not None
    return box


def test_it_lays_each_dataset_out_beside_its_choice(live_server, sized_page, clinician, patient):
    page = sized_page
    log_in(page, live_server, "dr.okafor", PASSWORD)

    page.goto(f"{live_server.url}/export/")

    options = page.locator(".dataset-option")
    expect(options.first).to_be_visible()
    assert options.count() >= 16
    for i in range(options.count()):
        option = options.nth(i)
        radio, title = _box(option.locator("input")), _box(option.locator(".dataset-title"))
        about = _box(option.locator("label .help"))
        assert abs(title["x"] - about["x"]) < 1, "title and description start together"
        assert title["x"] > radio["x"] + radio["width"], "the text is beside the choice"
        assert abs(radio["y"] - title["y"]) < 24, "the choice is level with its title"
        assert _box(option.locator("label"))["height"] >= 44
    assert "docs/export.md" not in page.content()
    assert_accessible(page)
    assert_no_horizontal_scroll(page)

    options.nth(2).locator("label .help").click()  # the description is part of the tap target

    expect(options.nth(2).locator("input")).to_be_checked()


def test_it_shows_the_data_dictionary_a_tap_from_each_dataset(
    live_server, sized_page, clinician, patient
):
    page = sized_page
    log_in(page, live_server, "dr.okafor", PASSWORD)
    page.goto(f"{live_server.url}/export/")

    page.get_by_role("link", name="Columns of Daily check-ins", exact=True).click()

    expect(page.get_by_role("heading", name="Data dictionary")).to_be_visible()
    expect(page.locator("#diary")).to_be_in_viewport()
    expect(page.locator("#diary").get_by_text("pain_worst", exact=True)).to_be_visible()
    assert_accessible(page)
    assert_no_horizontal_scroll(page)


def test_it_reads_the_audit_log_in_words(
    live_server, sized_page, clinician, clinic_admin, patient, clinic
):
    for i in range(5):
        PatientFactory(
            user=UserFactory(username=f"p{i}", first_name=f"Pat{i}", last_name="Lee"),
            clinic=clinic,
            treating_clinician=clinician,
        )
    page = sized_page
    log_in(page, live_server, "dr.okafor", PASSWORD)  # lands on the dashboard: one page view
    page.context.clear_cookies()
    log_in(page, live_server, "admin", PASSWORD)

    page.goto(f"{live_server.url}/audit/")

    row = page.locator("tr", has_text="Viewed the dashboard")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Amara Okafor (clinician)")
    row.get_by_text("6 patients").click()
    expect(row).to_contain_text("Maya Patel")
    assert_accessible(page)
    assert_no_horizontal_scroll(page)


def test_it_names_the_device_on_the_sessions_page(live_server, sized_page, patient):
    page = sized_page
    log_in(page, live_server, "maya", PASSWORD)

    page.goto(f"{live_server.url}/account/security/")

    expect(page.locator(".session-list")).not_to_contain_text("Mozilla")
    assert_accessible(page)
    assert_no_horizontal_scroll(page)


def test_it_lets_a_patient_on_a_phone_download_all_their_data(live_server, phone_page, patient):
    log_in(phone_page, live_server, "maya", PASSWORD)
    phone_page.goto(f"{live_server.url}/account/")
    button = phone_page.get_by_role("button", name="Download all my data (zip)")
    expect(button).to_be_visible()
    assert _box(button)["height"] >= 44
    assert_accessible(phone_page)
    assert_no_horizontal_scroll(phone_page)

    with phone_page.expect_download() as download_info:
        button.click()

    download = download_info.value
    assert download.suggested_filename.endswith(".zip")
    with open(download.path(), "rb") as f:
        archive = zipfile.ZipFile(io.BytesIO(f.read()))
    assert "README.txt" in archive.namelist()
    assert archive.read("record.csv").decode().startswith("Patient ID,First name,Last name")
