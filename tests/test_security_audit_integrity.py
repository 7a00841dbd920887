"""The audit trail is append-only in the database itself, and a check says when it is not."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.utils import DatabaseError

from tracker.models import AuditAction, AuditEvent
from tracker.services.audit import audit_record

pytestmark = pytest.mark.django_db

ON_POSTGRESQL = connection.vendor == "postgresql"
postgresql_only = pytest.mark.skipif(not ON_POSTGRESQL, reason="PostgreSQL roles")
sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite triggers")


@pytest.fixture
def event(clinician):
    return audit_record(user=clinician, action=AuditAction.VIEW, what="patient detail")


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE tracker_auditevent SET what = 'rewritten' WHERE id = %s",
        "DELETE FROM tracker_auditevent WHERE id = %s",
    ],
    ids=["update", "delete"],
)
def test_it_refuses_raw_sql_changes(event, sql):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(sql, [event.pk])

    assert AuditEvent.objects.get(pk=event.pk).what == "patient detail"


def test_it_refuses_a_raw_delete_that_skips_the_model(event):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk)._raw_delete(connection.alias)

    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_it_refuses_a_new_event_saved_over_an_existing_id(event, clinician):
    forged = AuditEvent(
        pk=event.pk, at=event.at, user=clinician, action=AuditAction.VIEW, what="forged"
    )

    with pytest.raises(DatabaseError), transaction.atomic():
        forged.save()

    assert AuditEvent.objects.get(pk=event.pk).what == "patient detail"


def test_it_still_empties_the_test_database_between_transactional_tests(transactional_db):
    # Teardown flushes every table; it must get past the SQLite triggers (tests/conftest.py).
    audit_record(action=AuditAction.LOGIN_FAILED, what="failed sign-in")

    assert AuditEvent.objects.count() == 1


@sqlite_only
def test_it_reports_the_sqlite_triggers_in_place():
    out = _check()

    assert "append-only triggers in place" in out


@sqlite_only
def test_it_fails_the_check_when_a_sqlite_trigger_is_missing():
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER tracker_auditevent_no_delete")

    with pytest.raises(CommandError, match="tracker_auditevent_no_delete"):
        _check()


@postgresql_only
def test_it_fails_the_check_when_the_application_role_owns_the_audit_table():
    # The test database is created and used by one role, as a careless deployment would be.
    with pytest.raises(CommandError, match="owns tracker_auditevent"):
        _check()


@postgresql_only
def test_it_passes_the_check_for_a_role_that_may_only_read_and_append(db):
    role = "parstrack_test_audit_appender"
    with connection.cursor() as cursor:
        # Inside the test's transaction: the role and its grants are rolled back afterwards.
        cursor.execute(f"CREATE ROLE {role} NOLOGIN")
        cursor.execute(f"GRANT USAGE ON SCHEMA public TO {role}")
        cursor.execute(f"GRANT SELECT, INSERT ON tracker_auditevent TO {role}")
        cursor.execute(f"SET LOCAL ROLE {role}")

    out = _check()

    assert "does not own tracker_auditevent" in out


@postgresql_only
def test_it_fails_the_check_for_a_role_that_may_truncate_the_audit_table(db):
    role = "parstrack_test_audit_truncater"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {role} NOLOGIN")
        cursor.execute(f"GRANT USAGE ON SCHEMA public TO {role}")
        cursor.execute(f"GRANT SELECT, INSERT, TRUNCATE ON tracker_auditevent TO {role}")
        cursor.execute(f"SET LOCAL ROLE {role}")

    with pytest.raises(CommandError, match="TRUNCATE"):
        _check()


def _check() -> str:
    from io import StringIO

    out = StringIO()
    call_command("check_audit_trail", stdout=out)
    return out.getvalue()
