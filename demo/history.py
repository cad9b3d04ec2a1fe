"""Half a year of held sessions with roll taken, for `manage.py seed_demo`: so attendance
summaries, the chart, the CSV and letters show something on the first run."""

import datetime
import random

from django.core.exceptions import ValidationError
from django.utils import timezone

from attendance.models import Mark
from attendance.services import attendance_mark
from core.timezones import zone
from groups.models import ACTIVE_STATUSES
from groups.selectors import members_in
from sessions.models import Session, SessionStatus

HISTORY_WEEKS = 26
# Mostly there, now and then late or away: a believable group, the same on every run.
MARKS = [Mark.PRESENT] * 15 + [Mark.LATE] * 2 + [Mark.ABSENT] * 2 + [Mark.EXCUSED]


def history_start(today: datetime.date) -> datetime.date:
    """The first day of the history (members of the demo joined then)."""
    return today - datetime.timedelta(weeks=HISTORY_WEEKS + 1)


def seed_demo_history(group, *, actor, weekday: int, start: datetime.time, minutes: int) -> int:
    """Past weekly sessions with marks, once per group (a group with a past is left alone)."""
    now = timezone.now()
    if Session.objects.filter(group=group, starts_at__lt=now).exists():
        return 0
    tz = zone(group.time_zone)
    today = now.astimezone(tz).date()
    last = today - datetime.timedelta(days=(today.weekday() - weekday) % 7 or 7)
    days = [last - datetime.timedelta(weeks=n) for n in range(HISTORY_WEEKS)][::-1]
    sessions = Session.objects.bulk_create(
        Session(
            group=group,
            starts_at=(begins := datetime.datetime.combine(day, start, tzinfo=tz)),
            ends_at=begins + datetime.timedelta(minutes=minutes),
            status=SessionStatus.SCHEDULED,
            edited=True,
        )
        for day in days
    )
    chooser = random.Random(group.pk)  # noqa: S311  # nosec B311 - demo data, not security
    members = list(members_in(group, statuses=ACTIVE_STATUSES))
    for session in sessions:
        for member in members:
            mark = chooser.choice(MARKS)
            try:
                attendance_mark(
                    session=session,
                    member=member,
                    mark=mark,
                    reason="Away for work" if mark == Mark.EXCUSED else "",
                    actor=actor,
                    at=session.ends_at + datetime.timedelta(minutes=10),  # on the night
                )
            except ValidationError:
                continue  # not in the group yet that day (joined after the demo began)
    return len(sessions)
