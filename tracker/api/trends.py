"""A patient's summary and trends for their care team: daily pain, weekly adherence, outcome
scores, and the assessment (is conservative management working?) with its reasons.

The assessment is the dashboard's (`tracker.selectors.assessment.patient_assessment`), so the API
and the dashboard can never disagree. Series cover the last `weeks` weeks up to the patient's
today (or discharge day), so the answer is bounded without pagination.
"""

import datetime as dt
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from rehab.adherence import week_start
from rehab.selectors import adherence_for_patient
from tracker.access import audit_clinician_access, get_patient_for
from tracker.api.common import IsClinician, errors
from tracker.models import DiaryEntry, Patient
from tracker.rules.assessment import BraceSource
from tracker.selectors.assessment import PatientAssessment, patient_assessment

MAX_WEEKS = 104


class PainDaySerializer(serializers.Serializer):
    day = serializers.DateField()
    pain_now = serializers.IntegerField()
    pain_worst = serializers.IntegerField()


class AdherenceWeekSerializer(serializers.Serializer):
    week = serializers.DateField(help_text="The Monday.")
    first_day = serializers.DateField()
    last_day = serializers.DateField()
    sessions_prescribed = serializers.FloatField()
    sessions_done = serializers.FloatField()
    exercise = serializers.FloatField(
        allow_null=True, help_text="0-1; null when nothing was prescribed."
    )
    brace_days = serializers.IntegerField(help_text="Days a brace was due.")
    brace = serializers.FloatField(allow_null=True, help_text="0-1; null when no brace was due.")
    brace_measured_days = serializers.IntegerField(
        help_text="Of brace_days, those whose hours a brace sensor measured: `brace` used the "
        "measured hours on them (issue 17)."
    )
    brace_reported_days = serializers.IntegerField(
        help_text="Of brace_days, those with reported hours and no measurement; the rest had "
        "neither (0 hours)."
    )


class ScorePointSerializer(serializers.Serializer):
    day = serializers.DateField(help_text="Day submitted.")
    score = serializers.FloatField()
    band = serializers.CharField()
    is_baseline = serializers.BooleanField()
    is_correction = serializers.BooleanField()
    change = serializers.FloatField(allow_null=True, help_text="score - baseline.")
    improvement = serializers.FloatField(allow_null=True, help_text="Positive is better.")
    important = serializers.BooleanField(allow_null=True)


class ScoreSeriesSerializer(serializers.Serializer):
    instrument = serializers.CharField()
    name = serializers.CharField()
    better = serializers.CharField(help_text="higher or lower.")
    points = ScorePointSerializer(many=True)


class MeasureSerializer(serializers.Serializer):
    baseline = serializers.FloatField(allow_null=True)
    latest = serializers.FloatField(allow_null=True)
    improvement = serializers.FloatField(allow_null=True)
    improved = serializers.BooleanField()
    worsened = serializers.BooleanField()
    sentence = serializers.CharField()
    enough_data = serializers.BooleanField(
        help_text="False when the measure cannot be compared with the baseline (nothing "
        "recorded, no follow-up, or fewer check-ins than the rules need: min_window_entries a "
        "window for pain): show 'not enough data', not a value with a trend "
        "(docs/assessment.md, 'Not enough data')."
    )
    shortfall = serializers.CharField(
        allow_null=True,
        help_text="Set when there are check-ins but too few: what is missing, in words "
        "('1 check-in in the last 7 days; 4 needed'); null otherwise.",
    )


class CheckSerializer(serializers.Serializer):
    category = serializers.CharField()
    fired = serializers.BooleanField()
    reason = serializers.CharField()


class AssessmentSerializer(serializers.Serializer):
    category = serializers.CharField(
        help_text="urgent, referral, worsening, improving, not_fair_trial, plateau or too_early."
    )
    label = serializers.CharField()
    reasons = serializers.ListField(
        child=serializers.CharField(), help_text="The deciding reason first."
    )
    checks = CheckSerializer(many=True)
    as_of = serializers.DateField()
    weeks_of_care = serializers.IntegerField()
    checkins_per_week = serializers.FloatField()
    pain = MeasureSerializer()
    psfs = MeasureSerializer()
    odi = MeasureSerializer()
    brace_adherence = serializers.FloatField(allow_null=True)
    brace_source = serializers.ChoiceField(
        choices=BraceSource.choices,
        help_text="Where brace_adherence's hours came from: reported by the patient, measured "
        "by a brace sensor on every due day with hours, or mixed (some days measured, others "
        "only reported).",
    )
    exercise_adherence = serializers.FloatField(allow_null=True)
    caveat = serializers.CharField(
        help_text="Beside the category: measures too thin to judge while another decided "
        "('pain: not enough data'); empty when there is none."
    )


