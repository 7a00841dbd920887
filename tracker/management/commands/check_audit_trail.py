"""`manage.py check_audit_trail`: fail unless the audit trail is append-only for this connection."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections

from tracker.security.audit_integrity import audit_trail_problems, audit_trail_summary


class Command(BaseCommand):
    help = (
        "Check that the connected database role cannot change, remove or truncate audit events "
        "(on PostgreSQL: it must not own the audit table). Exits non-zero if it can."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args: Any, database: str, **options: Any) -> None:
        connection = connections[database]
        problems = audit_trail_problems(connection)
        if problems:
            raise CommandError("\n".join(problems))
        self.stdout.write(audit_trail_summary(connection))
