"""The demo's parent: `parent` signs in with the demo password and sees Maya's plan and adherence,
not her pain or her private note; a second seed changes nothing."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from tracker.models import DiaryEntry, GuardianLink, Patient, User

pytestmark = pytest.mark.django_db


def test_mayas_parent_sees_her_plan_and_not_her_pain(client, settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=None)
    call_command("seed_demo", stdout=None)
    maya = Patient.objects.get(user__username="patient")

    assert client.login(username="parent", password="parstrack-demo")

    assert User.objects.get(username="parent").is_guardian
    assert GuardianLink.objects.filter(patient=maya, ended_at__isnull=True).count() == 1
    assert client.get(reverse("tracker:guardian_plan", args=[maya.pk])).status_code == 200
    assert client.get(reverse("tracker:guardian_adherence", args=[maya.pk])).status_code == 200
    assert client.get(reverse("tracker:guardian_pain", args=[maya.pk])).status_code == 404
    notes = DiaryEntry.objects.filter(patient=maya).exclude(note="").order_by("-day")
    assert notes[0].note_private and not any(entry.note_private for entry in notes[1:])
