"""Is the audit trail append-only in the database, not just in Python?

On PostgreSQL a row trigger refuses UPDATE and DELETE (migration 0006), but the table's owner (or a
superuser, or a role granted TRUNCATE) can still TRUNCATE the table or disable the trigger. So
production runs migrations as the owner and the application as another role that may only read
and append (docs/security.md); `manage.py check_audit_trail` says whether the connected role is
such a role. SQLite has no roles: its triggers (migration 0011) stop raw SQL, `_raw_delete` and
saves over an existing id, and the check says whether they are in place.
"""

from django.db.backends.base.base import BaseDatabaseWrapper

AUDIT_TABLE = "tracker_auditevent"
POSTGRESQL_TRIGGER = "tracker_auditevent_append_only"
# The same statements as migration 0011 (a migration keeps its own frozen copy). A migration
# that rebuilds the table on SQLite (any AlterField on AuditEvent) drops them: re-create them.
SQLITE_TRIGGERS = {
    "tracker_auditevent_no_update": (
        "CREATE TRIGGER IF NOT EXISTS tracker_auditevent_no_update "
        "BEFORE UPDATE ON tracker_auditevent BEGIN "
        "SELECT RAISE(ABORT, 'tracker_auditevent is append-only: UPDATE refused'); END"
    ),
    "tracker_auditevent_no_delete": (
        "CREATE TRIGGER IF NOT EXISTS tracker_auditevent_no_delete "
        "BEFORE DELETE ON tracker_auditevent BEGIN "
        "SELECT RAISE(ABORT, 'tracker_auditevent is append-only: DELETE refused'); END"
    ),
}

_POSTGRESQL_FACTS = """
SELECT current_user,
       pg_get_userbyid(c.relowner),
       pg_has_role(current_user, c.relowner, 'MEMBER'),
       r.rolsuper,
       has_table_privilege(current_user, c.oid, 'TRUNCATE'),
       (SELECT t.tgenabled FROM pg_trigger t WHERE t.tgrelid = c.oid AND t.tgname = %s)
FROM pg_class c, pg_roles r
WHERE c.oid = to_regclass(%s) AND r.rolname = current_user
"""


def audit_trail_problems(connection: BaseDatabaseWrapper) -> list[str]:
    """What lets this connection change or remove audit events; empty when nothing does."""
    if connection.vendor == "postgresql":
        return _postgresql_problems(connection)
    if connection.vendor == "sqlite":
        return _sqlite_problems(connection)
    return [f"{connection.vendor}: the audit trail's database protection is not known here."]


def audit_trail_summary(connection: BaseDatabaseWrapper) -> str:
    """One line for a passed check."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user")
            role = cursor.fetchone()[0]
        return (
            f"Audit trail: the role {role} does not own {AUDIT_TABLE}, may not TRUNCATE it, "
            f"and its append-only trigger is enabled."
        )
    return (
        f"Audit trail (SQLite): append-only triggers in place on {AUDIT_TABLE}. SQLite has no "
        "roles: anyone who can write the database file can still drop them."
    )


def _postgresql_problems(connection: BaseDatabaseWrapper) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(_POSTGRESQL_FACTS, [POSTGRESQL_TRIGGER, AUDIT_TABLE])
        row = cursor.fetchone()
    if row is None:
        return [f"{AUDIT_TABLE} not found: run `manage.py migrate` first."]
    role, owner, acts_as_owner, superuser, may_truncate, trigger = row
    problems = []
    fix = (
        "Run migrations as the owner role and the application as another role with only "
        f"SELECT and INSERT on {AUDIT_TABLE} (docs/security.md)."
    )
    if role == owner or (acts_as_owner and not superuser):
        whose = "owns" if role == owner else f"may act as {owner}, who owns"
        problems.append(
            f"The database role {role} {whose} {AUDIT_TABLE}: it can TRUNCATE the table or "
            f"disable its append-only trigger. {fix}"
        )
    if superuser:
        problems.append(
            f"The database role {role} is a superuser: it can TRUNCATE {AUDIT_TABLE} or disable "
            f"its append-only trigger whoever owns it. {fix}"
        )
    if may_truncate and not (superuser or acts_as_owner):
        problems.append(
            f"The database role {role} has TRUNCATE on {AUDIT_TABLE}: it can empty the audit "
            f"trail without firing the row trigger. REVOKE TRUNCATE ON {AUDIT_TABLE} FROM {role}."
        )
    if trigger is None:
        problems.append(f"The trigger {POSTGRESQL_TRIGGER} is missing: run `manage.py migrate`.")
    elif trigger == "D":
        problems.append(
            f"The trigger {POSTGRESQL_TRIGGER} is disabled: ALTER TABLE {AUDIT_TABLE} "
            f"ENABLE TRIGGER {POSTGRESQL_TRIGGER} (as the owner)."
        )
    return problems


def _sqlite_problems(connection: BaseDatabaseWrapper) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
            [AUDIT_TABLE],
        )
        present = {name for (name,) in cursor.fetchall()}
    return [
        f"The SQLite trigger {name} on {AUDIT_TABLE} is missing: the audit trail can be changed "
        "with raw SQL. Run `manage.py migrate`, or re-create it (SQLITE_TRIGGERS in "
        "tracker/security/audit_integrity.py)."
        for name in SQLITE_TRIGGERS
        if name not in present
    ]
