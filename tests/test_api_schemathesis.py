"""Schemathesis over the whole OpenAPI schema, in-process through the WSGI app: as a clinician
(token) and as a patient (session), no response is a 5xx and every response matches the schema."""

import secrets

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.factories import PatientFactory, UserFactory
from tracker.services.api_tokens import api_token_create
from tracker.wsgi import application

pytestmark = pytest.mark.django_db

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)


# Loaded at collection: generating the schema reads no database. (schemathesis's
# `pytest.from_fixture` would load it per test, but it breaks on pytest 9's node ids.)
schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
# The coverage phase enumerates every boundary and negative combination up front (hundreds of
# cases for one PATCH); random fuzzing at max_examples keeps the suite quick on two cores.
schema.config.phases.coverage.enabled = False


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Django's test client does this too: the WSGI app's request signals would otherwise close
    the database connection that holds the test's transaction (on PostgreSQL)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def records(patient, other_patient, clinician, foreign_clinician):
    """Records for the fuzzer to meet: the clinician's patient, someone else's, a foreign one."""
    PatientFactory(
        user=UserFactory(first_name="Zoë", last_name="Ødegård"),
        clinic=foreign_clinician.clinic,
        treating_clinician=foreign_clinician,
    )


@schema.parametrize()
@FUZZ
def test_it_answers_a_clinician_within_the_schema(case, clinician):
    _, raw = api_token_create(user=clinician, name="schemathesis")

    case.call_and_validate(headers={"Authorization": f"Token {raw}"}, checks=CHECKS)


@schema.parametrize()
@FUZZ
def test_it_answers_a_patient_within_the_schema(case, client, patient):
    client.force_login(patient.user)
    # A browser's CSRF pair, so that writes get past the CSRF check and reach the serializer.
    csrf = secrets.token_hex(16)
    cookies = {"sessionid": client.cookies["sessionid"].value, "csrftoken": csrf}

    case.call_and_validate(cookies=cookies, headers={"X-CSRFToken": csrf}, checks=CHECKS)
