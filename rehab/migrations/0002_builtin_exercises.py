"""Load the built-in exercise library (clinic null). Re-running updates by code."""

from django.db import migrations


def load(apps, schema_editor):
    from rehab.builtin_exercises import BUILTIN_EXERCISES

    Exercise = apps.get_model("rehab", "Exercise")
    for data in BUILTIN_EXERCISES:
        fields = {k: v for k, v in data.items() if k != "code"}
        Exercise.objects.update_or_create(clinic=None, code=data["code"], defaults=fields)


def unload(apps, schema_editor):
    from rehab.builtin_exercises import BUILTIN_EXERCISES

    Exercise = apps.get_model("rehab", "Exercise")
    Exercise.objects.filter(
        clinic=None, code__in=[d["code"] for d in BUILTIN_EXERCISES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("rehab", "0001_rehab")]

    operations = [migrations.RunPython(load, unload)]
