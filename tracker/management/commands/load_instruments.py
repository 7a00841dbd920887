from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tracker.rules.outcomes.definitions import builtin_paths
from tracker.services.outcomes import InstrumentFileError, instruments_load


class Command(BaseCommand):
    help = (
        "Load outcome instruments from definition files, or a licensed instrument's wording "
        "file (e.g. the ODI). With no paths, loads the built-in instruments. Every file is "
        "checked first; on any error nothing is loaded."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("paths", nargs="*", type=Path, help="JSON definition or wording files")

    def handle(self, *args, paths: list[Path], **options) -> None:
        try:
            report = instruments_load(paths=paths or builtin_paths())
        except InstrumentFileError as error:
            raise CommandError(f"Nothing was loaded. {error}") from None
        for line in report:
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(f"Loaded {len(report)} file(s)."))
