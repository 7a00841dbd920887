import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tracker.services.guardian_ages import guardian_ages_apply


class Command(BaseCommand):
    help = (
        "Apply the guardian age rules (docs/guardians.md): 30 days before the clinic's assent "
        "age and before 18, tell the young person and the guardian; end a link not renewed 30 "
        "days after the 18th birthday. Each notice is sent once. Run it daily; safe at any time."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--at", help="Run as at this moment (ISO 8601, e.g. 2026-05-01T09:00+00:00)."
        )

    def handle(self, *args, **options) -> None:
        now = None
        if options["at"]:
            try:
                now = dt.datetime.fromisoformat(options["at"])
            except ValueError:
                raise CommandError("--at: use ISO 8601, like 2026-05-01T09:00+00:00.") from None
            if timezone.is_naive(now):
                now = timezone.make_aware(now, dt.UTC)
        run = guardian_ages_apply(now=now)
        self.stdout.write(
            f"Guardian links: {run.links} open, {run.notices} notices sent, {run.ended} ended."
        )
