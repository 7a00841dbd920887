import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tracker.demo.checkin import seed_diary
from tracker.demo.guardians import seed_guardians
from tracker.demo.outcomes import seed_outcomes
from tracker.demo.people import seed_people
from tracker.demo.records import seed_clinical
from tracker.demo.rehab import seed_rehab
from tracker.demo.reminders import seed_reminders
from tracker.services.stored_assessment import mark_assessments_stale


class Command(BaseCommand):
    help = "Create the demo clinic with its clinicians and patients. Safe to run again."

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError("seed_demo only runs with DEBUG on: it creates known passwords.")
        password = os.environ.get("DEMO_PASSWORD") or "parstrack-demo"
        today = timezone.localdate()
        demo = seed_people(password=password, today=today)
        seed_outcomes(demo, today)
        seed_clinical(demo, today)
        diary_entries = seed_diary(demo, today)
        seed_rehab(demo, today)
        seed_guardians(demo, password=password)
        reminders = seed_reminders()
        # The seeders bulk-create (no signals): anything already assessed is recomputed.
        mark_assessments_stale(p.pk for p in demo.patients.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo clinic ready: {demo.clinic} with {len(demo.clinicians)} clinicians "
                f"and {len(demo.patients)} patients, Maya's parent; "
                f"{diary_entries} diary check-ins added; "
                f"email reminders on at 19:00 for {reminders} patients."
            )
        )
