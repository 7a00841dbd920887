"""The clinic administrator sets when a warning sign is escalated and to whom, in the clinic's
admin page, and sees every warning-sign notification of their own clinic (and no other's)."""

import uuid

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from tests.factories import ClinicFactory, ClinicianFactory, PatientFactory, UserFactory
from tests.helpers import at_utc, clinic_admin_form, open_alert, signed_in_clinic_admin
from tracker.models import Clinic, Notification, WarningSignAlert
from tracker.services.alerts import alerts_send

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, clinic):
    return signed_in_clinic_admin(client, clinic, "view_notification", "change_clinic")


def _form(clinic: Clinic, **fields) -> dict:
    return clinic_admin_form(
        clinic,
        **{
            "alert_escalation_hours": "6",
            "escalation_email": "spine.duty@northgate.example.org",
            **fields,
        },
    )


def test_it_lets_the_clinic_administrator_set_the_escalation(admin_client, clinic):
    url = reverse("admin:tracker_clinic_change", args=[clinic.pk])

    page = admin_client.get(url).content.decode()
    response = admin_client.post(url, _form(clinic))

    assert "Warning signs: escalation" in page and "Leave blank for no escalation" in page
    assert response.status_code == 302
    clinic.refresh_from_db()
    assert (clinic.alert_escalation_hours, clinic.escalation_email) == (
        6,
        "spine.duty@northgate.example.org",
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("alert_escalation_hours", "0"),
        ("alert_escalation_hours", "73"),
        ("alert_escalation_hours", "four"),
        ("alert_escalation_hours", ""),
        ("escalation_email", "duty at the clinic"),
    ],
    ids=["zero-hours", "over-three-days", "words", "no-hours", "not-an-address"],
)
def test_it_refuses_an_escalation_that_could_not_work(admin_client, clinic, field, value):
    url = reverse("admin:tracker_clinic_change", args=[clinic.pk])

    response = admin_client.post(url, _form(clinic, **{field: value}))

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert list(form.errors) == [field]
    assert form[field].value() == value and form["emergency_number"].value() == "999"
    clinic.refresh_from_db()
    assert (clinic.alert_escalation_hours, clinic.escalation_email) == (4, "")


@pytest.mark.parametrize("hours", [0, 73], ids=["zero", "over-72"])
def test_the_database_refuses_escalation_hours_out_of_bounds(clinic, hours):
    with pytest.raises(IntegrityError), transaction.atomic():
        Clinic.objects.filter(pk=clinic.pk).update(alert_escalation_hours=hours)


def test_the_database_refuses_an_alert_notification_without_its_alert_or_address(patient):
    alert = open_alert(patient)
    common = {"patient": patient, "channel": "email", "local_day": alert.day, "claim": uuid.uuid4()}
    bad = [
        {"kind": "warning_alert", "recipient": patient.treating_clinician, "alert": None},
        {"kind": "escalation", "recipient": None, "alert": alert, "address": ""},
        {"kind": "reminder", "recipient": patient.user, "alert": alert},
    ]
    for fields in bad:
        with pytest.raises(IntegrityError), transaction.atomic():
            Notification.objects.create(**common, **fields)


@pytest.fixture
def told(patient, clinic):
    """Our patient's warning sign told and escalated; another clinic's likewise."""
    elsewhere = ClinicFactory(name="Elsewhere Clinic", escalation_email="duty@elsewhere.example")
    foreign = PatientFactory(
        user=UserFactory(username="far.away"),
        clinic=elsewhere,
        treating_clinician=ClinicianFactory(username="dr.far", clinic=elsewhere),
    )
    clinic.escalation_email = "duty@northgate.example.org"
    clinic.save()
    open_alert(patient)
    open_alert(foreign)
    WarningSignAlert.objects.update(created_at=at_utc("2026-11-02 10:00"))
    alerts_send(now=at_utc("2026-11-02 10:01"))
    alerts_send(now=at_utc("2026-11-02 14:00"))
    return foreign


def test_it_lists_the_clinics_alerts_and_escalations_only(admin_client, patient, told):
    response = admin_client.get(reverse("admin:tracker_notification_changelist"))

    shown = list(response.context["cl"].result_list)
    assert {(n.patient, n.kind) for n in shown} == {
        (patient, "warning_alert"),
        (patient, "escalation"),
    }
    page = response.content.decode()
    assert "Warning sign: care team told" in page and "Warning sign: escalated" in page
    assert "duty@northgate.example.org" in page and "duty@elsewhere.example" not in page


def test_it_hides_another_clinics_escalation(admin_client, told):
    theirs = Notification.objects.get(patient=told, kind="escalation")

    response = admin_client.get(reverse("admin:tracker_notification_change", args=[theirs.pk]))

    assert response.status_code == 302
    assert reverse("admin:index") in response["Location"]
