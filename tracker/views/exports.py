"""Downloads: the clinician's Export page and the patient's own data."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods, require_POST

from tracker.access import clinician_required, patient_required
from tracker.exports.csv_writer import streaming_csv_response
from tracker.exports.datasets import DATASETS, clinician_datasets, patient_datasets
from tracker.exports.my_data import my_data_zip_response
from tracker.exports.run import ExportRequest, export_response, fhir_bundle_response
from tracker.forms.exports import ExportForm, FhirExportForm
from tracker.models import AuditAction, Patient
from tracker.services.audit import audit_record


@clinician_required
@require_http_methods(["GET", "POST"])
def export_page(request: HttpRequest) -> HttpResponse:
    """GET shows the options; a valid POST streams the CSV (a download, so no redirect)."""
    form = ExportForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        return export_response(
            http_request=request,
            request=ExportRequest(
                dataset=DATASETS[data["dataset"]],
                patient=data["patient"],
                date_from=data["date_from"],
                date_to=data["date_to"],
                excel=data["excel"],
            ),
            via="web",
        )
    return _export_page(request, form, FhirExportForm(user=request.user))


def _export_page(request: HttpRequest, form: ExportForm, fhir_form: FhirExportForm) -> HttpResponse:
    # The page names the clinician's patients (the choice list) but shows no data of theirs;
    # each export itself is recorded per patient.
    audit_record(request=request, action=AuditAction.VIEW, what="export page")
    datasets = [DATASETS[slug] for slug, _ in form.fields["dataset"].choices]
    status = 400 if form.is_bound or fhir_form.is_bound else 200
    context = {"form": form, "fhir_form": fhir_form, "datasets": datasets}
    return render(request, "tracker/exports/export.html", context, status=status)


@clinician_required
@require_POST
def export_fhir(request: HttpRequest) -> HttpResponse:
    """One patient's record as a FHIR R4 Bundle (a download, so no redirect)."""
    form = FhirExportForm(request.POST, user=request.user)
    if form.is_valid():
        return fhir_bundle_response(
            http_request=request, patient=form.cleaned_data["patient"], via="web"
        )
    return _export_page(request, ExportForm(user=request.user), form)


@patient_required
@require_POST
def my_data_download(request: HttpRequest, patient: Patient) -> HttpResponse:
    """The patient's own data, as CSV."""
    datasets = {d.slug: d for d in patient_datasets()}
    dataset = datasets.get(request.POST.get("dataset", ""))
    if dataset is None:
        raise Http404("No such download.")
    return export_response(
        http_request=request,
        request=ExportRequest(
            dataset=dataset, patient=patient, excel=bool(request.POST.get("excel"))
        ),
        via="web",
    )


@patient_required
@require_POST
def my_data_zip(request: HttpRequest, patient: Patient) -> HttpResponse:
    """All the patient's own data in one zip file: a CSV per dataset, headers in words, and a
    README.txt saying what each file and column holds."""
    return my_data_zip_response(
        http_request=request, patient=patient, excel=bool(request.POST.get("excel"))
    )


@clinician_required
def data_dictionary(request: HttpRequest) -> HttpResponse:
    """What each dataset's columns hold, read from the datasets' own column lists (the source
    docs/export.md is checked against), so the page and the files never disagree."""
    return render(
        request, "tracker/exports/data_dictionary.html", {"datasets": clinician_datasets()}
    )


@clinician_required
def data_dictionary_csv(request: HttpRequest, slug: str) -> HttpResponse:
    """One dataset's column list as CSV: name, type, unit, meaning."""
    dataset = DATASETS.get(slug)
    if dataset is None:
        raise Http404("No such dataset.")
    return streaming_csv_response(
        filename=f"parstrack_{slug.replace('_', '-')}_columns.csv",
        header=["column", "type", "unit", "meaning"],
        rows=([c.name, c.type, c.unit, c.meaning] for c in dataset.columns),
    )
