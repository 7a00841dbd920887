"""Clinicians' imaging and notes pages: access, adding, bad input, flags, patient page links."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import ClinicianNoteFactory, ImagingStudyFactory
from tests.helpers import assert_login_redirect, assert_not_found_for
from tracker.models import ClinicianNote, ImagingStudy

pytestmark = pytest.mark.django_db

URLS = [
    ("tracker:imaging_list", "get"),
    ("tracker:imaging_add", "get"),
    ("tracker:imaging_add", "post"),
    ("tracker:note_list", "get"),
    ("tracker:note_list", "post"),
]


def _imaging(patient, **overrides) -> dict:
    data = {
        "taken_on": (patient.local_today() - dt.timedelta(days=3)).isoformat(),
        "modality": "xray",
        "slip_percent": "18",
        "slip_grade": "",
        "defect_findings": "Bilateral L5 pars defects, sclerotic margins",
        "note": "Standing lateral view.",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(("name", "method"), URLS, ids=lambda v: str(v))
def test_it_hides_the_record_from_everyone_outside_the_care_team(
    client,
    patient,
    other_patient,
    other_clinician,
    foreign_clinician,
    clinic_admin,
    name,
    method,
    guardians,
):
    ImagingStudyFactory(patient=patient)
    url = reverse(name, args=[patient.pk])

    assert_not_found_for(
        client,
        [
            patient.user,
            other_patient.user,
            other_clinician,
            foreign_clinician,
            clinic_admin,
            *guardians,
        ],
        url,
        method,
    )
    assert_login_redirect(client, url, method)
    assert ImagingStudy.objects.count() == 1
    assert not ClinicianNote.objects.exists()


def test_it_adds_imaging_and_works_out_the_grade(clinician_client, clinician, patient):
    response = clinician_client.post(
        reverse("tracker:imaging_add", args=[patient.pk]), _imaging(patient, slip_percent="32.5")
    )

    assert response.status_code == 302
    study = ImagingStudy.objects.get()
    assert (study.slip_percent, study.slip_grade) == (Decimal("32.5"), 2)
    assert study.created_by == clinician
    page = clinician_client.get(response["Location"])
    assert "32.5%, grade Grade II (25-50%)" in page.text
    assert "Bilateral L5 pars defects" in page.text


def test_it_keeps_an_entered_grade_when_there_is_no_percentage(clinician_client, patient):
    clinician_client.post(
        reverse("tracker:imaging_add", args=[patient.pk]),
        _imaging(patient, slip_percent="", slip_grade="1", modality="mri"),
    )

    study = ImagingStudy.objects.get()
    assert (study.slip_percent, study.slip_grade, study.modality) == (None, 1, "mri")


@pytest.mark.parametrize(
    ("field", "overrides", "message"),
    [
        ("slip_percent", {"slip_percent": "200"}, "at most 150%"),
        ("slip_percent", {"slip_percent": "-3"}, "below 0%"),
        ("slip_percent", {"slip_percent": "lots"}, "as a number"),
        ("taken_on", {"taken_on": "2999-01-01"}, "cannot be in the future"),
        ("taken_on", {"taken_on": "2025-02-30"}, "Enter a valid date"),
        (
            "slip_grade",
            {"slip_percent": "60", "slip_grade": "1"},
            "60% slip is Meyerding grade III",
        ),
        ("slip_grade", {"slip_percent": "0", "slip_grade": "1"}, "0% slip has no grade"),
        ("slip_grade", {"slip_grade": "7"}, "Select a valid choice"),
        ("modality", {"modality": "pet"}, "Select a valid choice"),
        ("defect_findings", {"defect_findings": "x" * 201}, "at most 200 characters"),
    ],
    ids=lambda v: str(v)[:24],
)
def test_it_rejects_bad_imaging_beside_the_field(
    clinician_client, patient, field, overrides, message
):
    response = clinician_client.post(
        reverse("tracker:imaging_add", args=[patient.pk]), _imaging(patient, **overrides)
    )

    assert response.status_code == 200
    assert message in str(response.context["form"].errors[field])
    assert "Standing lateral view." in response.text
    assert not ImagingStudy.objects.exists()


def test_it_flags_a_growing_and_a_high_grade_slip(clinician_client, patient):
    today = patient.local_today()
    ImagingStudyFactory(
        patient=patient, taken_on=today - dt.timedelta(weeks=30), slip_percent=20, slip_grade=1
    )
    ImagingStudyFactory(
        patient=patient, taken_on=today - dt.timedelta(weeks=10), slip_percent=23, slip_grade=1
    )
    ImagingStudyFactory(
        patient=patient, taken_on=today - dt.timedelta(weeks=1), slip_percent=52, slip_grade=3
    )

    response = clinician_client.get(reverse("tracker:imaging_list", args=[patient.pk]))

    rows = response.context["rows"]
    assert [(r.flags.grown, r.flags.high_grade) for r in rows] == [
        (True, True),
        (False, False),
        (False, False),
    ]
    assert "Slip grew 32 points since first imaging" in response.text
    assert "High-grade slip" in response.text


def test_it_adds_a_note_and_lists_it_newest_first(clinician_client, clinician, patient):
    ClinicianNoteFactory(
        patient=patient, written_on=patient.local_today() - dt.timedelta(days=9), text="Older note"
    )

    response = clinician_client.post(
        reverse("tracker:note_list", args=[patient.pk]),
        {"written_on": patient.local_today().isoformat(), "text": "  Brace weaning from Monday.  "},
        follow=True,
    )

    notes = response.context["notes"]
    assert [n.text for n in notes] == ["Brace weaning from Monday.", "Older note"]
    assert notes[0].author == clinician
    assert "Note saved." in response.text


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"written_on": "2999-01-01", "text": "Kept"},
            "written_on",
            "cannot be dated in the future",
        ),
        ({"written_on": "", "text": "Kept"}, "written_on", "This field is required"),
        ({"written_on": "2025-01-01", "text": "   "}, "text", "Write the note"),
        ({"written_on": "2025-01-01", "text": "x" * 4001}, "text", "at most 4000 characters"),
    ],
    ids=["future", "no-date", "blank", "too-long"],
)
def test_it_rejects_a_bad_note_beside_the_field(clinician_client, patient, data, field, message):
    response = clinician_client.post(reverse("tracker:note_list", args=[patient.pk]), data)

    assert response.status_code == 200
    assert message in str(response.context["form"].errors[field])
    assert not ClinicianNote.objects.exists()


def test_it_escapes_html_in_notes(clinician_client, patient):
    ClinicianNoteFactory(patient=patient, text="<script>alert(1)</script>")

    response = clinician_client.get(reverse("tracker:note_list", args=[patient.pk]))

    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;" in response.text


def test_it_shows_imaging_and_notes_on_the_patient_page(clinician_client, patient):
    ImagingStudyFactory(patient=patient, slip_percent=Decimal("55"), slip_grade=3, modality="ct")
    ClinicianNoteFactory(patient=patient, text="Discussed surgical opinion.")

    response = clinician_client.get(reverse("tracker:patient_detail", args=[patient.pk]))

    assert "Slip flagged:" in response.text
    assert "Latest: CT" in response.text
    assert "Discussed surgical opinion." in response.text
    assert reverse("tracker:imaging_add", args=[patient.pk]) in response.text
    assert reverse("tracker:note_list", args=[patient.pk]) in response.text


def test_it_never_shows_notes_to_the_patient(patient_client, patient):
    ClinicianNoteFactory(patient=patient, text="Private clinical reasoning.")

    response = patient_client.get(reverse("tracker:patient_home"))

    assert response.status_code == 200
    assert "Private clinical reasoning." not in response.text
