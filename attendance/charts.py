"""Geometry for the server-rendered SVG headcount chart (no JavaScript, no third party).

The chart fills its container's width at a fixed height: across, positions are percentages
(so it stretches), down, pixels (so its text stays the same size). A viewBox would scale the
whole drawing, text included: tiny on a phone, huge on a wide screen.
"""

from dataclasses import dataclass

from core.dates import short_date

HEIGHT = 200
PAD_TOP, PAD_BOTTOM = 22, 34  # room for the top tick's label, and the dates underneath
LEFT, RIGHT = 3.0, 97.0  # percent: dots never sit on the edge


@dataclass
class Chart:
    height: int
    segments: list  # [(x1 %, y1, x2 %, y2)]: the line, dot to dot
    dots: list  # [(x %, y, label)]
    y_max: int
    y_ticks: list  # [(y, value)]
    first_label: str
    last_label: str  # "" when every session fell on one day (no repeated date)
    baseline: float
    date_y: int


def _day(day) -> str:
    """'6 Jan 2026', '2 juin 2026', '7 juil. 2026': short enough for an axis, never 'Jui'."""
    return short_date(day)


def headcount_chart(rows) -> Chart | None:
    """`rows`: SessionRow oldest first (local_date, headcount). None when there is nothing yet."""
    if not rows:
        return None
    y_max = max(max(r.headcount for r in rows), 1)
    plot_h = HEIGHT - PAD_TOP - PAD_BOTTOM
    step = (RIGHT - LEFT) / (len(rows) - 1) if len(rows) > 1 else 0
    dots = []
    for i, row in enumerate(rows):
        x = LEFT + i * step if len(rows) > 1 else (LEFT + RIGHT) / 2
        y = PAD_TOP + plot_h * (1 - row.headcount / y_max)
        dots.append((round(x, 2), round(y, 1), f"{_day(row.local_date)}: {row.headcount}"))
    ticks = sorted({0, y_max // 2, y_max})
    first, last = _day(rows[0].local_date), _day(rows[-1].local_date)
    return Chart(
        height=HEIGHT,
        segments=[(a[0], a[1], b[0], b[1]) for a, b in zip(dots, dots[1:], strict=False)],
        dots=dots,
        y_max=y_max,
        y_ticks=[(round(PAD_TOP + plot_h * (1 - v / y_max), 1), v) for v in ticks],
        first_label=first,
        last_label=last if last != first else "",
        baseline=PAD_TOP + plot_h,
        date_y=HEIGHT - 10,
    )
