"""Exercise programmes, brace prescriptions, activity stages and what the patient logged."""

from rehab.models.library import Exercise, Phase
from rehab.models.logs import BraceLog, ExerciseLog
from rehab.models.prescriptions import (
    STAGE_FOR_PATIENT,
    ActivityStage,
    ActivityStagePrescription,
    BraceKind,
    BracePrescription,
    ProgrammeItem,
    ProgrammeVersion,
)
from rehab.models.sensors import BraceSensor, BraceSensorFile, MeasuredBraceDay, SensorKind

__all__ = [
    "STAGE_FOR_PATIENT",
    "ActivityStage",
    "ActivityStagePrescription",
    "BraceKind",
    "BraceLog",
    "BracePrescription",
    "BraceSensor",
    "BraceSensorFile",
    "Exercise",
    "ExerciseLog",
    "MeasuredBraceDay",
    "Phase",
    "ProgrammeItem",
    "ProgrammeVersion",
    "SensorKind",
]
