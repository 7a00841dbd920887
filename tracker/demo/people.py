"""The demo clinic: people and their stories. Later areas add history through their own seeders.

Every demo patient has a story, so that each area's demo data (check-ins, programmes,
questionnaires) tells the same story about them and the dashboard has something to show.
"""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from tracker.models import CareTeamMembership, Clinic, Patient, Role, SlipGrade, User

CLINIC_NAME = "Northgate Spine & Sports Clinic"
CLINIC_TIME_ZONE = "Europe/London"

# A second clinic with its own administrator, who is not a superuser: signed in as them, the admin
# shows only that clinic's rows (tracker/security/admin_scope.py). Its patients have no history.
SECOND_CLINIC_NAME = "Riverside Spine Physiotherapy"
SECOND_CLINIC_ADMIN = "riverside.admin"
ADMIN_GROUP = "Clinic administrators"
# What a clinic administrator may do in the Django admin (model permissions, Django's own).
ADMIN_PERMISSIONS = {
    "tracker": [
        "view_clinic",
        "change_clinic",
        "view_user",
        "change_user",
        "view_patient",
        "change_patient",
        "view_careteammembership",
        "add_careteammembership",
        "change_careteammembership",
        "delete_careteammembership",
        "view_invite",
        "view_auditevent",
        "view_notification",
        # Parents' and guardians' access: read it, and end a link (the form stays read-only).
        "view_guardianlink",
        "change_guardianlink",
        "view_consentrecord",
    ],
    "rehab": [
        "view_exercise",
        "add_exercise",
        "change_exercise",
        "view_bracelog",
        "change_bracelog",
        "view_exerciselog",
        "change_exerciselog",
        "view_programmeversion",
        "view_braceprescription",
        "view_activitystageprescription",
    ],
}


@dataclass(frozen=True)
class DemoPatient:
    username: str
    first_name: str
    last_name: str
    born: dt.date
    sport: str
    weeks_of_care: int
    story: str  # improving | flat | erratic | red_flag | early | low_adherence
    slip_grade: int | None = None
    treating: str = "clinician"
    # NHS numbers from the 999 range, which the NHS never issues (kept for test data).
    hospital_number: str = ""


DEMO_PATIENTS = [
    DemoPatient(
        "patient",
        "Maya",
        "Patel",
        dt.date(2010, 3, 14),
        "Gymnastics",
        14,
        "improving",
        hospital_number="9990000018",
    ),
    DemoPatient(
        "leo",
        "Leo",
        "Martins",
        dt.date(2008, 9, 2),
        "Cricket (fast bowling)",
        16,
        "flat",
        slip_grade=SlipGrade.I,
    ),
    DemoPatient("ella", "Ella", "Brooks", dt.date(2011, 1, 23), "Ballet", 13, "erratic"),
    DemoPatient(
        "jonas",
        "Jonas",
        "Weber",
        dt.date(2003, 6, 30),
        "Rowing",
        15,
        "red_flag",
        slip_grade=SlipGrade.II,
        treating="clinician2",
        hospital_number="9990000026",
    ),
    DemoPatient("priya", "Priya", "Nair", dt.date(2012, 11, 5), "Diving", 3, "early"),
    DemoPatient(
        "tom",
        "Tom",
        "Hughes",
        dt.date(1991, 4, 18),
        "Building work",
        27,
        "low_adherence",
        treating="clinician2",
        hospital_number="NSC-004512",
    ),
    DemoPatient("zoe", "Zoe", "Kim", dt.date(2009, 7, 9), "Volleyball", 12, "improving"),
]


@dataclass
class DemoClinic:
    clinic: Clinic
    clinicians: dict[str, User]
    patients: dict[str, Patient]
    stories: dict[str, str]


def _user(username: str, password: str, **fields) -> User:
    user, _ = User.objects.update_or_create(username=username, defaults=fields)
    # Always, so the password `make run` prints is the one that works, even after a change.
    user.set_password(password)
    user.save(update_fields=["password"])
    return user


