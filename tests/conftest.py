"""Standing users for every test: a patient and their clinician, and the people who must not see
that patient's data: another patient, a clinician of the same clinic outside the care team, and a
clinician of another clinic.

Also marks the hostile-input modules `hostile` by name (so their files need no marker line):
`pytest -m "not browser and not hostile"` (make test-fast) is the quick part of the suite."""

from pathlib import Path

import pytest

from tests.factories import ClinicFactory, ClinicianFactory, PatientFactory, UserFactory
from tracker.models import Role

# Fuzzing and hostile-input modules: slow, and about what a hostile client sends, not day-to-day.
HOSTILE_MODULES = {"test_hostile_input", "test_api_schemathesis"}


# What makes a test touch the database (pytest-django refuses database access to anything else).
DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "live_server",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--database-tests-only",
        action="store_true",
        help="Run only the tests that use the database (CI's second run, on PostgreSQL: the "
        "others, pure rules and code checks, cannot differ there and already ran).",
    )


def uses_database(item: pytest.Item) -> bool:
    fixtures = set(getattr(item, "fixturenames", ()))
    return item.get_closest_marker("django_db") is not None or bool(DATABASE_FIXTURES & fixtures)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if Path(str(item.fspath)).stem in HOSTILE_MODULES:
            item.add_marker(pytest.mark.hostile)
    if config.getoption("--database-tests-only"):
        without = [item for item in items if not uses_database(item)]
        config.hook.pytest_deselected(items=without)
        items[:] = [item for item in items if uses_database(item)]


@pytest.fixture
def clinic():
    return ClinicFactory(name="Northgate Test Clinic")


@pytest.fixture
def clinician(clinic):
    return ClinicianFactory(
        username="dr.okafor", first_name="Amara", last_name="Okafor", clinic=clinic
    )


@pytest.fixture
def other_clinician(clinic):
    """Same clinic, not on the patient's care team."""
    return ClinicianFactory(username="dr.reid", first_name="Sam", last_name="Reid", clinic=clinic)


@pytest.fixture
def foreign_clinician():
    """A clinician of another clinic."""
    return ClinicianFactory(username="dr.elsewhere", clinic=ClinicFactory(name="Elsewhere Clinic"))


@pytest.fixture
def clinic_admin(clinic):
    return UserFactory(username="admin", role=Role.CLINIC_ADMIN, clinic=clinic, is_staff=True)


@pytest.fixture
def patient(clinic, clinician):
    return PatientFactory(
        user=UserFactory(username="maya", first_name="Maya", last_name="Patel"),
        clinic=clinic,
        treating_clinician=clinician,
    )


@pytest.fixture
def other_patient(clinic, other_clinician):
    return PatientFactory(
        user=UserFactory(username="leo", first_name="Leo", last_name="Martins"),
        clinic=clinic,
        treating_clinician=other_clinician,
    )


@pytest.fixture
def patients_guardian(patient):
    """A parent of `patient` with the default scope (plan, adherence, questionnaires due, the
    calendar; not pain, logging or reminders): outside it on every page not built for them."""
    from tests.factories import GuardianFactory, guardian_link

    return guardian_link(
        patient, GuardianFactory(username="parent.patel", first_name="Asha", last_name="Patel")
    ).guardian


@pytest.fixture
def other_patients_guardian(other_patient):
    """A parent of another patient, with every part of the scope: sees nothing of `patient`."""
    from tests.factories import GuardianFactory, guardian_link
    from tracker.rules.guardians import GuardianScope

    return guardian_link(
        other_patient,
        GuardianFactory(username="parent.martins", first_name="Rui", last_name="Martins"),
        scope=list(GuardianScope),
    ).guardian


@pytest.fixture
def guardians(patients_guardian, other_patients_guardian):
    """The two guardians every wrong-user check refuses (issue 16): a guardian of `patient`,
    outside their scope on every page not built for guardians, and a guardian of another
    patient (tests/test_test_suite_shape.py fails a 404 check without them)."""
    return [patients_guardian, other_patients_guardian]


@pytest.fixture
def patient_client(client, patient):
    client.force_login(patient.user)
    return client


@pytest.fixture
def clinician_client(client, clinician):
    client.force_login(clinician)
    return client


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Tests create many users; a fast hasher keeps the suite quick (production uses PBKDF2)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _is_transactional(request: pytest.FixtureRequest) -> bool:
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or marker.args[:1] == (True,)):
        return True
    return bool({"transactional_db", "live_server"} & set(request.fixturenames))


@pytest.fixture(autouse=True)
def audit_trail_flushable_on_sqlite(request):
    """After a transactional test the database is flushed, which on SQLite is a DELETE that the
    audit table's append-only triggers refuse (on PostgreSQL it is a TRUNCATE by the table's
    owner, which they do not stop). So for those tests, whether marked `transaction=True` or
    using `transactional_db` or `live_server`, the audit rows are emptied past the triggers
    first, and the triggers put back. Taking the database helper here makes this teardown run
    before pytest-django's flush."""
    if not _is_transactional(request):
        yield
        return
    request.getfixturevalue("_django_db_helper")
    yield
    from django.db import connection, transaction

    from tracker.security.audit_integrity import AUDIT_TABLE, SQLITE_TRIGGERS

    if connection.vendor != "sqlite":
        return
    with transaction.atomic(), connection.cursor() as cursor:
        for name in SQLITE_TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        cursor.execute(f"DELETE FROM {AUDIT_TABLE}")  # noqa: S608 - a constant table name
        for sql in SQLITE_TRIGGERS.values():
            cursor.execute(sql)


@pytest.fixture(autouse=True)
def fresh_cache():
    """The API's rate-limit counts live in the cache, keyed by ids a rolled-back test reuses."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def push_service(settings):
    """A stub web push service on 127.0.0.1 (tests/helpers.py StubPushService), with a fresh
    VAPID key pair for the server and loopback endpoints allowed. Never a real push service."""
    from tests.helpers import StubPushService
    from tracker.utils.vapid import new_vapid_keys

    settings.VAPID_PRIVATE_KEY, settings.VAPID_PUBLIC_KEY = new_vapid_keys()
    settings.VAPID_SUBJECT = "mailto:care@parstrack.example.org"
    settings.PUSH_ALLOW_LOOPBACK = True
    service = StubPushService()
    yield service
    service.stop()
