"""API tokens: clinicians create them in the UI (shown once), use them, and revoke them."""

import pytest
from django.urls import reverse

from tests.helpers import assert_login_redirect, assert_not_found_for
from tracker.models import ApiToken
from tracker.services.api_tokens import api_token_create, hash_token

pytestmark = pytest.mark.django_db


def _create(client, name="Research import"):
    return client.post(reverse("tracker:api_tokens"), {"name": name}, follow=True)


def _raw_token_on(page: str) -> str:
    marker = 'id="new-token-value" type="text" readonly value="'
    start = page.index(marker) + len(marker)
    return page[start : page.index('"', start)]


def test_it_creates_a_token_shown_once_and_stores_only_its_hash(clinician_client, clinician):
    response = _create(clinician_client)

    raw = _raw_token_on(response.content.decode())
    token = ApiToken.objects.get()
    assert raw.startswith("pt_") and len(raw) > 40
    assert token.user == clinician and token.name == "Research import"
    assert token.token_hash == hash_token(raw) and raw not in token.token_hash
    assert raw.startswith(token.prefix)
    again = clinician_client.get(reverse("tracker:api_tokens")).content.decode()
    assert raw not in again
    assert "Research import" in again


def test_it_authenticates_with_a_token_and_records_last_use(client, clinician, patient):
    token, raw = api_token_create(user=clinician, name="x")

    response = client.get(reverse("api:patient_list"), HTTP_AUTHORIZATION=f"Token {raw}")

    token.refresh_from_db()
    assert response.status_code == 200
    assert response.json()["results"][0]["id"] == patient.pk
    assert token.last_used_at is not None


def test_it_refuses_a_revoked_token_with_401(clinician_client, client, clinician):
    token, raw = api_token_create(user=clinician, name="x")
    clinician_client.post(reverse("tracker:api_token_revoke", args=[token.pk]))
    clinician_client.logout()

    response = client.get(reverse("api:patient_list"), HTTP_AUTHORIZATION=f"Token {raw}")

    token.refresh_from_db()
    assert token.revoked_at is not None
    assert response.status_code == 401


@pytest.mark.parametrize("header", ["Token nonsense", "Token ", "Token a b", "Bearer pt_x"])
def test_it_refuses_bad_tokens(client, header):
    response = client.get(reverse("api:patient_list"), HTTP_AUTHORIZATION=header)

    assert response.status_code == 401


def test_it_refuses_the_token_of_a_deactivated_clinician(client, clinician):
    _, raw = api_token_create(user=clinician, name="x")
    clinician.is_active = False
    clinician.save()

    response = client.get(reverse("api:patient_list"), HTTP_AUTHORIZATION=f"Token {raw}")

    assert response.status_code == 401


def test_it_lets_only_the_owner_revoke_a_token(client, clinician, other_clinician, guardians):
    token, _ = api_token_create(user=clinician, name="x")

    assert_not_found_for(
        client,
        [other_clinician, *guardians],
        reverse("tracker:api_token_revoke", args=[token.pk]),
        "post",
    )
    token.refresh_from_db()
    assert token.revoked_at is None


def test_it_keeps_tokens_to_clinicians(client, patient, clinic_admin, guardians):
    url = reverse("tracker:api_tokens")

    assert_not_found_for(client, [patient.user, clinic_admin, *guardians], url)
    assert_not_found_for(
        client,
        [patient.user, clinic_admin, *guardians],
        url,
        "post",
    )
    assert_login_redirect(client, url)
    assert ApiToken.objects.count() == 0


def test_it_needs_a_name(clinician_client):
    response = clinician_client.post(reverse("tracker:api_tokens"), {"name": "   "})

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert ApiToken.objects.count() == 0


def test_it_links_tokens_from_the_clinicians_account_page(clinician_client):
    response = clinician_client.get(reverse("tracker:account"))

    assert reverse("tracker:api_tokens") in response.content.decode()