@transaction.atomic
def seed_people(*, password: str, today: dt.date) -> DemoClinic:
    """Create (or bring up to date) the demo clinic, its staff and its patients."""
    clinic, _ = Clinic.objects.update_or_create(
        name=CLINIC_NAME,
        defaults={
            "time_zone": CLINIC_TIME_ZONE,
            "address": "Northgate House\n12 Mill Lane\nLeeds LS2 7QT",
            "phone": "0113 496 0000",
            # Jonas's open warning sign is escalated here 4 hours after `make run` seeds it.
            "escalation_email": "spine.duty@example.org",
        },
    )
    clinicians = {
        "clinician": _user(
            "clinician",
            password,
            first_name="Amara",
            last_name="Okafor",
            email="amara.okafor@example.org",
            role=Role.CLINICIAN,
            clinic=clinic,
        ),
        "clinician2": _user(
            "clinician2",
            password,
            first_name="Sam",
            last_name="Reid",
            email="sam.reid@example.org",
            role=Role.CLINICIAN,
            clinic=clinic,
        ),
    }
    _user(
        "admin",
        password,
        first_name="Chris",
        last_name="Lane",
        email="admin@example.org",
        role=Role.CLINIC_ADMIN,
        clinic=clinic,
        is_staff=True,
        is_superuser=True,
    )
    patients: dict[str, Patient] = {}
    stories: dict[str, str] = {}
    for demo in DEMO_PATIENTS:
        user = _user(
            demo.username,
            password,
            first_name=demo.first_name,
            last_name=demo.last_name,
            email=f"{demo.username}@example.org",
            role=Role.PATIENT,
            is_active=True,
        )
        started = today - dt.timedelta(weeks=demo.weeks_of_care)
        # get_or_create, not update: a second run must not move dates the history hangs on.
        patient, _ = Patient.objects.get_or_create(
            user=user,
            defaults={
                "clinic": clinic,
                "date_of_birth": demo.born,
                "hospital_number": demo.hospital_number,
                "sport": demo.sport,
                "spondylolisthesis": demo.slip_grade is not None,
                "slip_grade": demo.slip_grade,
                "conservative_care_started": started,
                "enrolled_on": started,
                "treating_clinician": clinicians[demo.treating],
            },
        )
        # "clinician" is on every demo patient's care team, as the README promises.
        for clinician in {clinicians["clinician"], clinicians[demo.treating]}:
            CareTeamMembership.objects.get_or_create(patient=patient, clinician=clinician)
        patients[demo.username] = patient
        stories[demo.username] = demo.story
    seed_second_clinic(password=password, today=today)
    return DemoClinic(clinic=clinic, clinicians=clinicians, patients=patients, stories=stories)


def seed_second_clinic(*, password: str, today: dt.date) -> Clinic:
    """Another clinic, its administrator (not a superuser), a clinician and two patients."""
    clinic, _ = Clinic.objects.update_or_create(
        name=SECOND_CLINIC_NAME, defaults={"time_zone": CLINIC_TIME_ZONE}
    )
    group, _ = Group.objects.get_or_create(name=ADMIN_GROUP)
    group.permissions.set(
        Permission.objects.filter(
            content_type__app_label__in=ADMIN_PERMISSIONS,
            codename__in=[c for codes in ADMIN_PERMISSIONS.values() for c in codes],
        )
    )
    administrator = _user(
        SECOND_CLINIC_ADMIN,
        password,
        first_name="Rosa",
        last_name="Quinn",
        email="rosa.quinn@example.org",
        role=Role.CLINIC_ADMIN,
        clinic=clinic,
        is_staff=True,
        is_superuser=False,
    )
    administrator.groups.add(group)
    clinician = _user(
        "riverside.clinician",
        password,
        first_name="Dev",
        last_name="Shah",
        email="dev.shah@example.org",
        role=Role.CLINICIAN,
        clinic=clinic,
    )
    for username, first, last, born, sport, weeks in [
        ("nina", "Nina", "Kowalski", dt.date(2009, 2, 11), "Tennis", 6),
        ("omar", "Omar", "Haddad", dt.date(2007, 10, 3), "Football (goalkeeper)", 9),
    ]:
        user = _user(
            username,
            password,
            first_name=first,
            last_name=last,
            email=f"{username}@example.org",
            role=Role.PATIENT,
            is_active=True,
        )
        started = today - dt.timedelta(weeks=weeks)
        patient, _ = Patient.objects.get_or_create(
            user=user,
            defaults={
                "clinic": clinic,
                "date_of_birth": born,
                "sport": sport,
                "conservative_care_started": started,
                "enrolled_on": started,
                "treating_clinician": clinician,
            },
        )
        CareTeamMembership.objects.get_or_create(patient=patient, clinician=clinician)
    return clinic
