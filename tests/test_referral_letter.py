"""The referral letter a surgeon reads: letterhead, the patient's number, who refers, the key
figures, words meant for a surgeon, and its PDF (two A4 pages for a year of data)."""

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from tests.helpers import (
    REFERRAL_INTERNAL_WORDS,
    a_year_of_care,
    assert_login_redirect,
    assert_not_found_for,
    history,
)
from tracker.models import AuditEvent
from tracker.utils.pdf import BASE_URL, LocalStaticFetcher

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(content))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def letterhead(clinic):
    clinic.address = "Northgate House\n12 Mill Lane\nLeeds LS2 7QT"
    clinic.phone = "0113 496 0000"
    clinic.save()
    return clinic


# --- Access -------------------------------------------------------------------------------------


def test_it_gives_the_pdf_only_to_the_care_team(
    client,
    patient,
    other_patient,
    other_clinician,
    foreign_clinician,
    guardians,
):
    url = reverse("tracker:referral_pdf", args=[patient.pk])

    assert_not_found_for(
        client,
        [
            patient.user,
            other_patient.user,
            other_clinician,
            foreign_clinician,
            *guardians,
        ],
        url,
    )
    assert_login_redirect(client, url)


def test_it_audits_the_pdf_as_a_view_of_the_patients_data(clinician_client, clinician, patient):
    history(patient, 20)

    clinician_client.get(reverse("tracker:referral_pdf", args=[patient.pk]))

    event = AuditEvent.objects.get(patient=patient, user=clinician)
    assert event.action == "view"
    assert event.what == "referral pdf"


# --- The letter ---------------------------------------------------------------------------------


def test_it_heads_the_letter_with_the_clinic_and_names_who_refers(
    clinician_client, patient, letterhead
):
    patient.hospital_number = "9434765919"
    patient.save()
    history(patient, 30)

    page = clinician_client.get(reverse("tracker:referral_summary", args=[patient.pk])).text

    assert letterhead.name in page
    assert "12 Mill Lane<br>Leeds LS2 7QT" in page
    assert "Telephone 0113 496 0000" in page
    assert "<dt>NHS number</dt><dd>943 476 5919</dd>" in page
    assert "Amara Okafor, treating clinician" in page


def test_it_says_when_no_number_is_recorded(clinician_client, patient):
    page = clinician_client.get(reverse("tracker:referral_summary", args=[patient.pk])).text

    assert "<dt>Hospital or NHS number</dt><dd>not recorded</dd>" in page


def test_it_shows_the_key_figures_baseline_against_now(clinician_client, patient, clinician):
    a_year_of_care(patient, clinician)

    page = clinician_client.get(reverse("tracker:referral_summary", args=[patient.pk])).text

    figures = page[page.index('id="r-figures"') : page.index('id="r-pain"')]
    for measure in (
        "Pain now, 0-10 (7-day mean)",
        "Worst pain",
        "Brace wear",
        "Exercise sessions",
        "Patient-Specific Functional Scale",
        "Oswestry",
        "Slip on imaging",
        "Red flags reported",
    ):
        assert measure in figures, measure
    assert "7.0" in figures and "6.0" in figures
    assert "33% slip, Meyerding grade II" in figures
    assert "1 not yet reviewed" in figures


def test_it_writes_for_a_surgeon_with_one_date_format(clinician_client, patient, clinician):
    a_year_of_care(patient, clinician)

    page = clinician_client.get(reverse("tracker:referral_summary", args=[patient.pk])).text

    words = re.sub(r"<[^>]+>", " ", page)
    for internal in REFERRAL_INTERNAL_WORDS:
        assert internal not in words, internal
    assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", words), "an ISO date in the letter"
    assert "not yet reviewed by the team" in words


def test_it_makes_a_pdf_of_at_most_two_a4_pages_for_a_year_of_data(
    clinician_client, patient, clinician, letterhead
):
    a_year_of_care(patient, clinician)

    response = clinician_client.get(reverse("tracker:referral_pdf", args=[patient.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="referral-')
    pages, text = pdf_text(response.content)
    assert pages <= 2, f"{pages} pages"
    for internal in REFERRAL_INTERNAL_WORDS:
        assert internal not in text, internal
    assert letterhead.name in text and "Leeds LS2 7QT" in text
    assert "943 476 5919" in text
    assert "Key figures" in text and "Pain trajectory" in text
    assert "Back to trends" not in text and "Download PDF" not in text


# --- The PDF fetches nothing from the network --------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/static/css/app.css",
        "file:///etc/passwd",
        f"{BASE_URL}static/../settings.py",
        f"{BASE_URL}media/uploads/x.png",
        "data:text/css,body{}",
    ],
)
def test_the_pdf_fetches_no_url_but_our_static_files(url):
    with pytest.raises(ValueError):
        LocalStaticFetcher().fetch(url)


def test_the_pdf_gets_our_stylesheet_from_disk():
    response = LocalStaticFetcher().fetch(f"{BASE_URL}static/css/app.css")

    assert b"Referral letter: screen and print" in response.read()
