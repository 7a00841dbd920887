import datetime as dt
import json
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bench.management.commands import bench_data
from bench.sensor import ibutton_export
from rehab.sensors.formats import read_sensor_file
from rehab.sensors.importing import sensor_file_import
from rehab.sensors.wear import hours_per_day
from tracker.models import Patient


class Command(BaseCommand):
    help = "Time the import of a brace sensor file for the bench clinic's first patient."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--days", type=int, default=90)
        parser.add_argument("--minutes", type=int, default=10)
        parser.add_argument("--output", type=Path, required=True)

    def handle(self, *args, days: int, minutes: int, output: Path, **options) -> None:
        if "bench" not in Path(bench_data.bench_database_name()).name:
            raise CommandError("bench_sensor_import only writes to a benchmark database.")
        patient = Patient.objects.select_related("clinic").order_by("pk").first()
        if patient is None:
            raise CommandError("No patient: run bench_data first.")
        zone = patient.zone
        end = dt.datetime.combine(patient.local_today(), dt.time(0), tzinfo=zone)
        content = ibutton_export(end, days=days, minutes=minutes, zone=zone)

        started = time.perf_counter()
        reading = read_sensor_file(content, zone=zone)
        hours_per_day(reading.samples, reading.interval, zone=zone, worn_celsius=25, band=0.5)
        parsed = time.perf_counter() - started

        started = time.perf_counter()
        result = sensor_file_import(
            patient=patient, content=content, file_name="bench.csv", imported_by=None
        )
        seconds = time.perf_counter() - started

        started = time.perf_counter()
        again = sensor_file_import(
            patient=patient, content=content, file_name="bench.csv", imported_by=None
        )
        again_seconds = time.perf_counter() - started
        summary = {
            "seconds": seconds,
            "read_seconds": parsed,
            "again_seconds": again_seconds,
            "samples": len(reading.samples),
            "days": len(result.days),
            "bytes": len(content),
            "again_unchanged": again.already_imported,
        }
        output.write_text(json.dumps(summary))
        self.stdout.write(json.dumps(summary))
