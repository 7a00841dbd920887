"""The referral summary: a letter a surgeon reads in two pages, as a page to print and as a PDF
made from the same template (docs/dashboard.md, "Referral letter")."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from tracker.access import patient_for_clinician
from tracker.db_router import reads_from_replica
from tracker.models import Patient
from tracker.rules.letter import letter_date
from tracker.selectors.assessment import patient_assessment
from tracker.selectors.progress import referral_summary
from tracker.selectors.referral import referral_letter
from tracker.utils.pdf import html_to_pdf

TEMPLATE = "tracker/dashboard/referral_summary.html"


def _context(request: HttpRequest, patient: Patient) -> dict:
    assessed = patient_assessment(patient)
    summary = referral_summary(patient, assessed)
    return {
        "patient": patient,
        "clinic": patient.clinic,
        "assessed": assessed,
        "assessment": assessed.assessment,
        "summary": summary,
        "letter": referral_letter(patient, assessed, summary, request.user),
        "printed_on": assessed.today,
    }


@patient_for_clinician  # the access rule reads the primary; the page's own reads may not
@reads_from_replica
@require_GET
def referral_summary_view(request: HttpRequest, patient: Patient) -> HttpResponse:
    """A printable letter a surgeon reads in two minutes."""
    return render(request, TEMPLATE, _context(request, patient))


@patient_for_clinician  # audited as a view of the patient's data, like the page
@reads_from_replica
@require_GET
def referral_pdf_view(request: HttpRequest, patient: Patient) -> HttpResponse:
    """The same letter as a PDF (WeasyPrint, the page's print CSS)."""
    context = _context(request, patient)
    html = render_to_string(TEMPLATE, {**context, "as_pdf": True}, request=request)
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    day = letter_date(context["printed_on"]).replace(" ", "-")
    response["Content-Disposition"] = f'attachment; filename="referral-{patient.pk}-{day}.pdf"'
    return response
