"""Daily diary datasets: one row per check-in, and one row per activity that provoked pain."""

from collections.abc import Iterator

from django.db.models import Case, Count, F, IntegerField, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce, Concat, Trim

from tracker.exports.datasets import Column, ColumnType, ExportScope, register, research_variant
from tracker.exports.patient_days import PatientDayDataset, PatientInfo, Record, in_range
from tracker.exports.sql_csv import CsvBool, CsvDate, CsvDateTime, CsvText, SqlRows, sql_rows
from tracker.models import DiaryActivity, DiaryEntry, DiaryEntryVersion
from tracker.rules.guardian_entries import ENTERED_BY_ROLES

T = ColumnType

DIARY_FIELDS = (
    Column("pain_now", T.INTEGER, "Back pain at the time of the check-in (NRS 0-10).", "0-10"),
    Column("pain_worst", T.INTEGER, "Worst back pain that day (NRS 0-10).", "0-10"),
    Column(
        "pain_reach",
        T.TEXT,
        "How far the pain spread: back, buttock, thigh or below_knee; empty if not said.",
    ),
    Column("pain_side", T.TEXT, "Side of the spreading pain: left, right or both; empty if none."),
    Column("leg_numbness", T.BOOLEAN, "Numb or tingly leg that day."),
    Column("leg_weakness", T.BOOLEAN, "Weak leg that day."),
    Column("night_pain", T.BOOLEAN, "Woken by pain at night."),
    Column(
        "medicine", T.TEXT, "Pain medicine taken: none, anti_inflammatory, paracetamol or other."
    ),
    Column("medicine_doses", T.INTEGER, "Doses of that medicine taken that day.", "doses"),
    Column("saddle_numbness", T.BOOLEAN, "Warning sign: new saddle (perineal) numbness."),
    Column("bladder_bowel", T.BOOLEAN, "Warning sign: new bladder or bowel trouble."),
    Column("leg_weakness_worse", T.BOOLEAN, "Warning sign: both legs getting weaker."),
    Column("activities", T.INTEGER, "Number of activities logged with their pain that day."),
    Column("versions", T.INTEGER, "Times the check-in was saved with changes (1 = never edited)."),
    Column(
        "entered_by",
        T.TEXT,
        "Who saved the check-in as it stands: patient, guardian (a parent or guardian logging for "
        "the young person) or clinician; empty if unknown.",
    ),
    Column("entered_by_name", T.TEXT, "That person's name (first and last).", research=False),
    Column("note", T.TEXT, "The patient's own note (free text).", research=False),
    Column("created_at", T.DATETIME, "When the check-in was first saved (UTC).", research=False),
    Column("updated_at", T.DATETIME, "When it was last changed (UTC).", research=False),
)


