"""The one access rule: the patient themself and their care team; 404 for everyone else."""

import pytest
from django.http import Http404

from tracker.access import get_patient_for, visible_patients

pytestmark = pytest.mark.django_db


def can_see_patient(user, patient) -> bool:
    """What a caller of the access rule meets: the patient among the user's visible patients, and
    fetching them by id works (a 404 otherwise); the two must agree."""
    listed = visible_patients(user).filter(pk=patient.pk).exists()
    try:
        get_patient_for(user, patient.pk)
    except Http404:
        fetched = False
    else:
        fetched = True
    assert listed == fetched
    return fetched


def test_it_lets_a_patient_see_only_themself(patient, other_patient):
    assert list(visible_patients(patient.user)) == [patient]


def test_it_lets_a_clinician_see_their_care_team_patients(patient, other_patient, clinician):
    assert list(visible_patients(clinician)) == [patient]
    assert can_see_patient(clinician, patient)


def test_it_hides_patients_from_clinicians_outside_the_care_team(
    patient, other_clinician, foreign_clinician
):
    assert not can_see_patient(other_clinician, patient)
    assert not can_see_patient(foreign_clinician, patient)


def test_it_hides_patients_from_administrators_in_the_app(patient, clinic_admin):
    assert not can_see_patient(clinic_admin, patient)


def test_it_hides_patients_from_anonymous_users(patient):
    from django.contrib.auth.models import AnonymousUser

    assert not can_see_patient(AnonymousUser(), patient)


def test_it_hides_patients_from_deactivated_clinicians(patient, clinician):
    clinician.is_active = False
    clinician.save()

    assert not can_see_patient(clinician, patient)


@pytest.mark.parametrize("bad_id", ["abc", None, "1; DROP TABLE", "99999999999999999999"])
def test_it_answers_404_for_malformed_ids(clinician, bad_id):
    with pytest.raises(Http404):
        get_patient_for(clinician, bad_id)
