import datetime as dt
import json
import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from bench.generate import CLINICIAN, existing_size, generate
from rehab import selectors as rehab_selectors


def bench_database_name() -> str:
    return str(connection.settings_dict["NAME"])


class Command(BaseCommand):
    help = (
        "Fill a dedicated benchmark database with a synthetic clinic (docs/benchmarks.md). "
        "Refuses any database whose name lacks 'bench'; a second run with the same size adds "
        "nothing."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--patients", type=int, default=500)
        parser.add_argument("--days", type=int, default=365)
        parser.add_argument(
            "--manifest", type=Path, help="Write who to sign in as, for the load generator."
        )
        parser.add_argument("--checkin-patients", type=int, default=16)

    def handle(self, *args, **options) -> None:
        name = bench_database_name()
        # The benchmark writes known passwords and a year of made-up patients: never into the
        # development database or a real one.
        if "bench" not in Path(name).name:
            raise CommandError(
                f"bench_data only fills a database whose name contains 'bench', not {name!r}. "
                "Point DATABASE_URL at one (make bench does)."
            )
        patients, days = options["patients"], options["days"]
        if not 1 <= patients <= 5000 or not 8 <= days <= 3660:
            raise CommandError("Use 1-5000 patients and 8-3660 days.")
        password = os.environ.get("BENCH_PASSWORD") or "bench-password-not-a-secret"

        bench = generate(
            patients=patients,
            days=days,
            password=password,
            progress=lambda line: self.stdout.write(f"  {line}", ending="\n"),
        )
        if not bench.created:
            found = existing_size(bench.clinic)
            if found != (patients, days):
                raise CommandError(
                    f"This database already holds a benchmark clinic of {found[0]} patients x "
                    f"{found[1]} days; it is not overwritten. Use a fresh bench database."
                )
            self.stdout.write("The benchmark clinic is already there; nothing added.")
        if options["manifest"]:
            manifest = self._manifest(bench, password, options["checkin_patients"])
            options["manifest"].write_text(json.dumps(manifest, indent=1))

    def _manifest(self, bench, password: str, checkin_count: int) -> dict:
        today = bench.patients[0].local_today()
        checkin = []
        for patient in bench.patients[:checkin_count]:
            due = rehab_selectors.programme_items_on(patient, today)
            checkin.append(
                {
                    "username": patient.user.username,
                    "items": [item.pk for item in due],
                    "brace": rehab_selectors.brace_target_on(patient, today) is not None,
                }
            )
        return {
            "password": password,
            "clinician": CLINICIAN,
            "patients": len(bench.patients),
            "patient_ids": [p.pk for p in bench.patients],
            "today": today.isoformat(),
            "editable_days": [(today - dt.timedelta(days=n)).isoformat() for n in range(7)],
            "checkin_patients": checkin,
        }
