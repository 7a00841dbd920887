"""The trends page's diary: one page of the range's check-ins, newest first, with their versions."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from tracker.models import Activity, DiaryEntry, DiaryEntryVersion, Patient
from tracker.selectors.checkin import VersionView, version_views
from tracker.selectors.guardian_entries import entered_by_line, relationships_of

DIARY_PAGE_SIZE = 28  # check-ins on one page of the diary (4 weeks of daily logging)
_ACTIVITY_LABEL = {a.value: a.label for a in Activity}


@dataclass(frozen=True)
class DiaryRow:
    entry: DiaryEntry
    activities: str  # "Walking 3/10; Sitting 2/10"
    versions: list[VersionView]
    entered_by: str = ""  # "Entered by Asha Patel (parent)"; "" for the patient's own day

    @property
    def edited(self) -> bool:
        return len(self.versions) > 1


@dataclass(frozen=True)
class DiaryPage:
    """One page of the range's check-ins, newest first."""

    rows: list[DiaryRow]
    number: int
    pages: int
    count: int  # check-ins in the whole range

    @property
    def has_newer(self) -> bool:
        return self.number > 1

    @property
    def has_older(self) -> bool:
        return self.number < self.pages

    @property
    def first_day(self) -> dt.date | None:  # the oldest on this page
        return self.rows[-1].entry.day if self.rows else None

    @property
    def last_day(self) -> dt.date | None:  # the newest on this page
        return self.rows[0].entry.day if self.rows else None


def diary_page_of(
    patient: Patient,
    in_range: list[tuple[int, dt.date]],
    activities: dict[int, list[tuple[str, int]]],
    number: int,
) -> DiaryPage:
    """One page of the range's check-ins, newest first, with their versions (two queries; a
    page number past the end shows the last page)."""
    count = len(in_range)
    pages = max(1, -(-count // DIARY_PAGE_SIZE))
    number = min(max(number, 1), pages)
    newest_first = in_range[::-1]
    ids = [pk for pk, _ in newest_first[(number - 1) * DIARY_PAGE_SIZE : number * DIARY_PAGE_SIZE]]
    found = {e.pk: e for e in DiaryEntry.objects.filter(pk__in=ids, patient=patient)}
    versions: dict[int, list[DiaryEntryVersion]] = defaultdict(list)
    for version in (
        DiaryEntryVersion.objects.filter(entry_id__in=ids)
        .select_related("recorded_by")
        .order_by("entry_id", "number")
    ):
        versions[version.entry_id].append(version)
    # Who entered each day, from its first and last versions (one query more, only when a
    # guardian entered or changed one of the page's days).
    authors = [v.recorded_by for vs in versions.values() for v in (vs[0], vs[-1])]
    relationships = relationships_of(patient=patient, users=authors)
    rows = [
        DiaryRow(
            found[pk],
            "; ".join(f"{_ACTIVITY_LABEL[a]} {v}/10" for a, v in activities.get(pk, [])),
            version_views(versions.get(pk, [])),
            _entered_by(patient, versions.get(pk, []), relationships),
        )
        for pk in ids
        if pk in found
    ]
    return DiaryPage(rows=rows, number=number, pages=pages, count=count)


def _entered_by(
    patient: Patient, versions: list[DiaryEntryVersion], relationships: dict[int, str]
) -> str:
    if not versions:
        return ""
    return entered_by_line(
        patient=patient,
        created_by=versions[0].recorded_by,
        updated_by=versions[-1].recorded_by,
        relationships=relationships,
    )
