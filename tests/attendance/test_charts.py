"""The headcount chart stretches across its container; its text keeps its size."""

import datetime
from types import SimpleNamespace

from attendance.charts import headcount_chart


def _rows(*pairs):
    return [SimpleNamespace(local_date=day, headcount=count) for day, count in pairs]


def test_positions_across_are_percentages_and_down_are_pixels():
    chart = headcount_chart(
        _rows(
            (datetime.date(2026, 1, 6), 4),
            (datetime.date(2026, 1, 13), 6),
            (datetime.date(2026, 1, 20), 3),
        )
    )
    xs = [x for x, _y, _label in chart.dots]
    assert xs[0] == 3.0 and xs[-1] == 97.0  # percent, edge to edge
    assert len(chart.segments) == 2
    top = min(y for _x, y, _label in chart.dots)
    assert top == chart.y_ticks[-1][0]  # the highest count sits on the top line
    assert (chart.first_label, chart.last_label) == ("6 Jan 2026", "20 Jan 2026")


def test_one_day_is_named_once():
    chart = headcount_chart(_rows((datetime.date(2026, 1, 6), 4)))
    assert chart.first_label == "6 Jan 2026"
    assert chart.last_label == ""
    assert chart.dots[0][0] == 50.0


def test_month_names_are_never_ambiguous():
    # GIVEN sessions on 2 June and 7 July WHEN labelled in French THEN 'juin' and 'juil.',
    # never 'Jui' for both.
    from django.utils import translation

    rows = _rows((datetime.date(2026, 6, 2), 4), (datetime.date(2026, 7, 7), 5))
    with translation.override("fr"):
        chart = headcount_chart(rows)
    assert (chart.first_label, chart.last_label) == ("2 juin 2026", "7 juil. 2026")
    assert chart.dots[1][2] == "7 juil. 2026: 5"
    with translation.override("es"):
        chart = headcount_chart(rows)
    assert (chart.first_label, chart.last_label) == ("2 jun. 2026", "7 jul. 2026")


def test_nothing_yet_draws_nothing():
    assert headcount_chart([]) is None
