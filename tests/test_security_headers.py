"""Security headers on every page, and the production cookie and transport settings."""

import json

import pytest
from django.urls import reverse

from tests.helpers import STRONG_KEY, run_manage

pytestmark = pytest.mark.django_db


def test_it_sends_the_security_headers_on_a_page(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True

    response = client.get(reverse("login"), secure=True)

    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp


def test_it_marks_the_session_cookie_httponly_and_samesite(client, patient):
    from tests.factories import PASSWORD

    client.post(reverse("login"), {"username": "maya", "password": PASSWORD})

    cookie = client.cookies["sessionid"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def test_it_uses_secure_cookies_hsts_and_https_in_production():
    names = [
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "X_FRAME_OPTIONS",
        "SESSION_COOKIE_SAMESITE",
        "CLINICIAN_IDLE_MINUTES",
        "AXES_FAILURE_LIMIT",
    ]
    code = (
        "from django.conf import settings as s; import json; "
        f"print(json.dumps({{n: getattr(s, n) for n in {names!r}}}))"
    )

    result = run_manage(
        "shell",
        "-c",
        code,
        PARSTRACK_ENV="production",
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="parstrack.example.org",
    )

    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values == {
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "X_FRAME_OPTIONS": "DENY",
        "SESSION_COOKIE_SAMESITE": "Lax",
        "CLINICIAN_IDLE_MINUTES": 30,
        "AXES_FAILURE_LIMIT": 5,
    }


def test_it_takes_old_secret_keys_from_the_environment_for_rotation():
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings as s; print(len(s.SECRET_KEY_FALLBACKS))",
        PARSTRACK_ENV="production",
        SECRET_KEY=STRONG_KEY,
        SECRET_KEY_FALLBACKS="old-key-one,old-key-two",
        ALLOWED_HOSTS="parstrack.example.org",
    )

    assert result.stdout.strip().splitlines()[-1] == "2"
