"""The clinician's dashboard, a patient's trends and the patient's own progress page
(docs/dashboard.md; the referral summary is in views/referral.py). The read-only pages read from
the replica when there is one."""

import datetime as dt
from collections.abc import Iterable

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from rehab.selectors import prescriptions_of
from tracker.access import (
    clinician_required,
    patient_for_clinician,
    patient_required,
    visible_patients,
)
from tracker.db_router import primary_reads, reads_from_replica, replica_reads
from tracker.forms.dashboard import RANGE_SPANS, DashboardFilterForm, DateRangeForm
from tracker.models import AssessmentSnapshot, AuditAction, Patient, User, WarningSignAlert
from tracker.rules.assessment import Category
from tracker.selectors.alerts import open_alerts
from tracker.selectors.assessment import clinic_thresholds, patient_assessment
from tracker.selectors.dashboard import ORDERINGS, DashboardRow
from tracker.selectors.progress import patient_progress
from tracker.selectors.trends import MAX_RANGE_DAYS, patient_trends
from tracker.services.audit import audit_patients
from tracker.services.checkin import alert_acknowledge
from tracker.services.stored_assessment import (
    SnapshotState,
    refresh_assessments,
    snapshot_states,
)
from tracker.utils.http import safe_next

PAGE_SIZE = 50


@clinician_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """Every patient on the clinician's care teams with the assessment; open alerts on top."""
    # The access rule is read on the primary, so a clinician taken off a care team loses the
    # patient at once; the heavy reads after it may use a replica. The same read gives what the
    # filters need (status, treating clinician), so the scope is narrowed here, not re-queried.
    visible = list(
        visible_patients(request.user)
        .order_by()
        .values_list("pk", "status", "treating_clinician_id", "clinic_id")
    )
    with replica_reads():
        return _dashboard(request, visible)


def _window_label(days: int) -> str:
    return f"{days // 7} wk" if days % 7 == 0 else f"{days} d"


def _filters(
    request: HttpRequest, visible: list[tuple[int, str, int | None, int]]
) -> tuple[DashboardFilterForm, dict, list[int]]:
    """The filter form, the filters that are valid, and the visible patients they keep."""
    clinicians = [
        (c.pk, str(c))
        for c in User.objects.filter(pk__in={tc for _, _, tc, _ in visible if tc is not None})
        .only("pk", "username", "first_name", "last_name")
        .order_by("last_name", "first_name")
    ]
    form = DashboardFilterForm(request.GET or None, clinicians=clinicians)
    wanted: dict = {}
    if form.is_bound:
        form.is_valid()  # a bad value is reported beside its field; the valid filters still apply
        wanted = form.cleaned_data
    scope = [
        pk
        for pk, status, clinician_id, _ in visible
        if (wanted.get("show") == "all" or status == Patient.Status.ACTIVE)
        and (not wanted.get("clinician") or clinician_id == wanted["clinician"])
    ]
    return form, wanted, scope


def _counts(states: Iterable[SnapshotState], wanted: dict) -> tuple[dict[str, int], int]:
    """(patients in each category, patients the category and "not logged" filters leave)."""
    found: dict[str, int] = {}
    matching = 0
    for state in states:
        found[state.category] = found.get(state.category, 0) + 1
        if (not wanted.get("category") or state.category == wanted["category"]) and (
            state.not_logged or not wanted.get("stale")
        ):
            matching += 1
    return found, matching


def _dashboard(
    request: HttpRequest, visible: list[tuple[int, str, int | None, int]]
) -> HttpResponse:
    visible_ids = [pk for pk, *_ in visible]
    form, wanted, scope = _filters(request, visible)

    # The stored assessments are checked, recomputed where invalid, and read on the primary
    # (docs/dashboard.md, "The stored assessment"): what is shown is what the live assessment
    # says now, and only the patients whose inputs changed are assessed again.
    with primary_reads():
        # The validity check's rows carry each stored verdict, so (when none had to be
        # recomputed) they give the counts above the table and the number of rows the filters
        # leave, and the paginator need not count again.
        # The clinician's own clinic's thresholds: the adherence window in the table's head.
        clinic_id = request.user.clinic_id
        thresholds = clinic_thresholds({clinic_id})
        states = snapshot_states(scope)
        if refresh_assessments(scope, states=states):
            states = snapshot_states(scope)
        found, matching = _counts(states, wanted)
        stored = AssessmentSnapshot.objects.filter(patient_id__in=scope)
        if wanted.get("category"):
            stored = stored.filter(category=wanted["category"])
        if wanted.get("stale"):
            stored = stored.filter(not_logged=True)
        # The row shows the patient's name, age, status and treating clinician (not the clinic).
        ordered = stored.select_related("patient__user", "patient__treating_clinician").order_by(
            *ORDERINGS[wanted.get("sort") or "assessment"]
        )
        paginator = Paginator(ordered, PAGE_SIZE)
        paginator.count = matching  # a cached property: set, it is not counted again
        page = paginator.get_page(request.GET.get("page"))
        rows = [DashboardRow.from_snapshot(s) for s in page.object_list]

    alerts = open_alerts(visible_ids)
    # Each row shown, and each warning sign in the box above the rows, is that patient's clinical
    # data, so each patient is a view in the audit trail; the patients on other pages were not.
    audit_patients(
        request=request,
        patients=[*(r.patient for r in rows), *(a.alert.patient for a in alerts)],
        action=AuditAction.VIEW,
        what="dashboard",
    )
    others = request.GET.copy()
    others.pop("page", None)
    window = thresholds[clinic_id].adherence_window_days
    context = {
        "form": form,
        "rows": rows,
        "page": page,
        "page_query": others.urlencode(),
        "patients": [r.patient for r in rows],
        "alerts": alerts,
        "counts": [(c, found[c]) for c in Category if found.get(c)],
        "adherence_window": _window_label(window),
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
    return redirect(safe_next(request) or "tracker:patient_list")


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
    # Read once: the assessment's adherence, the range's adherence, brace targets and the timeline.
    programmes, braces = prescriptions = prescriptions_of(patient)
    assessed = patient_assessment(patient, braces=braces, programmes=programmes)
    form = _range_form(request, patient, assessed.today)
    start, end = form.range()
    trends = patient_trends(
        patient,
        start,
        end,
        assessed,
        diary_page=_page_number(request.GET.get("diary_page")),
        prescriptions=prescriptions,
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
