"""The demo clinic: one command, safe to run twice, never with DEBUG off."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from tracker.demo.people import CLINIC_NAME, SECOND_CLINIC_ADMIN, SECOND_CLINIC_NAME
from tracker.models import CareTeamMembership, Clinic, ClinicianNote, ImagingStudy, Patient, User

pytestmark = pytest.mark.django_db


def test_it_creates_the_demo_clinic_with_its_logins(settings):
    settings.DEBUG = True

    call_command("seed_demo", stdout=None)

    # The demo clinic, and a second one whose administrator shows the admin's clinic scope.
    assert set(Clinic.objects.values_list("name", flat=True)) == {CLINIC_NAME, SECOND_CLINIC_NAME}
    demo_patients = Patient.objects.filter(clinic__name=CLINIC_NAME)
    assert demo_patients.count() >= 6
    clinician = User.objects.get(username="clinician")
    assert clinician.check_password("parstrack-demo")
    assert User.objects.get(username="patient").patient.is_active
    assert all(
        CareTeamMembership.objects.filter(patient=p, clinician=clinician).exists()
        for p in demo_patients
    )
    assert not CareTeamMembership.objects.filter(
        clinician=clinician, patient__clinic__name=SECOND_CLINIC_NAME
    ).exists()


def test_it_gives_the_second_clinic_an_administrator_who_sees_only_it(client, settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=None)
    administrator = User.objects.get(username=SECOND_CLINIC_ADMIN)
    client.force_login(administrator)

    response = client.get(reverse("admin:tracker_patient_changelist"))

    assert administrator.check_password("parstrack-demo") and not administrator.is_superuser
    shown = {p.user.username for p in response.context["cl"].result_list}
    assert shown == {"nina", "omar"}


def test_it_does_not_duplicate_on_a_second_run(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    counts = (User.objects.count(), Patient.objects.count(), CareTeamMembership.objects.count())

    call_command("seed_demo")

    assert (
        User.objects.count(),
        Patient.objects.count(),
        CareTeamMembership.objects.count(),
    ) == counts


def test_it_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_it_seeds_imaging_and_notes_once(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    counts = (ImagingStudy.objects.count(), ClinicianNote.objects.count())

    call_command("seed_demo")

    assert counts[0] > 0 and counts[1] > 0
    assert (ImagingStudy.objects.count(), ClinicianNote.objects.count()) == counts
    jonas = ImagingStudy.objects.filter(patient__user__username="jonas").order_by("taken_on")
    assert [s.slip_grade for s in jonas] == [2, 2]


def test_it_sets_the_demo_password_again_on_a_later_run(settings, monkeypatch):
    settings.DEBUG = True
    call_command("seed_demo")
    monkeypatch.setenv("DEMO_PASSWORD", "another-demo-password")

    call_command("seed_demo")

    assert User.objects.get(username="clinician").check_password("another-demo-password")
