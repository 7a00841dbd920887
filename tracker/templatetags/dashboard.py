"""Small display helpers for the dashboard, trends and progress pages."""

from django import template
from django.utils.html import format_html, format_html_join

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
