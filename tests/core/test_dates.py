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


def test_dates_with_a_year_read_naturally_in_each_language():
    # GIVEN a date and a datetime late in the evening UTC
    from django.template import Context, Template
    from django.utils import timezone, translation

    from core.dates import day, long_date, long_day

    moment = datetime.date(2026, 11, 30)
    cases = {
        "en": ("30 November 2026", "Monday 30 November 2026", "Monday 30 November"),
        "fr": ("30 novembre 2026", "lundi 30 novembre 2026", "lundi 30 novembre"),
        "es": ("30 de noviembre de 2026", "lunes 30 de noviembre de 2026", "lunes 30 de noviembre"),
    }
    for language, expected in cases.items():
        # WHEN written in that language THEN Spanish says 'de' before the month and the year
        with translation.override(language):
            assert (long_date(moment), long_day(moment), day(moment)) == expected, language
    # The filters write a UTC instant on the viewer's own day, and nothing for a non-date.
    late = datetime.datetime(2026, 11, 30, 23, 30, tzinfo=UTC)
    page = Template("{{ t|long_date }}|{{ t|long_day }}|{{ none|long_date }}|{{ d|long_date }}")
    with translation.override("es"), timezone.override("Europe/Berlin"):
        html = page.render(Context({"t": late, "none": None, "d": moment}))
    assert html == "1 de diciembre de 2026|martes 1 de diciembre de 2026||30 de noviembre de 2026"


def test_short_dates_never_share_an_abbreviation():
    # GIVEN the first day of each month WHEN abbreviated for a chart THEN twelve distinct months
    from django.utils import translation

    from core.dates import short_date

    firsts = [datetime.date(2026, month, 1) for month in range(1, 13)]
    for language in ("en", "fr", "es"):
        with translation.override(language):
            written = [short_date(first) for first in firsts]
        assert len(set(written)) == 12, language
    with translation.override("fr"):
        assert [short_date(firsts[5]), short_date(firsts[6])] == ["1 juin 2026", "1 juil. 2026"]
    with translation.override("es"):
        assert short_date(datetime.date(2026, 9, 30)) == "30 sept. 2026"
    assert short_date(datetime.date(2026, 6, 2)) == "2 Jun 2026"
