from django.core.management.base import BaseCommand

from tracker.utils.vapid import new_vapid_keys


class Command(BaseCommand):
    help = (
        "Print a new VAPID key pair for web push, as the two environment lines ParsTrack reads "
        "(docs/operations.md, 'Web push keys'). Changing the keys means every phone must turn "
        "notifications on again."
    )

    def handle(self, *args, **options) -> None:
        private, public = new_vapid_keys()
        self.stdout.write(f"PARSTRACK_VAPID_PRIVATE_KEY={private}")
        self.stdout.write(f"PARSTRACK_VAPID_PUBLIC_KEY={public}")
