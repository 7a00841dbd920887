from django.apps import AppConfig


class RehabConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "rehab"
    verbose_name = "Rehabilitation programme"

    def ready(self) -> None:
        from rehab.checkin import BraceSection, ExercisesSection
        from tracker.checkin_sections import register

        register(BraceSection())
        register(ExercisesSection())
