"""The clinician's dashboard, a patient's trends, the referral summary, and the patient's own
progress page (docs/dashboard.md). The read-only pages read from the replica when there is one."""

import datetime as dt

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from tracker.access import (
    clinician_required,
    patient_for_clinician,
    patient_required,
    visible_patients,
)
from tracker.clinical.assessment import Category
from tracker.db_router import reads_from_replica, replica_reads
from tracker.forms.dashboard import RANGE_SPANS, DashboardFilterForm, DateRangeForm
from tracker.models import AuditAction, Patient, User, WarningSignAlert
from tracker.selectors.assessment import PatientAssessment, patient_assessment, patient_assessments
from tracker.selectors.progress import patient_progress, referral_summary
from tracker.selectors.trends import MAX_RANGE_DAYS, patient_trends
from tracker.services.audit import audit_patients
from tracker.services.diary import alert_acknowledge

_FAR = 10**6  # sorts "never" after every real number


def _sort_key(sort: str):
    def pain_rise(row: PatientAssessment) -> float:
        base, now = row.pain_baseline, row.pain_recent
        return -(now - base) if base is not None and now is not None else _FAR

    keys = {
        "assessment": lambda r: (r.category.priority, r.patient.name.lower()),
        "name": lambda r: (r.patient.user.last_name.lower(), r.patient.user.first_name.lower()),
        "checkin": lambda r: (
            -(r.days_since_checkin if r.days_since_checkin is not None else _FAR),
            r.patient.name.lower(),
        ),
        "pain": lambda r: (pain_rise(r), r.patient.name.lower()),
        "care": lambda r: (-r.weeks_of_care, r.patient.name.lower()),
    }
    return keys.get(sort, keys["assessment"])


@clinician_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """Every patient on the clinician's care teams with the assessment; open alerts on top."""
    # The access rule is read on the primary, so a clinician taken off a care team loses the
    # patient at once; the heavy reads after it may use a replica.
    ids = list(visible_patients(request.user).values_list("pk", flat=True))
    with replica_reads():
        return _dashboard(request, Patient.objects.filter(pk__in=ids))


def _dashboard(request: HttpRequest, visible: QuerySet[Patient]) -> HttpResponse:
    clinicians = [
        (c.pk, str(c))
        for c in User.objects.filter(treated_patients__in=visible)
        .distinct()
        .order_by("last_name", "first_name")
    ]
    form = DashboardFilterForm(request.GET or None, clinicians=clinicians)
    wanted: dict = {}
    if form.is_bound:
        form.is_valid()  # a bad value is reported beside its field; the valid filters still apply
        wanted = form.cleaned_data
    patients = visible.select_related("user", "clinic", "treating_clinician")
    if wanted.get("show") != "all":
        patients = patients.filter(status=Patient.Status.ACTIVE)
    if wanted.get("clinician"):
        patients = patients.filter(treating_clinician_id=wanted["clinician"])
    rows = list(patient_assessments(patients).values())
    if wanted.get("category"):
        rows = [r for r in rows if r.category == wanted["category"]]
    if wanted.get("stale"):
        rows = [r for r in rows if r.stale]
    rows.sort(key=_sort_key(wanted.get("sort") or "assessment"))

    alerts = list(
        WarningSignAlert.objects.filter(patient__in=visible, acknowledged_at__isnull=True)
        .select_related("patient__user")
        .order_by("created_at")
    )
    # Each row shows that patient's clinical data, so each is a view in the audit trail.
    audit_patients(
        request=request,
        patients=[r.patient for r in rows],
        action=AuditAction.VIEW,
        what="dashboard",
    )
    counts = {c: 0 for c in Category}
    for row in rows:
        counts[row.category] += 1
    context = {
        "form": form,
        "rows": rows,
        "patients": [r.patient for r in rows],
        "alerts": alerts,
        "counts": [(c, counts[c]) for c in Category if counts[c]],
        "filtered": bool(wanted.get("category") or wanted.get("clinician") or wanted.get("stale")),
        "next": request.get_full_path(),
    }
    return render(request, "tracker/dashboard/dashboard.html", context)


