"""The referral letter a surgeon reads: letterhead, the patient's number, who refers, the key
figures, words meant for a surgeon, and its PDF (two A4 pages for a year of data)."""

import datetime as dt
import io
import re

import pytest
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from tests.factories import (
    ClinicianNoteFactory,
    ImagingStudyFactory,
    outcome_schedule,
    rehab_brace,
    rehab_programme,
    submitted_response,
)
from tests.helpers import assert_login_redirect, assert_not_found_for, history, open_alert
from tracker.models import AuditEvent, QuestionnaireResponse, WarningSignAlert

pytestmark = pytest.mark.django_db

ODI_SECTIONS = (
    "pain_intensity",
    "personal_care",
    "lifting",
    "walking",
    "sitting",
    "standing",
    "sleeping",
    "sex_life",
    "social_life",
    "travelling",
)
# Words meant for the care team or for developers, never for a surgeon reading the letter.
INTERNAL_WORDS = ("check they did", "acknowledge", "docs/", ".md", "grade Grade", "Outranked")


def a_year_of_care(patient, clinician):
    """A patient a year into conservative care with everything a year brings: daily check-ins,
    two braces, programme changes, questionnaires every six weeks, imaging, notes, red flags."""
    today = patient.local_today()
    started = today - dt.timedelta(days=365)
    patient.conservative_care_started = patient.enrolled_on = started
    patient.spondylolisthesis, patient.slip_grade = True, 2
    patient.hospital_number = "9434765919"
    patient.save()
    history(patient, 365, pain=lambda n: 7 if n < 90 else 6)
    rehab_brace(patient, valid_from=started)
    rehab_brace(patient, valid_from=started + dt.timedelta(days=120), kind="soft", hours="12")
    for weeks in (0, 6, 12, 20, 30, 40):
        rehab_programme(patient, valid_from=started + dt.timedelta(weeks=weeks))
    outcome_schedule(patient, "psfs")
    outcome_schedule(patient, "odi")
    for n in range(9):
        due = started + dt.timedelta(weeks=6 * n)
        submitted_response(
            patient,
            "psfs",
            due_on=due,
            answers={"1": 3, "2": 4, "3": 4 + n % 2},
            activities=["Bowling", "Sitting in class", "Running"],
        )
        submitted_response(
            patient, "odi", due_on=due, answers={k: 3 - n // 4 for k in ODI_SECTIONS}
        )
    # Answered on the day each was due, not all today.
    QuestionnaireResponse.objects.filter(patient=patient).update(submitted_on=F("due_on"))
    for weeks, percent in ((1, 28), (26, 32), (50, 33)):
        ImagingStudyFactory(
            patient=patient,
            taken_on=started + dt.timedelta(weeks=weeks),
            slip_percent=percent,
            slip_grade=2,
        )
    for weeks in (4, 16, 30):
        ClinicianNoteFactory(
            patient=patient, author=clinician, written_on=started + dt.timedelta(weeks=weeks)
        )
    for days_ago in (200, 100):
        alert = open_alert(patient, today - dt.timedelta(days=days_ago))
        WarningSignAlert.objects.filter(pk=alert.pk).update(
            acknowledged_by=clinician, acknowledged_at=timezone.now()
        )
    open_alert(patient, today - dt.timedelta(days=2))


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
    client, patient, other_patient, other_clinician, foreign_clinician
):
    url = reverse("tracker:referral_pdf", args=[patient.pk])

    assert_not_found_for(
        client, [patient.user, other_patient.user, other_clinician, foreign_clinician], url
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
    for internal in INTERNAL_WORDS:
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
    for internal in INTERNAL_WORDS:
        assert internal not in text, internal
    assert letterhead.name in text and "Leeds LS2 7QT" in text
    assert "943 476 5919" in text
    assert "Key figures" in text and "Pain trajectory" in text
    assert "Back to trends" not in text and "Download PDF" not in text
