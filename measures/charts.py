"""Geometry for the server-drawn SVG trend chart of one instrument's scores, with its
severity bands behind the line (no JavaScript, no third party). The viewBox scales down to
a 375 px phone; labels are few and large enough to stay readable there."""

from dataclasses import dataclass

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.dates import short_date

WIDTH, HEIGHT = 360, 220
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 34, 12, 12, 34


@dataclass
class Band:
    y: float
    height: float
    label: str
    label_y: float
    index: int


@dataclass
class TrendChart:
    width: int
    height: int
    points: str
    dots: list  # [(x, y, label)]
    bands: list[Band]
    y_ticks: list  # [(y, value)]
    first_label: str
    last_label: str
    left: int
    right: int
    plot_width: int
    baseline: float
    title: str


def _day(day) -> str:
    """'6 Jan 2026', '2 juin 2026', '7 juil. 2026': short enough for an axis, never 'Jui'."""
    return short_date(day)


def trend_chart(trend) -> TrendChart | None:
    """`trend`: selectors.Trend (points oldest first). None when there are no points."""
    points = trend.points
    if not points:
        return None
    instrument = trend.instrument
    y_max = instrument.max_score or max(max(total for _day, total, _band in points), 1)
    plot_w = WIDTH - PAD_LEFT - PAD_RIGHT
    plot_h = HEIGHT - PAD_TOP - PAD_BOTTOM

    def y_of(value: float) -> float:
        return round(PAD_TOP + plot_h * (1 - value / y_max), 1)

    step = plot_w / (len(points) - 1) if len(points) > 1 else 0
    dots = []
    for i, (day, total, band) in enumerate(points):
        x = PAD_LEFT + (i * step if len(points) > 1 else plot_w / 2)
        label = f"{_day(day)}: {total}" + (f" ({band})" if band else "")
        dots.append((round(x, 1), y_of(total), label))
    bands = []
    language = get_language() or ""
    for index, band in enumerate(instrument.bands or []):
        # A band covers scores min..max; draw it from min - 0.5 to max + 0.5, clipped.
        top = y_of(min(float(band["max"]) + 0.5, y_max))
        bottom = y_of(max(float(band["min"]) - 0.5, 0))
        bands.append(
            Band(
                y=top,
                height=round(bottom - top, 1),
                label=str((band.get("labels") or {}).get(language) or band["label"]),
                label_y=round((top + bottom) / 2, 1),
                index=index,
            )
        )
    ticks = sorted({0, y_max})
    first, last = points[0][0], points[-1][0]
    return TrendChart(
        width=WIDTH,
        height=HEIGHT,
        points=" ".join(f"{x},{y}" for x, y, _label in dots),
        dots=dots,
        bands=bands,
        y_ticks=[(y_of(v), v) for v in ticks],
        first_label=_day(first),
        # One day is named once, not at both ends.
        last_label="" if _day(last) == _day(first) else _day(last),
        left=PAD_LEFT,
        right=WIDTH - PAD_RIGHT,
        plot_width=plot_w,
        baseline=PAD_TOP + plot_h,
        title=_("Scores from %(first)s to %(last)s: latest %(latest)s of %(max)s")
        % {"first": _day(first), "last": _day(last), "latest": points[-1][1], "max": y_max},
    )
