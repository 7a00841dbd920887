"""Reading the audit trail: a clinic administrator's search."""

import datetime as dt
import zoneinfo

from django.db.models import QuerySet

from tracker.models import AuditEvent, Clinic, Patient, User


def audit_events_for_clinic(
    *,
    clinic: Clinic,
    user: User | None = None,
    patient: Patient | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[AuditEvent]:
    """The clinic's events, newest first; dates are whole days in the clinic's time zone."""
    events = AuditEvent.objects.filter(clinic=clinic).select_related("patient__user")
    if user is not None:
        events = events.filter(user=user)
    if patient is not None:
        events = events.filter(patient=patient)
    zone = zoneinfo.ZoneInfo(clinic.time_zone)
    if date_from is not None:
        events = events.filter(at__gte=dt.datetime.combine(date_from, dt.time.min, tzinfo=zone))
    if date_to is not None:
        end = date_to + dt.timedelta(days=1)
        events = events.filter(at__lt=dt.datetime.combine(end, dt.time.min, tzinfo=zone))
    return events