class SummarySerializer(serializers.Serializer):
    checkins = serializers.IntegerField(help_text="Check-ins ever.")
    last_checkin = serializers.DateField(allow_null=True)
    days_since_checkin = serializers.IntegerField(allow_null=True)
    open_warning_signs = serializers.ListField(
        child=serializers.DateField(), help_text="Days with a warning sign not yet acknowledged."
    )
    pain_baseline = serializers.FloatField(allow_null=True)
    pain_recent = serializers.FloatField(allow_null=True)
    pain_trend = serializers.ChoiceField(
        choices=["better", "worse", "same", "none"],
        help_text="The dashboard's arrow, as the assessment reads pain: better or worse only at "
        "an important change (the clinic's thresholds), same below it, none when there is not "
        "enough data to compare.",
    )
    pain_trend_label = serializers.CharField(help_text="The arrow in words.")


class TrendsSerializer(serializers.Serializer):
    patient = serializers.IntegerField()
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    summary = SummarySerializer()
    assessment = AssessmentSerializer()
    pain = PainDaySerializer(many=True)
    adherence = AdherenceWeekSerializer(many=True)
    scores = ScoreSeriesSerializer(many=True)


def _measure(m: Any) -> dict[str, Any]:
    return {
        "baseline": m.baseline,
        "latest": m.latest,
        "improvement": m.improvement,
        "improved": m.improved,
        "worsened": m.worsened,
        "sentence": m.sentence,
        "enough_data": m.compared,
        "shortfall": m.shortfall or None,
    }


def trends_for(patient: Patient, weeks: int) -> dict[str, Any]:
    found: PatientAssessment = patient_assessment(patient)
    end = found.today
    start = week_start(end) - dt.timedelta(weeks=weeks - 1)
    a = found.assessment
    pain = DiaryEntry.objects.filter(patient=patient, day__range=(start, end)).order_by("day")
    adherence = adherence_for_patient(patient, start, end)
    return {
        "patient": patient.pk,
        "date_from": start,
        "date_to": end,
        "summary": {
            "checkins": found.checkins,
            "last_checkin": found.last_checkin,
            "days_since_checkin": found.days_since_checkin,
            "open_warning_signs": sorted({alert.day for alert in found.open_alerts}),
            "pain_baseline": found.pain_baseline,
            "pain_recent": found.pain_recent,
            "pain_trend": found.pain_trend.css,
            "pain_trend_label": found.pain_trend.label,
        },
        "assessment": {
            "category": a.category.value,
            "label": a.category.label,
            "reasons": a.reasons,
            "checks": [
                {"category": c.category.value, "fired": c.fired, "reason": c.reason}
                for c in a.checks
            ],
            "as_of": end,
            "weeks_of_care": a.weeks_of_care,
            "checkins_per_week": a.checkins_per_week,
            "pain": _measure(a.pain),
            "psfs": _measure(a.psfs),
            "odi": _measure(a.odi),
            "brace_adherence": a.brace_adherence,
            "brace_source": a.brace_source.value,
            "exercise_adherence": a.exercise_adherence,
            "caveat": a.caveat,
        },
        "pain": pain.values("day", "pain_now", "pain_worst"),
        "adherence": [
            {
                "week": w.week,
                "first_day": w.first_day,
                "last_day": w.last_day,
                "sessions_prescribed": w.sessions_prescribed,
                "sessions_done": w.sessions_done,
                "exercise": w.exercise,
                "brace_days": w.brace_days,
                "brace": w.brace,
                "brace_measured_days": w.brace_measured_days,
                "brace_reported_days": w.brace_reported_days,
            }
            for w in adherence.weeks
        ],
        "scores": [
            {
                "instrument": code,
                "name": series.instrument.name,
                "better": series.instrument.better,
                "points": [
                    {
                        "day": p.day,
                        "score": p.score,
                        "band": p.band,
                        "is_baseline": p.is_baseline,
                        "is_correction": p.is_correction,
                        "change": None if p.change is None else p.change.delta,
                        "improvement": None if p.change is None else p.change.improvement,
                        "important": None if p.change is None else p.change.important,
                    }
                    for p in series.points
                ],
            }
            for code, series in sorted(found.scores.items())
        ],
    }


class TrendsQuery(serializers.Serializer):
    weeks = serializers.IntegerField(
        min_value=1,
        max_value=MAX_WEEKS,
        required=False,
        default=12,
        help_text=f"How many weeks of pain and adherence, up to today (1-{MAX_WEEKS}).",
    )


@extend_schema(
    tags=["patients"],
    parameters=[
        OpenApiParameter("patient_id", OpenApiTypes.INT, OpenApiParameter.PATH),
        TrendsQuery,
    ],
    responses={200: TrendsSerializer, **errors(400, 401, 404)},
    summary="A patient's summary, trends and assessment",
    description="Daily pain, adherence by week, questionnaire scores with change from baseline, "
    "and the assessment with every reason (docs/assessment.md).",
)
class PatientTrends(APIView):
    permission_classes = [IsClinician]

    def get(self, request: Request, patient_id: str) -> Response:
        patient = get_patient_for(request.user, patient_id)
        query = TrendsQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        response = Response(
            TrendsSerializer(trends_for(patient, query.validated_data["weeks"])).data
        )
        audit_clinician_access(request, patient, response)
        return response
