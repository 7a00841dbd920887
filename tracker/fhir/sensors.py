"""FHIR R4 for brace sensors (issue 17): a Device per logger and an Observation per measured day.

No standard code was verified for "hours a brace was worn, measured by a temperature logger"
(LOINC and SNOMED CT were not checked for one): the Observation and the Device type use our own
codes under `LOCAL` (docs/export.md, "FHIR R4"), never a borrowed code presented as certain.
"""

from decimal import Decimal
from typing import Any

from tracker.fhir.resources import LOCAL, LOCAL_OBSERVATION, UCUM, observation, reference

LOCAL_DEVICE = f"{LOCAL}/device"
SENSOR_SERIAL_SYSTEM = "urn:parstrack:brace-sensor"  # + ":<kind>": a serial is unique per kind

BRACE_WEAR_MEASURED = {
    "system": LOCAL_OBSERVATION,
    "code": "brace-wear-measured",
    "display": "Hours the spinal brace was worn in the day, measured by a temperature sensor",
}
BRACE_SENSOR_TYPE = {
    "system": LOCAL_DEVICE,
    "code": "brace-temperature-logger",
    "display": "Temperature logger in a spinal brace",
}


def _hours(value: Decimal) -> dict[str, Any]:
    return {"value": float(value), "unit": "h", "system": UCUM, "code": "h"}


def device_resource(subject: dict[str, Any], sensor: Any) -> dict[str, Any]:
    """The logger: its kind (model name) and serial, and the patient it is linked to."""
    return {
        "resourceType": "Device",
        "id": f"brace-sensor-{sensor.pk}",
        "identifier": [{"system": f"{SENSOR_SERIAL_SYSTEM}:{sensor.kind}", "value": sensor.serial}],
        "status": "active",
        "deviceName": [{"name": sensor.get_kind_display(), "type": "model-name"}],
        "type": {"coding": [BRACE_SENSOR_TYPE], "text": "Brace wear sensor"},
        "patient": reference(subject),
    }


def measured_observation(
    subject: dict[str, Any], device: dict[str, Any], day: Any
) -> dict[str, Any]:
    """One measured day (`MeasuredBraceDay`), its sensor as the Observation's device."""
    resource = observation(
        id=f"brace-measured-{day.pk}",
        subject=subject,
        codings=[BRACE_WEAR_MEASURED],
        category="activity",
        day=day.day,
        value=_hours(day.hours),
        text="Hours the brace was worn, measured by sensor",
    )
    resource["device"] = reference(device)
    return resource
