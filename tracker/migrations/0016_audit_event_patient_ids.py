"""One audit event per page view or export, naming all its patients (issue 18).

`patient_ids` is nullable so SQLite adds it with ALTER TABLE ADD COLUMN rather than rebuilding
the table (a rebuild drops the append-only triggers of 0011); the triggers are created again
here anyway (IF NOT EXISTS), so the protection holds whichever way the column was added. On
PostgreSQL the row trigger of 0006 covers the new column as it does every other.
"""

import importlib

from django.db import migrations

import tracker.models.audit

sqlite_triggers = importlib.import_module("tracker.migrations.0011_audit_append_only_sqlite")


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0015_reminders"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="patient_ids",
            field=tracker.models.audit.PatientIdList(blank=True, null=True),
        ),
        migrations.RunPython(
            sqlite_triggers._on_sqlite(sqlite_triggers.TRIGGERS),
            migrations.RunPython.noop,
            elidable=False,
        ),
    ]
