"""The clinic administrator sees every notification sent to their clinic's patients, and no
other clinic's, read-only."""

import pytest
from django.urls import reverse

from tests.factories import ClinicFactory, ClinicianFactory, PatientFactory, UserFactory
from tests.helpers import at_utc, reminders_on, signed_in_clinic_admin
from tracker.models import AuditEvent, Notification
from tracker.services.reminder_sending import reminders_send

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, clinic):
    return signed_in_clinic_admin(client, clinic, "view_notification")


@pytest.fixture
def sent(patient):
    elsewhere = ClinicFactory(name="Elsewhere Clinic")
    foreign = PatientFactory(
        user=UserFactory(username="far.away"),
        clinic=elsewhere,
        treating_clinician=ClinicianFactory(username="dr.far", clinic=elsewhere),
    )
    reminders_on(patient)
    reminders_on(foreign)
    reminders_send(now=at_utc("2026-11-02 19:00"))
    return Notification.objects.get(patient=patient), Notification.objects.get(patient=foreign)


def test_it_lists_the_clinics_notifications_only(admin_client, sent):
    ours, theirs = sent

    response = admin_client.get(reverse("admin:tracker_notification_changelist"))

    shown = list(response.context["cl"].result_list)
    assert shown == [ours]
    page = response.content.decode()
    assert "Check-in reminder" in page and "Sent" in page
    assert AuditEvent.objects.filter(patient=ours.patient, what__contains="notification").exists()


def test_it_hides_another_clinics_notification(admin_client, sent):
    _, theirs = sent

    response = admin_client.get(reverse("admin:tracker_notification_change", args=[theirs.pk]))

    assert response.status_code == 302
    assert reverse("admin:index") in response["Location"]


def test_nobody_can_change_or_delete_a_notification_record(admin_client, sent):
    ours, _ = sent

    page = admin_client.get(reverse("admin:tracker_notification_change", args=[ours.pk]))
    admin_client.post(reverse("admin:tracker_notification_delete", args=[ours.pk]), {"post": "yes"})

    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert Notification.objects.filter(pk=ours.pk).exists()
