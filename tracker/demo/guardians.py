"""The demo's parent: Maya's mother, `parent`, with the default scope (the plan, adherence,
questionnaires due, the calendar; not pain), her permission given and Maya's confirmation given
(Maya is 16, the demo clinic's assent age). Maya's notes are shared with her parent except the
latest, which stays private, so the demo shows that a private note never reaches a guardian."""

from django.db import transaction

from tracker.demo.people import DemoClinic, _user
from tracker.models import DiaryEntry, GuardianLink, Role
from tracker.rules.guardians import ConsentKind, GuardianRelationship, GuardianScope
from tracker.services.guardians import consent_give, guardian_link_create

PARENT_USERNAME = "parent"
DEFAULT_SCOPE = [
    GuardianScope.PLAN,
    GuardianScope.ADHERENCE,
    GuardianScope.QUESTIONNAIRES,
    GuardianScope.CALENDAR,
]


@transaction.atomic
def seed_guardians(demo: DemoClinic, *, password: str) -> GuardianLink:
    """Create (or keep) Maya's parent and their link; safe to run again."""
    maya = demo.patients["patient"]
    parent = _user(
        PARENT_USERNAME,
        password,
        first_name="Asha",
        last_name="Patel",
        email="asha.patel@example.org",
        role=Role.GUARDIAN,
        clinic=None,
        is_active=True,
    )
    link = GuardianLink.objects.open().filter(guardian=parent, patient=maya).first()
    if link is None:
        link = guardian_link_create(
            patient=maya,
            guardian=parent,
            relationship=GuardianRelationship.PARENT,
            scope=DEFAULT_SCOPE,
            by=demo.clinicians["clinician"],
        )
    consent_give(link=link, kind=ConsentKind.GUARDIAN_PERMISSION, by=parent)
    if maya.age_on(maya.local_today()) >= maya.clinic.guardian_assent_age:
        consent_give(link=link, kind=ConsentKind.ASSENT, by=maya.user)
    notes = DiaryEntry.objects.filter(patient=maya).exclude(note="").order_by("-day")
    latest = notes.first()
    if latest is not None:
        notes.exclude(pk=latest.pk).update(note_private=False)
        notes.filter(pk=latest.pk).update(note_private=True)
    return link
