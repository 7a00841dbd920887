"""`manage.py import_brace_sensor PATIENT_ID FILE`: import a brace sensor's file for a patient
and print the days and hours it found (batch use; docs/brace-sensors.md)."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from rehab.sensors.formats import MAX_BYTES, DateOrder
from rehab.sensors.importing import sensor_file_import
from tracker.models import Patient


class Command(BaseCommand):
    help = "Import a brace sensor file (Orthotimer or iButton CSV) for a patient."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("patient_id", type=int)
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--serial", default="", help="An Orthotimer's serial (default: the file's name)."
        )
        parser.add_argument(
            "--date-order",
            choices=[order.value for order in DateOrder],
            help="iButton dates: day or month first, when the dates read both ways.",
        )

    def handle(self, *args, patient_id: int, file: Path, **options) -> None:
        patient = Patient.objects.select_related("clinic").filter(pk=patient_id).first()
        if patient is None:
            raise CommandError(f"No patient with id {patient_id}.")
        try:
            with file.open("rb") as handle:
                content = handle.read(MAX_BYTES + 1)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror or error}.") from None
        order = options.get("date_order")
        try:
            result = sensor_file_import(
                patient=patient,
                content=content,
                file_name=file.name,
                imported_by=None,
                serial=options["serial"],
                date_order=DateOrder(order) if order else None,
            )
        except ValidationError as error:
            raise CommandError(f"{file.name}: {' '.join(error.messages)}") from None
        self.stdout.write(f"{file.name}: {result.sensor}, {result.summary()}")
        if result.already_imported:
            return
        rows = [(d.day, f"{d.hours} h") for d in result.days]
        rows += [(day, "partial, not counted") for day in result.partial_days]
        for day, text in sorted(rows):
            self.stdout.write(f"{day:%Y-%m-%d}\t{text}")
