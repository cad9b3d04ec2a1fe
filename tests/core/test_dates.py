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
