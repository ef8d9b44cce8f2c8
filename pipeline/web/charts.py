"""The dashboard's on-time chart, drawn on the server as SVG geometry for the template."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.service.queries.dashboard import MonthShare

MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
WIDTH, HEIGHT = 640, 220
LEFT, BOTTOM, TOP = 40, 30, 12


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: str
    steps: int


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    baseline: float
    gridlines: list[tuple[float, str]]


def month_bars(months: list[MonthShare]) -> Chart:
    """One bar per month: the share of SOP steps done by their deadline (0–100 %)."""
    plot_height = HEIGHT - BOTTOM - TOP
    slot = (WIDTH - LEFT) / max(1, len(months))
    bars = []
    for i, month in enumerate(months):
        height = plot_height * month.share
        year, number = month.month.split("-")
        bars.append(
            Bar(
                x=LEFT + i * slot + slot * 0.15,
                y=TOP + plot_height - height,
                width=slot * 0.7,
                height=height,
                label=f"{MONTH_NAMES[int(number) - 1]} {year[2:]}",
                value=f"{round(month.share * 100)}%" if month.steps else "–",
                steps=month.steps,
            )
        )
    grid = [(TOP + plot_height * (1 - f), f"{int(f * 100)}%") for f in (0.0, 0.5, 1.0)]
    return Chart(WIDTH, HEIGHT, bars, TOP + plot_height, grid)
