"""The trend chart names its days with each language's usual month abbreviations: Django's
French ones are ambiguous ('Jui' is juin or juillet)."""

import datetime
from types import SimpleNamespace

from django.utils import translation

from measures.charts import trend_chart


def test_trend_chart_days_are_unambiguous_in_each_language():
    # GIVEN scores on 2 June and 7 July
    trend = SimpleNamespace(
        instrument=SimpleNamespace(max_score=27, bands=[]),
        points=[(datetime.date(2026, 6, 2), 9, ""), (datetime.date(2026, 7, 7), 6, "")],
    )
    expected = {
        "en": ("2 Jun 2026", "7 Jul 2026"),
        "fr": ("2 juin 2026", "7 juil. 2026"),
        "es": ("2 jun. 2026", "7 jul. 2026"),
    }
    for language, (first, last) in expected.items():
        # WHEN drawn in that language THEN each end names its month unambiguously
        with translation.override(language):
            chart = trend_chart(trend)
        assert (chart.first_label, chart.last_label) == (first, last), language
        assert chart.dots[1][2] == f"{last}: 6"
