"""Is conservative management working? One patient's data in, a category and its reasons out.

Pure functions over plain values (no ORM, no request), so they read like the rules in
docs/assessment.md and are tested table-driven. The rules are tried in the priority order of
issue 6; the first that fires decides. Every rule leaves a reason, fired or not, so the clinician
sees the whole reasoning with the deciding reason first.

- `inputs`: what is read (`AssessmentInput` and its days);
- `measures`: pain, PSFS and ODI against the patient's own baseline;
- `findings`: the other facts the rules weigh (time in care, logging, adherence, leg, slip);
- `verdict`: one function a rule, and `assess`;
- `readout`: the trend arrow and the thin-data caveat, read from the verdict's measures.
"""

from tracker.rules.assessment.inputs import (
    AssessmentInput,
    BraceSource,
    PainDay,
    RadicularDay,
    WarningSign,
    brace_source,
    brace_source_text,
)
from tracker.rules.assessment.measures import (
    MeasureChange,
    improvement_threshold,
    odi_change,
    pain_change,
    psfs_change,
)
from tracker.rules.assessment.readout import (
    NOT_ENOUGH_DATA,
    Trend,
    badge_caveat,
    measure_trend,
    pain_trend,
)
from tracker.rules.assessment.verdict import Assessment, Category, Check, assess

__all__ = [
    "NOT_ENOUGH_DATA",
    "Trend",
    "badge_caveat",
    "measure_trend",
    "pain_trend",
    "Assessment",
    "AssessmentInput",
    "BraceSource",
    "Category",
    "Check",
    "MeasureChange",
    "PainDay",
    "RadicularDay",
    "WarningSign",
    "assess",
    "brace_source",
    "brace_source_text",
    "improvement_threshold",
    "odi_change",
    "pain_change",
    "psfs_change",
]
