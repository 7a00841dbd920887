"""One patient over a date range: chart series, their table alternatives, the diary with versions,
alerts and timeline events. A fixed number of queries whatever the number of days
(docs/dashboard.md): every read is one query over the range, and Python only walks the days.

Everything the page shows is worked out here once, as plain values: the charts' JSON (daily
points for the whole range) and each chart's table as rows of display strings, so the template
only loops. Ranges longer than `DAILY_TABLE_MAX_DAYS` get weekly table rows (a year of daily rows
under every chart is unreadable and was most of the page's cost); the chart keeps its daily points.
The diary is one page of `DIARY_PAGE_SIZE` check-ins, newest first, each with its versions.

- `page`: `patient_trends` and what it returns;
- `days`: the range's check-ins and brace logs as daily series;
- `tables`: the tables under the charts; `scores`: the questionnaire charts;
- `chart`: the charts' JSON; `diary`: the diary's page.
"""

from tracker.selectors.trends.days import days_between, rolling_mean
from tracker.selectors.trends.diary import DIARY_PAGE_SIZE, DiaryPage, DiaryRow
from tracker.selectors.trends.page import (
    DAILY_TABLE_MAX_DAYS,
    MAX_RANGE_DAYS,
    PatientTrends,
    patient_trends,
)
from tracker.selectors.trends.scores import ScoreChart, clinic_important_change
from tracker.selectors.trends.tables import ACTIVITY_SHORT, Table

__all__ = [
    "ACTIVITY_SHORT",
    "DAILY_TABLE_MAX_DAYS",
    "DIARY_PAGE_SIZE",
    "MAX_RANGE_DAYS",
    "DiaryPage",
    "DiaryRow",
    "PatientTrends",
    "ScoreChart",
    "Table",
    "clinic_important_change",
    "days_between",
    "patient_trends",
    "rolling_mean",
]
