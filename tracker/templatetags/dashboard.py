"""Small display helpers for the dashboard, trends and progress pages."""

from django import template

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
    if value is None:
        return "n/a"
    return f"{int(value * 100 + 1e-9)}%"
