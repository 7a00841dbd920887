from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _load_builtin_exercises(sender, using: str = "default", **kwargs) -> None:
    """Every migrated database has the built-in exercises with our current wording.

    After migrate rather than only in a data migration, so a wording fix reaches existing clinics
    and flushed test databases get the library back. Unchanged exercises are not saved again.
    """
    from django.db import connections

    from rehab.models import Exercise
    from rehab.services import exercise_library_load

    if Exercise._meta.db_table not in connections[using].introspection.table_names():
        return
    if using != "default":
        return
    exercise_library_load()


class RehabConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "rehab"
    verbose_name = "Rehabilitation programme"

    def ready(self) -> None:
        post_migrate.connect(_load_builtin_exercises, sender=self)
