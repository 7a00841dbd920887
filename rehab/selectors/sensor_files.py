"""Reads for the brace sensor import page: a patient's sensors and the files imported from them."""

from django.db.models import Count, Prefetch

from rehab.models import BraceSensor, BraceSensorFile
from tracker.models import Patient


def sensors_with_files(patient: Patient) -> list[BraceSensor]:
    """The patient's sensors, each with its files (newest first) and the days each still
    supplies (`days_kept`: an overlapping later file takes days over). Two queries."""
    files = (
        BraceSensorFile.objects.select_related("imported_by")
        .annotate(days_kept=Count("days"))
        .order_by("-imported_at", "-pk")
    )
    return list(
        BraceSensor.objects.filter(patient=patient)
        .order_by("kind", "serial")
        .prefetch_related(Prefetch("files", queryset=files))
    )
