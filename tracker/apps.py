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


def _stored_assessments_stale(sender, using: str = "default", **kwargs) -> None:
    """After every migrate (a deploy), every stored assessment is recomputed on its next view: a
    data migration writes through historical models, whose saves send no signals we listen to."""
    from django.db import connections
    from django.db.models import F

    from tracker.models import AssessmentSnapshot

    if AssessmentSnapshot._meta.db_table not in connections[using].introspection.table_names():
        return
    AssessmentSnapshot.objects.using(using).update(stale=True, generation=F("generation") + 1)


class TrackerConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tracker"
    verbose_name = "ParsTrack"

    def ready(self) -> None:
        post_migrate.connect(_load_builtin_instruments, sender=self)
        post_migrate.connect(_stored_assessments_stale, sender=self)
        from tracker import assessment_invalidation
        from tracker.security import signals  # noqa: F401 - connects the sign-in receivers

        assessment_invalidation.connect()
        # Stamp the rules' code as this process loaded it, now: read later, the files on disk
        # might already be a newer release than the code running (docs/dashboard.md).
        from tracker.selectors.dashboard import code_version

        code_version()
