"""Events on a patient's timeline (brace started, programme changed, imaging, notes, ...).

Each area derives its own events from its own records through a selector that returns these, so
the timeline is never a second copy of the data that could drift from it. The patient page and the
referral summary merge the lists and sort them by day.
"""

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class TimelineEvent:
    day: dt.date
    kind: str  # a short machine name: "brace", "programme", "activity_stage", "imaging", "note"
    label: str  # one line a clinician reads on a chart marker: "Brace started (23 h/day)"
    detail: str = ""
