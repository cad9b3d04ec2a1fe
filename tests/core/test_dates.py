import datetime

from core.dates import local_date, local_day_bounds, today_in
from core.timezones import zone

UTC = datetime.UTC


def test_local_date_is_the_wall_clock_date():
    late_evening_utc = datetime.datetime(2026, 11, 3, 23, 30, tzinfo=UTC)
    assert local_date(late_evening_utc, "Europe/London") == datetime.date(2026, 11, 3)
    assert local_date(late_evening_utc, "Europe/Berlin") == datetime.date(2026, 11, 4)
    assert today_in("America/New_York", late_evening_utc) == datetime.date(2026, 11, 3)


def test_day_bounds_follow_daylight_saving():
    # 1 November 2026: New York falls back, so that local day lasts 25 hours.
    start, end = local_day_bounds(
        "America/New_York", datetime.date(2026, 11, 1), datetime.date(2026, 11, 1)
    )
    assert start == datetime.datetime(2026, 11, 1, 4, tzinfo=UTC)
    assert end - start == datetime.timedelta(hours=25)


def test_unknown_zone_falls_back_to_utc_instead_of_failing():
    assert zone("Mars/Olympus_Mons").key == "UTC"
    assert zone("../../etc/passwd").key == "UTC"


def test_a_time_of_day_reads_the_same_everywhere(settings):
    # GIVEN times as pages and messages show them
    from django.template import Context, Template
    from django.utils import timezone

    from core.dates import clock

    cases = {
        datetime.time(19, 0): "7 pm",
        datetime.time(18, 25): "6:25 pm",
        datetime.time(12, 0): "noon",
        datetime.time(0, 0): "midnight",
        datetime.time(9, 5): "9:05 am",
    }
    for moment, words in cases.items():
        assert clock(moment) == words
    # WHEN a page writes a UTC time for a viewer in New York, THEN in their zone, same words
    moment = datetime.datetime(2026, 12, 1, 23, 25, tzinfo=datetime.UTC)
    with timezone.override("America/New_York"):
        html = Template("{{ t|clock }} / {{ t|day_and_clock }}").render(Context({"t": moment}))
    assert html == "6:25 pm / Tuesday 1 December, 6:25 pm"


def test_times_and_days_follow_the_active_language():
    # GIVEN the same moments WHEN written in French and in Spanish THEN each language's way
    from django.utils import translation

    from core.dates import clock, day_and_clock

    evening = datetime.datetime(2026, 12, 1, 18, 25)
    cases = {
        "fr": ("18 h 25", "19 h", "midi", "minuit", "9 h 05", "mardi 1 décembre à 18 h 25"),
        "es": ("18:25", "19:00", "12:00", "0:00", "9:05", "martes 1 de diciembre, 18:25"),
        "en": ("6:25 pm", "7 pm", "noon", "midnight", "9:05 am", "Tuesday 1 December, 6:25 pm"),
    }
    for language, expected in cases.items():
        with translation.override(language):
            written = (
                clock(evening),
                clock(datetime.time(19, 0)),
                clock(datetime.time(12, 0)),
                clock(datetime.time(0, 0)),
                clock(datetime.time(9, 5)),
                day_and_clock(evening),
            )
        assert written == expected, language
    # A regional variant reads like its language.
    with translation.override("fr-ca"):
        assert clock(evening) == "18 h 25"