def _count(model: type) -> Coalesce:
    """Rows of `model` belonging to the outer entry, as a subquery (no join multiplying rows)."""
    counted = (
        model.objects.filter(entry=OuterRef("pk"))
        .order_by()
        .values("entry")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


# The roles `entered_by` reports (tracker/rules/guardian_entries.py); anyone else is "".
_ENTERED_BY = Case(
    *(When(updated_by__role=role, then=Value(word)) for role, word in ENTERED_BY_ROLES.items()),
    default=Value(""),
)
_ENTERED_BY_NAME = Trim(
    Concat(
        Coalesce(F("updated_by__first_name"), Value("")),
        Value(" "),
        Coalesce(F("updated_by__last_name"), Value("")),
    )
)


def _entries(scope: ExportScope) -> QuerySet[DiaryEntry]:
    return (
        in_range(DiaryEntry.objects.filter(patient__in=scope.patients), scope)
        .annotate(
            n_activities=_count(DiaryActivity),
            n_versions=_count(DiaryEntryVersion),
            entered_by=_ENTERED_BY,
            entered_by_name=_ENTERED_BY_NAME,
        )
        .order_by("patient_id", "day")
    )


def diary_records(scope: ExportScope) -> Iterator[Record]:
    for e in _entries(scope).iterator(chunk_size=scope.chunk_size):
        yield (
            e.patient_id,
            e.day,
            {
                "pain_now": e.pain_now,
                "pain_worst": e.pain_worst,
                "pain_reach": e.pain_reach,
                "pain_side": e.pain_side,
                "leg_numbness": e.leg_numbness,
                "leg_weakness": e.leg_weakness,
                "night_pain": e.night_pain,
                "medicine": e.medicine,
                "medicine_doses": e.medicine_doses,
                "saddle_numbness": e.saddle_numbness,
                "bladder_bowel": e.bladder_bowel,
                "leg_weakness_worse": e.leg_weakness_worse,
                "activities": e.n_activities,
                "versions": e.n_versions,
                "entered_by": e.entered_by,
                "entered_by_name": e.entered_by_name,
                "note": e.note,
                "created_at": e.created_at,
                "updated_at": e.updated_at,
            },
        )


@research_variant("The daily check-ins without names, dates or free text.")
@register
class DiaryDataset(PatientDayDataset):
    slug = "diary"
    title = "Daily check-ins"
    description = "One row per patient per day checked in: pain, leg symptoms, medicine, note."
    for_patients = True
    patient_title = "your daily check-ins"
    fields = DIARY_FIELDS

    def records(self, scope: ExportScope, patients: dict[int, PatientInfo]) -> Iterator[Record]:
        return diary_records(scope)

    def named_sql_rows(self, scope: ExportScope) -> SqlRows:
        # The note is free text (commas, quotes, line breaks): written by Python's csv, not COPY.
        return sql_rows(
            _entries(scope),
            [
                ("patient_id", F("patient_id")),
                ("day", CsvDate("day")),
                ("pain_now", F("pain_now")),
                ("pain_worst", F("pain_worst")),
                ("pain_reach", CsvText("pain_reach")),
                ("pain_side", CsvText("pain_side")),
                ("leg_numbness", CsvBool("leg_numbness")),
                ("leg_weakness", CsvBool("leg_weakness")),
                ("night_pain", CsvBool("night_pain")),
                ("medicine", CsvText("medicine")),
                ("medicine_doses", F("medicine_doses")),
                ("saddle_numbness", CsvBool("saddle_numbness")),
                ("bladder_bowel", CsvBool("bladder_bowel")),
                ("leg_weakness_worse", CsvBool("leg_weakness_worse")),
                ("activities", F("n_activities")),
                ("versions", F("n_versions")),
                ("entered_by", CsvText("entered_by")),
                ("entered_by_name", CsvText("entered_by_name")),
                ("note", CsvText("note")),
                ("created_at", CsvDateTime("created_at")),
                ("updated_at", CsvDateTime("updated_at")),
            ],
            plain=False,
        )


ACTIVITY_FIELDS = (
    Column(
        "activity",
        T.TEXT,
        "The activity: walking, sitting, standing, running, sport, lifting, arching, twisting "
        "or school_work.",
    ),
    Column("pain", T.INTEGER, "Back pain the activity provoked that day (NRS 0-10).", "0-10"),
)


def _activities(scope: ExportScope) -> QuerySet[DiaryActivity]:
    return in_range(
        DiaryActivity.objects.filter(entry__patient__in=scope.patients), scope, "entry__day"
    ).order_by("entry__patient_id", "entry__day", "activity")


def activity_records(scope: ExportScope) -> Iterator[Record]:
    rows = _activities(scope).values_list("entry__patient_id", "entry__day", "activity", "pain")
    for patient_id, day, activity, pain in rows.iterator(chunk_size=scope.chunk_size):
        yield patient_id, day, {"activity": activity, "pain": pain}


@research_variant("Activity pain without names or dates.")
@register
class ActivityPainDataset(PatientDayDataset):
    slug = "activity_pain"
    title = "Activity pain"
    description = "One row per activity logged in a check-in, with the pain it provoked."
    for_patients = True
    patient_title = "the pain your activities caused"
    fields = ACTIVITY_FIELDS

    def records(self, scope: ExportScope, patients: dict[int, PatientInfo]) -> Iterator[Record]:
        return activity_records(scope)

    def named_sql_rows(self, scope: ExportScope) -> SqlRows:
        # Numbers, a date and the activity, from a vocabulary the database constrains
        # (`diary_activity_valid`): no cell needs quoting, so PostgreSQL's COPY can write it.
        # The activity is neutralised all the same, should the vocabulary ever grow one.
        return sql_rows(
            _activities(scope),
            [
                ("patient_id", F("entry__patient_id")),
                ("day", CsvDate("entry__day")),
                ("activity", CsvText("activity")),
                ("pain", F("pain")),
            ],
            plain=True,
        )
