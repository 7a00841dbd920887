"""Small display helpers for the dashboard, trends and progress pages."""

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from rehab.adherence import as_percent

register = template.Library()


@register.filter
def one_decimal(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


@register.filter
def signed(value: float | None) -> str:
    return "—" if value is None else f"{value:+.1f}"


@register.filter
def pct_down(value: float | None) -> str:
    """A fraction as a whole percent, rounded down (69.8% must not read as the 70% bar);
    None (nothing prescribed) is "n/a", never 0% or 100%."""
    percent = as_percent(value)
    return "n/a" if percent is None else f"{percent}%"


@register.filter
def table_rows(rows: list[tuple[str, ...]]) -> str:
    """A chart table's body rows (trends.Table.rows: display strings, the first cell the row's
    header), escaped, built in one pass: a year of rows through template loops was most of the
    trends page's rendering time."""
    return format_html_join(
        "",
        "<tr>{}</tr>",
        (
            (
                format_html('<th scope="row">{}</th>', row[0])
                + format_html_join("", "<td>{}</td>", ((cell,) for cell in row[1:])),
            )
            for row in rows
        ),
    )


_MARKER_ID = 987654321
_STALE_CLASS = mark_safe(' class="stale"')  # noqa: S308 - a constant


def _function_cell(point) -> str:
    if point is None:
        return "—"
    change = point.change
    if change is None:
        sub = mark_safe('<span class="dash-sub">baseline only</span>')  # noqa: S308 - a constant
    else:
        if change.improved:
            css, words = "better", "important improvement"
        elif change.worsened:
            css, words = "worse", "important worsening"
        else:
            css, words = "same", "no important change"
        sub = format_html(
            '<span class="dash-sub change-{}">{} · {}</span>',
            css,
            signed(change.improvement),
            words,
        )
    return format_html("{} {} {}", point.name, f"{point.score:.1f}", sub)


def _checkin_cell(row) -> str:
    days = row.days_since_checkin
    if days is None:
        return mark_safe('<span class="stale">never</span>')  # noqa: S308 - a constant
    if days == 0:
        return "today"
    return format_html(
        "<span{}>{} day{} ago</span>",
        _STALE_CLASS if row.not_logged else "",
        days,
        "" if days == 1 else "s",
    )


def _brace_cell(row) -> str:
    """The brace figure, and "measured" under it when a sensor's hours made it (issue 17)."""
    figure = pct_down(row.brace_adherence)
    source = row.brace_source
    if row.brace_adherence is None or source == "reported":
        return figure
    words = "measured" if source == "measured" else "partly measured"
    return format_html('{} <span class="dash-sub dash-sensor">{}</span>', figure, words)


@register.filter
def dashboard_rows(rows: list, window: str) -> str:
    """The dashboard table's body rows (selectors.dashboard.DashboardRow), escaped, built in one
    pass: fifty rows of nested template tags, filters and includes were most of the page's
    rendering time. The markup is the table's own; templates/tracker/dashboard/dashboard.html
    holds the head."""
    # One reverse for the page: the trends link with a marker id, split around it.
    before, _, after = reverse("tracker:patient_trends", args=[_MARKER_ID]).partition(
        str(_MARKER_ID)
    )
    out = []
    for row in rows:
        patient = row.patient
        name = str(patient)
        trend = row.pain_trend
        category = row.category
        url = f"{before}{patient.pk}{after}"
        out.append(
            format_html(
                '<tr class="dash-row">'
                '<th scope="row" data-label="Patient"><a href="{}">{}</a> '
                '<span class="dash-sub">{} y · {}{}</span></th>'
                '<td data-label="Care">{} wk</td>'
                '<td data-label="Pain vs baseline">{} {} '
                '<span class="dash-sub">baseline {}</span></td>'
                '<td data-label="Function">{}</td>'
                '<td data-label="Brace ({})">{}</td>'
                '<td data-label="Exercises ({})">{}</td>'
                '<td data-label="Last check-in">{}</td>'
                '<td data-label="Assessment"><span class="assess assess-{}">{}</span> '
                '<details class="why"><summary>Why<span class="visually-hidden">: {}, {}</span>'
                "</summary><p>{}</p></details></td>"
                "</tr>",
                url,
                name,
                row.age,
                patient.treating_clinician,
                "" if patient.is_active else " · discharged",
                row.weeks_of_care,
                "—"
                if row.pain_recent is None
                else format_html("<strong>{}</strong>", one_decimal(row.pain_recent)),
                format_html(
                    '<span class="trend trend-{}" aria-hidden="true" title="{}">{}</span>'
                    '<span class="visually-hidden"> ({})</span>',
                    trend.css,
                    trend.label,
                    trend.arrow,
                    trend.label,
                )
                if trend.arrow
                else "",
                one_decimal(row.pain_baseline),
                _function_cell(row.function),
                window,
                _brace_cell(row),
                window,
                pct_down(row.exercise_adherence),
                _checkin_cell(row),
                category,
                category.label,
                name,
                category.label,
                row.deciding_reason,
            )
        )
    return mark_safe("".join(out))  # noqa: S308 - every part above is escaped by format_html
