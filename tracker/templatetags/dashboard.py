"""Small display helpers for the dashboard, trends and progress pages."""

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from rehab.adherence import as_percent
from tracker.rules.assessment import NOT_ENOUGH_DATA

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


def _pain_cell(row) -> str:
    """The 7-day mean with the verdict's arrow; "not enough data" in words when the rules have
    too few check-ins to compare (docs/dashboard.md, "Not enough data")."""
    trend = row.pain_trend
    if row.pain_shortfall or row.pain_recent is None:
        return format_html(
            '<strong class="thin">{}</strong> <span class="dash-sub">{}</span>',
            NOT_ENOUGH_DATA.capitalize(),
            row.pain_shortfall or "no pain scores logged yet",
        )
    arrow = format_html(
        '<span class="trend trend-{}" aria-hidden="true" title="{}">{}</span>'
        '<span class="visually-hidden"> ({})</span>',
        trend.css,
        trend.label,
        trend.arrow,
        trend.label,
    )
    return format_html(
        '<strong>{}</strong> {} <span class="dash-sub">baseline {}</span>',
        one_decimal(row.pain_recent),
        arrow,
        one_decimal(row.pain_baseline),
    )


def _assessment_cell(row, name: str) -> str:
    """The badge (with the thin-data caveat in its own text) and the "Why"."""
    category, caveat = row.category, row.caveat
    return format_html(
        '<span class="assess assess-{}">{}{}</span>{}'
        '<details class="why"><summary>Why<span class="visually-hidden">: {}, {}</span>'
        "</summary><p>{}</p></details>",
        category,
        category.label,
        format_html('<span class="visually-hidden"> ({})</span>', caveat) if caveat else "",
        format_html('<span class="dash-sub dash-caveat" aria-hidden="true">{}</span>', caveat)
        if caveat
        else " ",
        name,
        category.label,
        row.deciding_reason,
    )


def _details_line(row, window: str, checkin: str) -> str:
    """The columns a tablet drops, as one line under the name (shown only at tablet widths)."""
    return format_html(
        '<span class="dash-sub dash-details">{} wk of care · last {}: brace {}, exercises {} · '
        "last check-in {}</span>",
        row.weeks_of_care,
        window,
        _brace_cell(row),
        pct_down(row.exercise_adherence),
        checkin,
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
    holds the head. Cells marked `dash-minor` fold into the details line on a tablet."""
    # One reverse for the page: the trends link with a marker id, split around it.
    before, _, after = reverse("tracker:patient_trends", args=[_MARKER_ID]).partition(
        str(_MARKER_ID)
    )
    out = []
    for row in rows:
        patient = row.patient
        name = str(patient)
        checkin = _checkin_cell(row)
        out.append(
            format_html(
                '<tr class="dash-row">'
                '<th scope="row" data-label="Patient"><a href="{}">{}</a> '
                '<span class="dash-sub">{} y · {}{}</span>{}</th>'
                '<td class="dash-minor" data-label="Care">{} wk</td>'
                '<td data-label="Pain vs baseline">{}</td>'
                '<td data-label="Function">{}</td>'
                '<td class="dash-minor" data-label="Brace ({})">{}</td>'
                '<td class="dash-minor" data-label="Exercises ({})">{}</td>'
                '<td class="dash-minor" data-label="Last check-in">{}</td>'
                '<td data-label="Assessment">{}</td>'
                "</tr>",
                f"{before}{patient.pk}{after}",
                name,
                row.age,
                patient.treating_clinician,
                "" if patient.is_active else " · discharged",
                _details_line(row, window, checkin),
                row.weeks_of_care,
                _pain_cell(row),
                _function_cell(row.function),
                window,
                _brace_cell(row),
                window,
                pct_down(row.exercise_adherence),
                checkin,
                _assessment_cell(row, name),
            )
        )
    return mark_safe("".join(out))  # noqa: S308 - every part above is escaped by format_html
