"""Production settings: refuse unsafe configuration, pass Django's deployment checklist."""

import pytest

from tests.helpers import STRONG_KEY, run_manage


@pytest.mark.parametrize("fail_level", ["WARNING"])
def test_it_passes_the_deployment_checklist_in_production(fail_level):
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        fail_level,
        PARSTRACK_ENV="production",
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="parstrack.example.org",
    )

    assert result.returncode == 0, result.stderr + result.stdout


def test_it_refuses_to_start_in_production_without_a_secret_key():
    result = run_manage("check", PARSTRACK_ENV="production", ALLOWED_HOSTS="x.example.org")

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_it_refuses_the_development_key_with_debug_off():
    result = run_manage(
        "check",
        PARSTRACK_ENV="production",
        SECRET_KEY="django-insecure-parstrack-development-only-never-use-in-production",
    )

    assert result.returncode != 0
    assert "development SECRET_KEY" in result.stderr


def test_it_refuses_debug_in_production():
    result = run_manage("check", PARSTRACK_ENV="production", SECRET_KEY=STRONG_KEY, DEBUG="1")

    assert result.returncode != 0
    assert "DEBUG must be off" in result.stderr


@pytest.mark.parametrize("debug", ["0", "false", "off"])
def test_it_refuses_debug_off_without_a_named_profile(debug):
    # Issue 19, finding 10: DEBUG=0 and a SECRET_KEY without PARSTRACK_ENV=production used to
    # run the development profile: cookies without Secure, no HSTS, no HTTPS redirect.
    result = run_manage("check", DEBUG=debug, SECRET_KEY=STRONG_KEY, ALLOWED_HOSTS="x.example.org")

    assert result.returncode != 0
    assert "PARSTRACK_ENV=production" in result.stderr


def test_it_allows_debug_off_in_a_development_profile_named_on_purpose():
    result = run_manage("check", PARSTRACK_ENV="development", DEBUG="0", SECRET_KEY=STRONG_KEY)

    assert result.returncode == 0, result.stderr + result.stdout


def test_it_starts_in_development_with_nothing_set():
    result = run_manage("check")

    assert result.returncode == 0, result.stderr + result.stdout
