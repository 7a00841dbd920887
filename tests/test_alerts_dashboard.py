"""Beside an open warning sign the clinician reads, in words, when the care team was emailed and
whether it was escalated (times in the patient's zone, as the rest of the alert)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.helpers import open_alert
from tracker.models import Notification, WarningSignAlert
from tracker.services.alerts import alerts_send

pytestmark = pytest.mark.django_db


def _told(client) -> list[str]:
    return [a.told for a in client.get(reverse("tracker:patient_list")).context["alerts"]]


def _sent_at(patient, kind: str) -> str:
    sent = Notification.objects.filter(patient=patient, kind=kind).get().sent_at
    return f"{sent.astimezone(patient.zone):%H:%M}"


def _raised(patient, hours_ago: float) -> WarningSignAlert:
    alert = open_alert(patient)
    raised = timezone.now() - dt.timedelta(hours=hours_ago)
    WarningSignAlert.objects.filter(pk=alert.pk).update(created_at=raised)
    return alert


def test_it_says_when_the_team_was_emailed_and_when_it_will_escalate(
    clinician_client, patient, clinic
):
    clinic.escalation_email, clinic.alert_escalation_hours = "duty@northgate.example.org", 4
    clinic.save()
    alert = _raised(patient, hours_ago=0)
    alerts_send(now=timezone.now())

    (told,) = _told(clinician_client)

    alert.refresh_from_db()
    due = alert.created_at + dt.timedelta(hours=4)
    escalates = f"{due.astimezone(patient.zone):%H:%M}"
    if due.astimezone(patient.zone).date() != timezone.now().astimezone(patient.zone).date():
        escalates = f"{due.astimezone(patient.zone):%-d %b %H:%M}"
    assert told == (
        f"Care team emailed at {_sent_at(patient, 'warning_alert')}. "
        f"Not escalated; it will be at {escalates} if still open."
    )
    page = clinician_client.get(reverse("tracker:patient_list")).content.decode()
    assert f'<p class="urgent-told">{told}</p>' in page


def test_it_says_when_it_was_escalated(clinician_client, patient, clinic):
    clinic.escalation_email, clinic.alert_escalation_hours = "duty@northgate.example.org", 1
    clinic.save()
    _raised(patient, hours_ago=1.5)
    alerts_send(now=timezone.now())

    (told,) = _told(clinician_client)

    assert told.endswith(f"Escalated to the clinic's contact at {_sent_at(patient, 'escalation')}.")
    assert told.startswith("Care team emailed at ")


def test_it_says_there_is_no_escalation_without_a_contact(clinician_client, patient):
    _raised(patient, hours_ago=0)

    (told,) = _told(clinician_client)

    assert told == "Care team not emailed yet. Not escalated: the clinic has no escalation contact."


def test_a_clinician_outside_the_care_team_sees_neither_the_alert_nor_its_words(
    client, patient, other_clinician
):
    _raised(patient, hours_ago=0)
    alerts_send(now=timezone.now())
    client.force_login(other_clinician)

    page = client.get(reverse("tracker:patient_list"))

    assert page.context["alerts"] == [] and "Care team emailed" not in page.content.decode()
