import datetime
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from sessions import recurrence, services
from sessions.models import Session
from tests.factories import GroupFactory, UserFactory

UTC = datetime.UTC


def _series(tz, starts_on, weekday, **rule):
    group = GroupFactory(time_zone=tz)
    return services.series_create(
        group=group,
        actor=UserFactory(facilitator=True),
        rrule=recurrence.build_rule(frequency="weekly", weekday=weekday, **rule),
        starts_on=starts_on,
        start_time=datetime.time(19, 0),
        duration_minutes=90,
    )


@pytest.mark.django_db
@time_machine.travel(datetime.datetime(2026, 10, 1, 12, tzinfo=UTC), tick=False)
def test_new_york_series_keeps_7pm_across_the_november_2026_change():
    """GIVEN a weekly 19:00 Tuesday series in New York from 20 October 2026
    WHEN it is materialised across 1 November 2026 (clocks go back)
    THEN every session starts at 19:00 New York time, so the UTC time shifts by an hour."""
    series = _series("America/New_York", datetime.date(2026, 10, 20), "TU", count=4)
    starts = list(Session.objects.filter(series=series).values_list("starts_at", flat=True))
    assert starts == [
        datetime.datetime(2026, 10, 20, 23, tzinfo=UTC),
        datetime.datetime(2026, 10, 27, 23, tzinfo=UTC),
        datetime.datetime(2026, 11, 4, 0, tzinfo=UTC),
        datetime.datetime(2026, 11, 11, 0, tzinfo=UTC),
    ]
    zone = zoneinfo.ZoneInfo("America/New_York")
    assert {s.astimezone(zone).time() for s in starts} == {datetime.time(19, 0)}


@pytest.mark.django_db
@time_machine.travel(datetime.datetime(2027, 3, 1, 12, tzinfo=UTC), tick=False)
def test_london_series_keeps_7pm_across_the_march_2027_change():
    series = _series(
        "Europe/London", datetime.date(2027, 3, 16), "TU", until=datetime.date(2027, 4, 6)
    )
    starts = list(Session.objects.filter(series=series).values_list("starts_at", flat=True))
    assert starts == [
        datetime.datetime(2027, 3, 16, 19, tzinfo=UTC),
        datetime.datetime(2027, 3, 23, 19, tzinfo=UTC),
        datetime.datetime(2027, 3, 30, 18, tzinfo=UTC),
        datetime.datetime(2027, 4, 6, 18, tzinfo=UTC),
    ]


@pytest.mark.django_db
@time_machine.travel(datetime.datetime(2026, 10, 1, 12, tzinfo=UTC), tick=False)
def test_fortnightly_and_monthly_nth_weekday():
    fortnightly = _series("Europe/London", datetime.date(2026, 10, 6), "TU", count=3)
    fortnightly.rrule = recurrence.build_rule(frequency="fortnightly", weekday="TU", count=3)
    dates = [
        local.date()
        for local in recurrence.series_local_starts(
            fortnightly,
            datetime.datetime(2026, 10, 1, tzinfo=UTC),
            datetime.datetime(2027, 1, 1, tzinfo=UTC),
        )
    ]
    assert dates == [
        datetime.date(2026, 10, 6),
        datetime.date(2026, 10, 20),
        datetime.date(2026, 11, 3),
    ]
    fortnightly.rrule = recurrence.build_rule(frequency="monthly", weekday="TH", nth=-1, count=2)
    dates = [
        local.date()
        for local in recurrence.series_local_starts(
            fortnightly,
            datetime.datetime(2026, 10, 1, tzinfo=UTC),
            datetime.datetime(2027, 1, 1, tzinfo=UTC),
        )
    ]
    assert dates == [datetime.date(2026, 10, 29), datetime.date(2026, 11, 26)]


def test_rule_round_trips_through_the_form_choices():
    rule = recurrence.build_rule(
        frequency="monthly", weekday="WE", nth=2, until=datetime.date(2027, 6, 30)
    )
    assert rule == "FREQ=MONTHLY;BYDAY=2WE;UNTIL=20270630T235959"
    assert recurrence.describe_rule(rule) == {
        "frequency": "monthly",
        "weekday": "WE",
        "nth": 2,
        "until": datetime.date(2027, 6, 30),
        "count": None,
    }


@pytest.mark.django_db
@time_machine.travel(datetime.datetime(2027, 3, 1, 12, tzinfo=UTC), tick=False)
def test_a_time_the_clock_skips_is_refused_and_nothing_is_saved():
    group = GroupFactory(time_zone="Europe/London")
    with pytest.raises(ValidationError, match="does not exist"):
        services.series_create(
            group=group,
            actor=None,
            rrule="FREQ=WEEKLY;BYDAY=SU",
            starts_on=datetime.date(2027, 3, 21),
            start_time=datetime.time(1, 30),
            duration_minutes=60,
        )
    assert not group.series.exists()
    assert not Session.objects.filter(group=group).exists()


@pytest.mark.django_db
def test_a_rule_with_no_occurrences_is_refused():
    group = GroupFactory()
    with pytest.raises(ValidationError, match="no sessions"):
        services.series_create(
            group=group,
            actor=None,
            rrule="FREQ=WEEKLY;BYDAY=TU;UNTIL=20261201T235959",
            starts_on=datetime.date(2026, 12, 2),
            start_time=datetime.time(19),
            duration_minutes=60,
        )
    assert not group.series.exists()


def test_rule_in_words():
    assert recurrence.rule_in_words("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;COUNT=10") == (
        "Every other Tuesday, 10 times"
    )
    assert recurrence.rule_in_words("FREQ=MONTHLY;BYDAY=-1TH;UNTIL=20270630T235959") == (
        "The last Thursday of each month, until 30 June 2027"
    )
