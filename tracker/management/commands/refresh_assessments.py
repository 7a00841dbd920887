import time

from django.core.management.base import BaseCommand

from tracker.models import Patient
from tracker.services.stored_assessment import refresh_assessments


class Command(BaseCommand):
    help = (
        "Recompute the stored assessment of every patient in active care whose stored row is not "
        "valid for today (docs/operations.md: run it nightly, just after midnight in the clinics' "
        "time zone, so the first dashboard of the day is fast). Safe to run at any time."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--batch-size", type=int, default=250)
        parser.add_argument(
            "--all", action="store_true", help="Recompute every row, valid or not (after a deploy)."
        )

    def handle(self, *args, **options) -> None:
        started = time.monotonic()
        size = max(1, options["batch_size"])
        ids = list(
            Patient.objects.filter(status=Patient.Status.ACTIVE)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        done = 0
        for at in range(0, len(ids), size):
            done += refresh_assessments(ids[at : at + size], force=options["all"])
        self.stdout.write(
            f"Assessments: {done} of {len(ids)} patients in active care recomputed "
            f"in {time.monotonic() - started:.1f} s."
        )
