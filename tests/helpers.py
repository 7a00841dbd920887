"""Shared assertions: the access rule, as a user would meet it."""

from django.test import Client


def assert_login_redirect(client: Client, url: str, method: str = "get") -> None:
    client.logout()
    response = getattr(client, method)(url)
    assert response.status_code == 302, f"{method.upper()} {url} gave {response.status_code}"
    assert response["Location"].startswith("/accounts/login/"), response["Location"]


def assert_not_found_for(client: Client, users, url: str, method: str = "get") -> None:
    """Each of these users gets 404, as if the record did not exist."""
    for user in users:
        client.force_login(user)
        response = getattr(client, method)(url)
        assert response.status_code == 404, (
            f"{user.username} got {response.status_code} for {method.upper()} {url}"
        )
    client.logout()


def patient_form_data(patient) -> dict:
    """A valid submission of the patient form for this patient, as it stands."""
    return {
        "first_name": patient.user.first_name,
        "last_name": patient.user.last_name,
        "email": patient.user.email,
        "date_of_birth": patient.date_of_birth.isoformat(),
        "sport": patient.sport,
        "conservative_care_started": patient.conservative_care_started.isoformat(),
        "slip_grade": str(patient.slip_grade or ""),
        "diagnosis_notes": patient.diagnosis_notes,
        "treating_clinician": str(patient.treating_clinician_id),
        "care_team": [str(pk) for pk in patient.care_team.values_list("pk", flat=True)],
        "time_zone": patient.time_zone,
    }
