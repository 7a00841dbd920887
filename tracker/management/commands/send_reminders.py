import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tracker.services.alerts import alerts_send
from tracker.services.reminder_sending import reminders_send


def _moment(value: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"--at {value!r} is not an ISO date and time (for example 2026-10-25T19:00+00:00)."
        ) from None
    if timezone.is_naive(moment):
        raise CommandError(f"--at {value!r} needs its UTC offset (for example +00:00 or Z).")
    return moment


class Command(BaseCommand):
    help = (
        "Send every check-in reminder due now to patients who have not logged today, and tell "
        "the care team of each new warning sign (escalating one left unacknowledged) "
        "(docs/operations.md: the scheduler runs it every few minutes). Safe to run at any "
        "time and twice at once: each reminder and alert is sent at most once."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--at",
            type=_moment,
            help="Act as if it were this moment (ISO 8601 with its offset), not now.",
        )

    def handle(self, *args, **options) -> None:
        now = options["at"] or timezone.now()
        run = reminders_send(now=now)
        self.stdout.write(
            f"Reminders at {now.isoformat(timespec='minutes')}: {run.sent} sent, "
            f"{run.failed} failed, {run.skipped} already sent by another run."
        )
        told = alerts_send(now=now)
        self.stdout.write(
            f"Warning-sign alerts at {now.isoformat(timespec='minutes')}: {told.sent} sent, "
            f"{told.failed} failed, {told.skipped} already sent by another run."
        )
