import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bench.management.commands.bench_data import bench_database_name
from bench.reminders import bench_reminders


class Command(BaseCommand):
    help = (
        "Time send_reminders with every patient due, for each --sizes (docs/benchmarks.md). "
        "Only in a database whose name contains 'bench'."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--sizes", default="500,5000")
        parser.add_argument("--out", type=Path, help="Write the results as JSON here.")

    def handle(self, *args, **options) -> None:
        name = bench_database_name()
        if "bench" not in Path(name).name:
            raise CommandError(f"bench_reminders only runs in a bench database, not {name!r}.")
        sizes = [int(s) for s in options["sizes"].split(",") if s.strip()]
        if not sizes or not all(1 <= s <= 20000 for s in sizes):
            raise CommandError("Use sizes of 1-20000 patients, comma-separated.")
        results = bench_reminders(sizes)
        for r in results:
            self.stdout.write(
                f"send_reminders: {r['patients']} patients due, {r['sent']} sent in "
                f"{r['seconds']:.2f} s, {r['queries']} queries"
            )
        if options["out"]:
            options["out"].write_text(json.dumps(results))
