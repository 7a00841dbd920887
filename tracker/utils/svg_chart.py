"""Static line charts as SVG geometry, for pages that must work printed or without JavaScript
(the referral summary, the patient's own progress page). Pure: values in, coordinates out; the
template draws them. The interactive charts of the patient page use Chart.js instead."""

from collections.abc import Sequence
from dataclasses import dataclass

_W, _H, _LEFT, _RIGHT, _TOP, _BOTTOM = 320, 150, 28, 8, 8, 22


@dataclass(frozen=True)
class SvgSeries:
    name: str
    css: str  # a class the stylesheet colours: "line-a", "line-b", ...
    lines: list[str]  # polyline points, one per run of values without a gap
    dots: list[tuple[float, float]]  # points that stand alone (no neighbour to join)


@dataclass(frozen=True)
class SvgChart:
    series: list[SvgSeries]
    gridlines: list[tuple[str, float]]  # (label, y)
    first_label: str
    last_label: str
    width: int = _W
    height: int = _H
    left: int = _LEFT
    right_edge: int = _W - _RIGHT
    bottom_edge: int = _H - _BOTTOM
    label_y: int = _H - 6

    @property
    def empty(self) -> bool:
        return not any(s.lines or s.dots for s in self.series)


def line_chart(
    labels: Sequence[str],
    series: Sequence[tuple[str, str, Sequence[float | None]]],
    *,
    y_min: float,
    y_max: float,
    ticks: Sequence[float],
) -> SvgChart:
    """Lines for each (name, css class, values) over the labels; None leaves a gap."""
    span_x = _W - _LEFT - _RIGHT
    span_y = _H - _TOP - _BOTTOM
    n = len(labels)

    def x(i: int) -> float:
        return round(_LEFT + span_x * (i / (n - 1) if n > 1 else 0.5), 1)

    def y(v: float) -> float:
        v = min(max(v, y_min), y_max)
        return round(_TOP + span_y * (1 - (v - y_min) / (y_max - y_min)), 1)

    drawn = []
    for name, css, values in series:
        runs, current = [], []
        for i, v in enumerate(values):
            if v is None:
                if current:
                    runs.append(current)
                current = []
            else:
                current.append((x(i), y(v)))
        if current:
            runs.append(current)
        drawn.append(
            SvgSeries(
                name=name,
                css=css,
                lines=[" ".join(f"{a},{b}" for a, b in run) for run in runs if len(run) > 1],
                dots=[run[0] for run in runs if len(run) == 1],
            )
        )
    return SvgChart(
        series=drawn,
        gridlines=[(f"{t:g}", y(t)) for t in ticks],
        first_label=labels[0] if labels else "",
        last_label=labels[-1] if labels else "",
    )
