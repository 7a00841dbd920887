from django.apps import AppConfig


class RehabConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "rehab"
    verbose_name = "Rehabilitation programme"
