"""The imaging and notes summary on the clinician's patient page, as one template tag.

A tag rather than view context keeps patient_detail's view and template untouched but for one
line, so the areas adding to that page merge without conflicts.
"""

from django import template

from tracker.models import ClinicianNote, Patient
from tracker.selectors.records import imaging_rows

register = template.Library()

RECENT_NOTES = 3


@register.inclusion_tag("tracker/records/_patient_summary.html")
def clinical_record_summary(patient: Patient) -> dict:
    rows = imaging_rows(patient)
    notes = list(
        ClinicianNote.objects.filter(patient=patient).select_related("author")[: RECENT_NOTES + 1]
    )
    return {
        "patient": patient,
        "latest_imaging": rows[0] if rows else None,
        "imaging_count": len(rows),
        "flagged": [row for row in rows if row.flags.grown or row.flags.high_grade],
        "notes": notes[:RECENT_NOTES],
        "more_notes": len(notes) > RECENT_NOTES,
    }
