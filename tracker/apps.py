from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _load_builtin_instruments(sender, using: str = "default", **kwargs) -> None:
    """Every migrated database (development, tests, production) has the built-in instruments.

    Run after migrate rather than as a data migration so that test databases flushed between
    transactional tests get them back too. Unchanged instruments are skipped.
    """
    from django.db import connections

    from tracker.models import Instrument
    from tracker.services.outcomes import instruments_load_builtin

    if Instrument._meta.db_table not in connections[using].introspection.table_names():
        return
    instruments_load_builtin()


class TrackerConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tracker"
    verbose_name = "ParsTrack"

    def ready(self) -> None:
        post_migrate.connect(_load_builtin_instruments, sender=self)
        from tracker.security import signals  # noqa: F401 - connects the sign-in receivers
        from tracker.services import stored_assessment

        # After the instruments' loader: the stored assessments are marked stale on every
        # save of a model they read, and after every migrate.
        stored_assessment.connect(self)
