"""When a message is due: reminder offsets in wall-clock days, and quiet hours."""

import datetime

from core.timezones import zone

DAY = 24 * 60


def reminder_due_at(starts_at: datetime.datetime, offset_minutes: int, time_zone: str):
    """`offset_minutes` before `starts_at`, whole days counted on the group's wall clock.

    "A day before a 7 pm session" is 7 pm the day before, also across a clock change;
    the rest of the offset (hours, minutes) is elapsed time.
    """
    tz = zone(time_zone)
    days, minutes = divmod(int(offset_minutes), DAY)
    local = starts_at.astimezone(tz).replace(tzinfo=None) - datetime.timedelta(days=days)
    # A wall-clock time that does not exist (spring forward) resolves to the later instant.
    aware = local.replace(tzinfo=tz)
    due = aware.astimezone(datetime.UTC) - datetime.timedelta(minutes=minutes)
    return due


def _in_quiet(local_time: datetime.time, start: datetime.time, end: datetime.time) -> bool:
    if start <= end:
        return start <= local_time < end
    return local_time >= start or local_time < end  # the window spans midnight


def after_quiet_hours(due: datetime.datetime, preference, time_zone: str):
    """The first moment at or after `due` outside the person's quiet hours."""
    if preference is None or preference.quiet_start is None or preference.quiet_end is None:
        return due
    if preference.quiet_start == preference.quiet_end:
        return due
    tz = zone(time_zone)
    local = due.astimezone(tz)
    if not _in_quiet(local.time(), preference.quiet_start, preference.quiet_end):
        return due
    end_date = local.date()
    if preference.quiet_start > preference.quiet_end and local.time() >= preference.quiet_start:
        end_date += datetime.timedelta(days=1)
    end = datetime.datetime.combine(end_date, preference.quiet_end).replace(tzinfo=tz)
    return end.astimezone(datetime.UTC)


def reminder_due_with_quiet(starts_at, offset_minutes, group_zone, preference, member_zone):
    """A reminder waits out quiet hours unless it would then arrive after the session starts."""
    due = reminder_due_at(starts_at, offset_minutes, group_zone)
    later = after_quiet_hours(due, preference, member_zone)
    return later if later < starts_at else due
