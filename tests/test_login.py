"""Logging in lands each role on its start page; logging out ends the session."""

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_it_sends_a_patient_to_their_home(client, patient):
    response = client.post(
        reverse("login"), {"username": "maya", "password": PASSWORD}, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("tracker:patient_home")
    assert "Hi Maya" in response.text


def test_it_sends_a_clinician_to_their_patient_list(client, clinician, patient):
    response = client.post(
        reverse("login"), {"username": "dr.okafor", "password": PASSWORD}, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("tracker:patient_list")
    assert "Maya Patel" in response.text


def test_it_shows_each_role_its_own_navigation(client, patient, clinician):
    client.force_login(patient.user)
    patient_page = client.get(reverse("tracker:patient_home")).text
    client.force_login(clinician)
    clinician_page = client.get(reverse("tracker:patient_list")).text

    assert "Add patient" not in patient_page
    assert "Add patient" in clinician_page


def test_it_refuses_a_wrong_password_without_saying_which_part_was_wrong(client, patient):
    response = client.post(reverse("login"), {"username": "maya", "password": "wrong"})

    assert response.status_code == 200
    assert "correct username and password" in response.text


def test_it_logs_out_on_post(patient_client):
    patient_client.post(reverse("logout"))

    assert patient_client.get(reverse("tracker:patient_home")).status_code == 302


def test_it_keeps_the_admin_for_administrators(client, clinician, clinic_admin):
    client.force_login(clinician)
    assert client.get("/admin/").status_code == 302

    client.force_login(clinic_admin)
    assert client.get("/admin/").status_code == 200


def test_it_emails_a_password_reset_link(client, patient):
    client.post(reverse("password_reset"), {"email": patient.user.email})

    assert len(mail.outbox) == 1
    assert "/accounts/reset/" in mail.outbox[0].body
    assert "maya" in mail.outbox[0].body
