"""Demo imaging and clinician notes, telling each demo patient's story (see tracker.demo.people)."""

import datetime as dt
from decimal import Decimal

from tracker.demo.people import DemoClinic
from tracker.models import ClinicianNote, ImagingStudy, Modality
from tracker.rules.slip import meyerding_grade

# username -> (weeks after care started, modality, slip %, findings)
IMAGING = {
    "patient": [(0, Modality.CT, None, "Bilateral L5 pars defects, sclerotic margins")],
    "leo": [
        (0, Modality.XRAY, Decimal("14"), "Bilateral L5 pars defects"),
        (12, Modality.XRAY, Decimal("16"), "Unchanged defects; slip stable within error"),
    ],
    "jonas": [
        (0, Modality.XRAY, Decimal("28"), "Bilateral L5 pars defects, isthmic slip"),
        (13, Modality.XRAY, Decimal("36"), "Slip increased; defects unchanged"),
    ],
    "tom": [(0, Modality.MRI, Decimal("0"), "Bilateral L5 pars defects, no oedema, no slip")],
}

# username -> (weeks after care started, note)
NOTES = {
    "patient": [
        (0, "Rigid brace 20 h/day, stop tumbling and back walkovers. Physio weekly."),
        (8, "Pain settling. Start brace weaning in 4 weeks if the trend holds."),
    ],
    "leo": [(12, "No real change at 12 weeks despite good adherence. Review the programme.")],
    "jonas": [(13, "Slip up 8 points on standing X-ray. Discussed a surgical opinion.")],
    "tom": [(4, "Brace worn little: hot at work. Discussed an elastic support instead.")],
}


def seed_clinical(demo: DemoClinic, today: dt.date) -> None:
    """Imaging and notes for the demo patients; a second run adds nothing."""
    seeded = set(
        ImagingStudy.objects.filter(patient__in=demo.patients.values()).values_list(
            "patient_id", flat=True
        )
    ) | set(
        ClinicianNote.objects.filter(patient__in=demo.patients.values()).values_list(
            "patient_id", flat=True
        )
    )
    studies, notes = [], []
    for username, patient in demo.patients.items():
        if patient.pk in seeded:
            continue
        started = patient.conservative_care_started
        author = patient.treating_clinician
        for weeks, modality, percent, findings in IMAGING.get(username, []):
            studies.append(
                ImagingStudy(
                    patient=patient,
                    taken_on=min(started + dt.timedelta(weeks=weeks), today),
                    modality=modality,
                    slip_percent=percent,
                    slip_grade=meyerding_grade(percent) if percent is not None else None,
                    defect_findings=findings,
                    created_by=author,
                )
            )
        for weeks, text in NOTES.get(username, []):
            notes.append(
                ClinicianNote(
                    patient=patient,
                    author=author,
                    written_on=min(started + dt.timedelta(weeks=weeks), today),
                    text=text,
                )
            )
    ImagingStudy.objects.bulk_create(studies)
    ClinicianNote.objects.bulk_create(notes)
