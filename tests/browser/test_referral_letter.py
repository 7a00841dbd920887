"""A clinician at 1366 px opens a year-long patient's referral letter: printed, it has the clinic's
letterhead and the key figures and no buttons; its PDF link downloads a two-page PDF."""

import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.conftest import assert_accessible, assert_no_horizontal_scroll, log_in
from tests.factories import PASSWORD
from tests.helpers import a_year_of_care


def test_it_prints_the_letter_with_its_letterhead_and_downloads_the_pdf(
    live_server, desktop_page, clinician, patient, clinic
):
    clinic.address, clinic.phone = "Northgate House\n12 Mill Lane\nLeeds LS2 7QT", "0113 496 0000"
    clinic.save()
    a_year_of_care(patient, clinician)
    page = desktop_page
    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, live_server, "dr.okafor", PASSWORD)

    page.goto(f"{live_server.url}/patients/{patient.pk}/referral/")
    expect(page.get_by_role("heading", name="Key figures")).to_be_visible()
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    page.emulate_media(media="print")

    expect(page.get_by_text(clinic.name, exact=True)).to_be_visible()
    expect(page.get_by_text("Leeds LS2 7QT")).to_be_visible()
    expect(page.get_by_text("943 476 5919")).to_be_visible()
    figures = page.get_by_role("table").filter(has_text="Brace wear")
    expect(figures.get_by_role("rowheader", name="Pain now, 0-10 (7-day mean)")).to_be_visible()
    expect(figures.get_by_role("rowheader", name="Red flags reported")).to_be_visible()
    expect(page.get_by_role("link", name="Download PDF")).not_to_be_visible()
    expect(page.get_by_role("navigation", name="Main")).not_to_be_visible()

    page.emulate_media(media="screen")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download PDF").click()
    download = download_info.value
    with open(download.path(), "rb") as handle:
        content = handle.read()
    assert content.startswith(b"%PDF-")
    assert download.suggested_filename.endswith(".pdf")
    assert len(PdfReader(io.BytesIO(content)).pages) <= 2


@pytest.mark.parametrize("width", [390, 768])
def test_it_reads_the_letter_on_a_phone_and_a_tablet(
    live_server, desktop_page, phone_page, clinician, patient, width
):
    a_year_of_care(patient, clinician)
    page = phone_page if width == 390 else desktop_page
    if width == 768:
        page.set_viewport_size({"width": 768, "height": 1024})
    log_in(page, live_server, "dr.okafor", PASSWORD)

    page.goto(f"{live_server.url}/patients/{patient.pk}/referral/")

    expect(page.get_by_role("heading", name="Key figures")).to_be_visible()
    expect(page.get_by_role("link", name="Download PDF")).to_be_visible()
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
