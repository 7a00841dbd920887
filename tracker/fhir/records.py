"""One patient's records as FHIR resources, read with a fixed number of queries."""

from collections.abc import Iterator
from typing import Any

from rehab.models import BraceLog, BraceSensor, MeasuredBraceDay
from rehab.selectors import brace_target_subquery
from tracker.fhir.guardians import related_people
from tracker.fhir.resources import (
    activity_pain_observation,
    brace_observation,
    pain_observations,
    patient_resource,
    questionnaire_response,
    score_observation,
    with_performer,
)
from tracker.fhir.sensors import device_resource, measured_observation
from tracker.models import DiaryEntry, Patient, QuestionnaireResponse


def patient_resources(patient: Patient) -> Iterator[dict[str, Any]]:
    """The Patient, each guardian (RelatedPerson), then pain and activity-pain Observations per
    check-in, brace wear per day, each brace sensor (Device) with the hours it measured per day
    (Observations), and a QuestionnaireResponse (with its score Observation) per submitted
    questionnaire."""
    subject = patient_resource(patient)
    yield subject
    # Each guardian as a RelatedPerson; a day a guardian saved names them as its performer.
    people = related_people(subject, patient)
    yield from people.values()
    entries = DiaryEntry.objects.filter(patient=patient).prefetch_related("activities")
    for entry in entries.order_by("day"):
        performer = people.get(entry.updated_by_id)
        yield from pain_observations(subject, entry, performer)
        for activity in entry.activities.all():
            yield with_performer(activity_pain_observation(subject, entry.day, activity), performer)
    logs = BraceLog.objects.filter(patient=patient).annotate(target=brace_target_subquery())
    for log in logs.order_by("day"):
        yield brace_observation(subject, log, log.target)
    yield from _measured(subject, patient)
    responses = (
        QuestionnaireResponse.objects.filter(
            patient=patient, status=QuestionnaireResponse.Status.SUBMITTED
        )
        .select_related("instrument")
        .order_by("submitted_at", "pk")
    )
    for response in responses:
        answers = questionnaire_response(subject, response)
        yield answers
        if response.score is not None:
            yield score_observation(subject, response, answers)


def _measured(subject: dict[str, Any], patient: Patient) -> Iterator[dict[str, Any]]:
    """Each sensor of the patient as a Device, then its measured days (two queries)."""
    devices = {
        sensor.pk: device_resource(subject, sensor)
        for sensor in BraceSensor.objects.filter(patient=patient).order_by("pk")
    }
    yield from devices.values()
    for day in MeasuredBraceDay.objects.filter(patient=patient).order_by("day"):
        yield measured_observation(subject, devices[day.sensor_id], day)
