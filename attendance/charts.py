"""Geometry for the server-rendered SVG headcount chart (no JavaScript, no third party)."""

from dataclasses import dataclass

WIDTH, HEIGHT = 400, 180
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 30, 12, 12, 30


@dataclass
class Chart:
    width: int
    height: int
    points: str  # the polyline's "x,y x,y ..."
    dots: list  # [(x, y, label)]
    y_max: int
    y_ticks: list  # [(y, value)]
    first_label: str
    last_label: str
    baseline: float
    left: int
    right: int


def headcount_chart(rows) -> Chart | None:
    """`rows`: SessionRow oldest first (local_date, headcount). None when there is nothing yet."""
    if not rows:
        return None
    y_max = max(max(r.headcount for r in rows), 1)
    plot_w = WIDTH - PAD_LEFT - PAD_RIGHT
    plot_h = HEIGHT - PAD_TOP - PAD_BOTTOM
    step = plot_w / (len(rows) - 1) if len(rows) > 1 else 0
    dots = []
    for i, row in enumerate(rows):
        x = PAD_LEFT + (i * step if len(rows) > 1 else plot_w / 2)
        y = PAD_TOP + plot_h * (1 - row.headcount / y_max)
        label = f"{row.local_date:%-d %b %Y}: {row.headcount}"
        dots.append((round(x, 1), round(y, 1), label))
    ticks = sorted({0, y_max // 2, y_max})
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        points=" ".join(f"{x},{y}" for x, y, _ in dots),
        dots=dots,
        y_max=y_max,
        y_ticks=[(round(PAD_TOP + plot_h * (1 - v / y_max), 1), v) for v in ticks],
        first_label=f"{rows[0].local_date:%-d %b %Y}",
        last_label=f"{rows[-1].local_date:%-d %b %Y}",
        baseline=PAD_TOP + plot_h,
        left=PAD_LEFT,
        right=WIDTH - PAD_RIGHT,
    )
