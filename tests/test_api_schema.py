"""The OpenAPI schema and the interactive docs, served locally under our CSP."""

import re

import pytest
import yaml
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _schema(client) -> dict:
    response = client.get(reverse("api:schema"))
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def test_it_documents_every_error_status(client):
    schema = _schema(client)

    operations = [
        (path, method, op) for path, item in schema["paths"].items() for method, op in item.items()
    ]
    assert {path for path, _, _ in operations} >= {
        "/api/me/",
        "/api/patients/",
        "/api/patients/{patient_id}/",
        "/api/exports/{dataset}/",
    }
    for path, method, op in operations:
        assert {"401", "404"} <= set(op["responses"]), f"{method} {path}"
        if method in {"patch", "post", "put", "delete"}:
            assert {"400", "403"} <= set(op["responses"]), f"{method} {path}"
    assert {"tokenAuth", "cookieAuth"} <= set(schema["components"]["securitySchemes"])


def test_it_serves_the_docs_without_inline_script_or_style(client):
    response = client.get(reverse("api:docs"))

    page = response.content.decode()
    csp = response["Content-Security-Policy"]
    assert response.status_code == 200
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert not re.search(r"<script>|<script [^>]*>[^<]+</script>|<style", page)
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()
    script = re.search(r'<script src="([^"]+script=[^"]*)"', page).group(1).replace("&amp;", "&")
    init = client.get(script)
    assert init.status_code == 200
    assert init["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in init.content.decode()


def _allowed(schema: dict, component: str, prop: str) -> set:
    """The values the schema allows for one property of a component (enums through refs)."""
    components = schema["components"]["schemas"]
    field = components[component]["properties"][prop]
    allowed = {None} if field.get("nullable") else set()
    for option in field.get("oneOf", []) + field.get("allOf", []):
        allowed |= set(components[option["$ref"].rsplit("/", 1)[1]]["enum"])
    return allowed


CHECKIN = {
    "pain_now": 3,
    "pain_worst": 5,
    "saddle_numbness": False,
    "bladder_bowel": False,
    "leg_weakness_worse": False,
}


@pytest.mark.parametrize("prop", ["pain_reach", "pain_side"])
def test_it_answers_an_unanswered_choice_as_the_schema_says(patient_client, patient, prop):
    """The schema said left/right/both while an unanswered pain_side came back as ""."""
    url = reverse("api:checkin_day", args=[patient.local_today().isoformat()])
    schema = _schema(patient_client)

    unanswered = patient_client.put(url, CHECKIN, content_type="application/json")
    as_null = patient_client.put(url, CHECKIN | {prop: None}, content_type="application/json")
    listed = patient_client.get(reverse("api:checkin_list")).json()["results"][0]

    assert unanswered.status_code in {200, 201}, unanswered.content
    assert as_null.status_code == 200, as_null.content
    assert unanswered.json()[prop] is None and as_null.json()[prop] is None
    assert listed[prop] is None
    assert patient.diary_entries.get().__dict__[prop] == ""  # stored as "unanswered"
    assert None in _allowed(schema, "Checkin", prop)
    assert None in _allowed(schema, "CheckinWriteRequest", prop)
    assert "" not in _allowed(schema, "Checkin", prop)


def test_it_answers_an_answered_side_as_itself(patient_client, patient):
    url = reverse("api:checkin_day", args=[patient.local_today().isoformat()])
    answer = CHECKIN | {"pain_reach": "thigh", "pain_side": "left"}

    response = patient_client.put(url, answer, content_type="application/json")

    assert (response.json()["pain_reach"], response.json()["pain_side"]) == ("thigh", "left")
    assert {"left", "right", "both"} <= _allowed(_schema(patient_client), "Checkin", "pain_side")
