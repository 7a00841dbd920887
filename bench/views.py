"""Bench-only views (bench.urls): the framework's ceilings the runner measures beside the product.

- `fixed`: a fixed response with no database work, the read ceiling.
- `write`: the smallest authenticated write through the same stack, the write ceiling: the
  session's patient, their Patient row locked with `select_for_update` (as the check-in locks it),
  one INSERT into a bench-only table and its audit row through `audit_record`, in one transaction.
"""

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST

from bench.models import BenchWrite
from tracker.access import patient_required
from tracker.models import AuditAction, Patient
from tracker.services.audit import audit_record


def fixed(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok\n", content_type="text/plain")


def record_write(*, request: HttpRequest, patient: Patient) -> BenchWrite:
    """Lock the patient's row, insert one row and audit it, in one transaction."""
    with transaction.atomic():
        # No ordering: the model's default ordering would join, and so also lock, the user row.
        list(Patient.objects.select_for_update().filter(pk=patient.pk).order_by().values_list("pk"))
        row = BenchWrite.objects.create(patient=patient)
        what = f"bench write {row.pk}"
        audit_record(action=AuditAction.CREATE, what=what, request=request, patient=patient)
    return row


@require_POST
@patient_required
def write(request: HttpRequest, patient: Patient) -> HttpResponse:
    record_write(request=request, patient=patient)
    return HttpResponse("ok\n", status=201, content_type="text/plain")
