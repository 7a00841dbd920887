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
