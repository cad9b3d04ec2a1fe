"""Reminder offsets on the wall clock, across clock changes, and quiet hours."""

import datetime
import zoneinfo

from notifications.models import Preference
from notifications.timing import after_quiet_hours, reminder_due_at, reminder_due_with_quiet

LONDON = zoneinfo.ZoneInfo("Europe/London")


def local(*args):
    return datetime.datetime(*args, tzinfo=LONDON)


def test_a_day_before_lands_at_the_same_local_time_when_clocks_go_forward():
    # GIVEN a 7 pm London session on the Sunday the clocks go forward (29 March 2026)
    starts = local(2026, 3, 29, 19).astimezone(datetime.UTC)
    # WHEN reminders are due 24 hours and 2 hours before
    day_before = reminder_due_at(starts, 24 * 60, "Europe/London")
    two_hours = reminder_due_at(starts, 120, "Europe/London")
    # THEN the day-before reminder comes at 7 pm Saturday (GMT) and the other at 5 pm BST
    assert day_before.astimezone(LONDON) == local(2026, 3, 28, 19)
    assert day_before == datetime.datetime(2026, 3, 28, 19, tzinfo=datetime.UTC)
    assert two_hours.astimezone(LONDON) == local(2026, 3, 29, 17)


def test_a_day_before_lands_at_the_same_local_time_when_clocks_go_back():
    # GIVEN a 10 am session on the Sunday the clocks go back (25 October 2026)
    starts = local(2026, 10, 25, 10).astimezone(datetime.UTC)
    due = reminder_due_at(starts, 24 * 60, "Europe/London")
    # THEN the reminder is at 10 am BST on Saturday, 25 hours before in elapsed time
    assert due.astimezone(LONDON) == local(2026, 10, 24, 10)
    assert starts - due == datetime.timedelta(hours=25)


def test_days_and_hours_combine_in_another_zone():
    new_york = zoneinfo.ZoneInfo("America/New_York")
    # US clocks go forward on 8 March 2026
    starts = datetime.datetime(2026, 3, 9, 18, 30, tzinfo=new_york).astimezone(datetime.UTC)
    due = reminder_due_at(starts, 2 * 24 * 60 + 90, "America/New_York")
    assert due.astimezone(new_york) == datetime.datetime(2026, 3, 7, 17, 0, tzinfo=new_york)


def _quiet(start, end):
    return Preference(quiet_start=datetime.time(*start), quiet_end=datetime.time(*end))


def test_quiet_hours_across_midnight_wait_until_morning():
    pref = _quiet((22, 0), (7, 30))
    due = local(2026, 12, 1, 23, 15).astimezone(datetime.UTC)
    assert after_quiet_hours(due, pref, "Europe/London") == local(2026, 12, 2, 7, 30)
    early = local(2026, 12, 2, 3, 0).astimezone(datetime.UTC)
    assert after_quiet_hours(early, pref, "Europe/London") == local(2026, 12, 2, 7, 30)
    outside = local(2026, 12, 2, 12, 0).astimezone(datetime.UTC)
    assert after_quiet_hours(outside, pref, "Europe/London") == outside


def test_quiet_hours_are_in_the_members_own_time_zone():
    pref = _quiet((13, 0), (15, 0))
    tokyo = zoneinfo.ZoneInfo("Asia/Tokyo")
    due = datetime.datetime(2026, 12, 1, 14, 0, tzinfo=tokyo)
    assert after_quiet_hours(due, pref, "Asia/Tokyo") == datetime.datetime(
        2026, 12, 1, 15, 0, tzinfo=tokyo
    )
    assert after_quiet_hours(due, pref, "Europe/London") == due


def test_a_reminder_does_not_wait_past_the_session_start():
    pref = _quiet((6, 0), (9, 0))
    starts = local(2026, 12, 1, 8, 0).astimezone(datetime.UTC)
    # Two hours before is 6 am: quiet. Waiting until 9 am would be after the start.
    due = reminder_due_with_quiet(starts, 120, "Europe/London", pref, "Europe/London")
    assert due == local(2026, 12, 1, 6, 0)
    # The day-before reminder at 8 am the day before waits until 9 am.
    due = reminder_due_with_quiet(starts, 1440, "Europe/London", pref, "Europe/London")
    assert due == local(2026, 11, 30, 9, 0)
