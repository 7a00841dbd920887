"""Deleting a user never takes clinical data with it: patients are discharged, not deleted."""

import pytest
from django.db.models import ProtectedError
from django.urls import reverse

from tracker.models import Patient

pytestmark = pytest.mark.django_db


def test_it_refuses_to_delete_a_patients_user(patient):
    with pytest.raises(ProtectedError):
        patient.user.delete()

    assert Patient.objects.filter(pk=patient.pk).exists()


def test_it_refuses_to_delete_a_clinician_who_cares_for_patients(clinician, patient):
    with pytest.raises(ProtectedError):
        clinician.delete()

    assert patient.memberships.filter(clinician=clinician).exists()


def test_it_refuses_to_delete_a_user_with_an_audit_trail(clinician_client, other_clinician):
    clinician_client.force_login(other_clinician)  # the sign-in is in the trail

    with pytest.raises(ProtectedError):
        other_clinician.delete()


def test_it_offers_no_delete_in_the_admin_for_users_or_patients(client, clinic_admin, patient):
    clinic_admin.is_superuser = True
    clinic_admin.save()
    client.force_login(clinic_admin)

    user_delete = client.get(reverse("admin:tracker_user_delete", args=[patient.user.pk]))
    patient_delete = client.get(reverse("admin:tracker_patient_delete", args=[patient.pk]))

    assert user_delete.status_code == 403
    assert patient_delete.status_code == 403


def test_it_keeps_a_discharged_patients_data(clinician_client, patient):
    clinician_client.post(reverse("tracker:patient_discharge", args=[patient.pk]))

    patient.refresh_from_db()
    assert patient.status == Patient.Status.DISCHARGED
    assert patient.history.count() == 2
