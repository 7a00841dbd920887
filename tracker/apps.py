from django.apps import AppConfig


class TrackerConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tracker"
    verbose_name = "ParsTrack"

    def ready(self) -> None:
        from tracker import signals  # noqa: F401 - connects the sign-in receivers
