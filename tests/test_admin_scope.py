"""The Django admin shows a clinic administrator only their own clinic's records."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from tests.factories import ClinicFactory, ClinicianFactory, PatientFactory, UserFactory
from tracker.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, clinic):
    """A clinic administrator who is not a superuser, allowed to view patients and users."""
    admin_user = UserFactory(username="clinic.admin", role=Role.CLINIC_ADMIN, clinic=clinic)
    admin_user.is_staff = True
    admin_user.save()
    admin_user.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_patient", "view_user", "view_exercise"])
    )
    client.force_login(admin_user)
    return client


@pytest.fixture
def foreign_patient():
    elsewhere = ClinicFactory(name="Elsewhere Clinic")
    return PatientFactory(
        user=UserFactory(username="far.away", first_name="Far", last_name="Away"),
        clinic=elsewhere,
        treating_clinician=ClinicianFactory(username="dr.far", clinic=elsewhere),
    )


def test_it_lists_only_the_administrators_clinic(admin_client, patient, foreign_patient):
    response = admin_client.get(reverse("admin:tracker_patient_changelist"))

    assert response.status_code == 200
    shown = list(response.context["cl"].result_list)
    assert patient in shown
    assert foreign_patient not in shown


def test_it_hides_another_clinics_patient_page(admin_client, foreign_patient):
    response = admin_client.get(reverse("admin:tracker_patient_change", args=[foreign_patient.pk]))

    assert response.status_code == 302  # the admin redirects a missing object to its index
    assert reverse("admin:index") in response["Location"]


def test_it_lists_only_the_clinics_users(admin_client, patient, foreign_patient):
    response = admin_client.get(reverse("admin:tracker_user_changelist"))

    names = {u.username for u in response.context["cl"].result_list}
    assert "maya" in names and "dr.okafor" in names
    assert "far.away" not in names and "dr.far" not in names


def test_it_shows_a_superuser_every_clinic(client, patient, foreign_patient):
    root = UserFactory(username="root", role=Role.CLINIC_ADMIN, is_staff=True, is_superuser=True)
    client.force_login(root)

    response = client.get(reverse("admin:tracker_patient_changelist"))

    assert {patient, foreign_patient} <= set(response.context["cl"].result_list)


def test_it_keeps_admin_rights_and_clinic_moves_for_superusers(admin_client, patient):
    from tracker.models import User

    admin_user = User.objects.get(username="clinic.admin")
    admin_user.user_permissions.add(Permission.objects.get(codename="change_user"))

    page = admin_client.get(reverse("admin:tracker_user_change", args=[patient.user.pk]))

    form = page.context["adminform"].form
    assert "is_superuser" not in form.fields and "clinic" not in form.fields
    assert "first_name" in form.fields


def test_it_offers_only_the_clinics_clinicians_as_treating_clinician(
    admin_client, patient, foreign_patient
):
    from tracker.models import User

    admin_user = User.objects.get(username="clinic.admin")
    admin_user.user_permissions.add(Permission.objects.get(codename="change_patient"))

    page = admin_client.get(reverse("admin:tracker_patient_change", args=[patient.pk]))

    choices = page.context["adminform"].form.fields["treating_clinician"].queryset
    assert patient.treating_clinician in choices
    assert foreign_patient.treating_clinician not in choices


def test_it_audits_reading_a_patients_history_in_the_admin(admin_client, patient):
    from tracker.models import AuditEvent

    response = admin_client.get(reverse("admin:tracker_patient_history", args=[patient.pk]))

    assert response.status_code == 200
    assert AuditEvent.objects.filter(patient=patient, what="admin: patient history").exists()
