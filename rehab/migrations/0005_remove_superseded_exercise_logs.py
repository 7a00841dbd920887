"""Remove exercise answers to programme items no longer in force on their day, where that day
also has answers to the items in force (issue 19, finding 7).

Re-saving a programme valid from today used to leave the day's answers to the old items beside
the answers to the new ones: the exercises CSV and FHIR showed done=true and done=false rows for
the same exercise and day. The check-in now removes them as it writes the day
(`rehab.services._exercise_logs_write`); this removes those left from before. A day whose only
answers are to items no longer in force keeps them: they are all the patient said that day.
(Historical models have no history manager: these deletions leave no history row.)
"""

from django.db import migrations
from django.db.models import Exists, F, OuterRef, Q


def _in_force() -> Q:
    return Q(item__programme__valid_from__lte=F("day")) & (
        Q(item__programme__valid_to__isnull=True) | Q(item__programme__valid_to__gt=F("day"))
    )


def remove_superseded(apps, schema_editor) -> None:
    ExerciseLog = apps.get_model("rehab", "ExerciseLog")
    current = ExerciseLog.objects.filter(
        _in_force(), patient=OuterRef("patient"), day=OuterRef("day")
    )
    superseded = ExerciseLog.objects.exclude(_in_force()).filter(Exists(current))
    ExerciseLog.objects.filter(pk__in=list(superseded.values_list("pk", flat=True))).delete()


class Migration(migrations.Migration):
    dependencies = [("rehab", "0004_exercise_image_validation")]

    operations = [migrations.RunPython(remove_superseded, migrations.RunPython.noop)]
