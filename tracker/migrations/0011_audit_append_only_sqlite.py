"""On SQLite too, the database refuses to change or delete an audit event (issue 19, finding 9).

PostgreSQL has had a row trigger since 0006; SQLite was protected in Python only, so raw SQL,
`QuerySet._raw_delete` and a save over an existing id all got through. SQLite rebuilds a table
for most schema changes and the rebuild drops its triggers: a later migration that alters
AuditEvent on SQLite must create these again (`manage.py check_audit_trail` notices).
"""

from django.db import migrations

TRIGGERS = [
    "CREATE TRIGGER IF NOT EXISTS tracker_auditevent_no_update "
    "BEFORE UPDATE ON tracker_auditevent BEGIN "
    "SELECT RAISE(ABORT, 'tracker_auditevent is append-only: UPDATE refused'); END",
    "CREATE TRIGGER IF NOT EXISTS tracker_auditevent_no_delete "
    "BEFORE DELETE ON tracker_auditevent BEGIN "
    "SELECT RAISE(ABORT, 'tracker_auditevent is append-only: DELETE refused'); END",
]
DROP = [
    "DROP TRIGGER IF EXISTS tracker_auditevent_no_update",
    "DROP TRIGGER IF EXISTS tracker_auditevent_no_delete",
]


def _on_sqlite(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for sql in statements:
                schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0010_assessment_rules_format"),
    ]

    operations = [
        migrations.RunPython(_on_sqlite(TRIGGERS), _on_sqlite(DROP), elidable=False),
    ]