@patient_for_clinician
@require_POST
def alert_acknowledge_view(request: HttpRequest, patient: Patient, alert_id: int) -> HttpResponse:
    """A care-team clinician records that they have seen a warning sign (who and when)."""
    alert = get_object_or_404(WarningSignAlert, pk=alert_id, patient=patient)
    was_open = alert.is_open
    alert = alert_acknowledge(alert=alert, by=request.user)
    if was_open:
        messages.success(
            request,
            f"Warning sign from {patient} ({alert.day:%-d %b}) acknowledged by you at "
            f"{alert.acknowledged_at.astimezone(patient.zone):%H:%M}.",
        )
    else:
        messages.info(
            request,
            f"That warning sign was already acknowledged by {alert.acknowledged_by} at "
            f"{alert.acknowledged_at.astimezone(patient.zone):%-d %b %H:%M}.",
        )
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = ""
    return redirect(target or "tracker:patient_list")


def _range_form(request: HttpRequest, patient: Patient, today: dt.date) -> DateRangeForm:
    """The date range: the last 12 weeks unless a quick choice or a custom range is asked for."""
    return DateRangeForm(
        request.GET or None,
        initial={"start": None, "end": None},
        today=today,
        care_started=patient.conservative_care_started,
        max_days=MAX_RANGE_DAYS,
    )


def _page_number(value: str | None) -> int:
    """A diary page number from the query string; anything but a positive number is page 1."""
    try:
        return max(int(value or 1), 1)
    except ValueError:
        return 1


def _diary_link(request: HttpRequest, page: int) -> str:
    """A link to another diary page in the same range (only the range's own parameters kept)."""
    query = QueryDict(mutable=True)
    for key in ("span", "start", "end"):
        if request.GET.get(key):
            query[key] = request.GET[key]
    if page > 1:
        query["diary_page"] = str(page)
    return f"?{query.urlencode()}#diary-heading"


@patient_for_clinician  # the access rule reads the primary; the page's own reads may not
@reads_from_replica
@require_GET
def patient_trends_view(request: HttpRequest, patient: Patient) -> HttpResponse:
    """Charts with tables, the assessment with every reason, the diary, alerts and events."""
    assessed = patient_assessment(patient)
    form = _range_form(request, patient, assessed.today)
    start, end = form.range()
    trends = patient_trends(
        patient,
        start,
        end,
        assessed,
        diary_page=_page_number(request.GET.get("diary_page")),
    )
    diary = trends.diary
    context = {
        "patient": patient,
        "assessed": assessed,
        "assessment": assessed.assessment,
        "form": form,
        "trends": trends,
        "chart_data": trends.chart,
        "spans": [
            (key, label, f"?span={key}", key == form.current_span)
            for key, (label, _) in RANGE_SPANS.items()
        ],
        "diary_newer": _diary_link(request, diary.number - 1) if diary.has_newer else None,
        "diary_older": _diary_link(request, diary.number + 1) if diary.has_older else None,
        "diary_open": "diary_page" in request.GET,
    }
    return render(request, "tracker/dashboard/patient_trends.html", context)


@patient_for_clinician  # the access rule reads the primary; the page's own reads may not
@reads_from_replica
@require_GET
def referral_summary_view(request: HttpRequest, patient: Patient) -> HttpResponse:
    """A printable page a surgeon reads in two minutes."""
    assessed = patient_assessment(patient)
    summary = referral_summary(patient, assessed)
    context = {
        "patient": patient,
        "assessed": assessed,
        "assessment": assessed.assessment,
        "summary": summary,
        "printed_on": assessed.today,
    }
    return render(request, "tracker/dashboard/referral_summary.html", context)


@patient_required
@require_GET
def my_progress(request: HttpRequest, patient: Patient) -> HttpResponse:
    """The patient's own trends, in plain words."""
    assessed = patient_assessment(patient)
    progress = patient_progress(patient, assessed)
    return render(
        request,
        "tracker/dashboard/my_progress.html",
        {"patient": patient, "assessed": assessed, "progress": progress},
    )
