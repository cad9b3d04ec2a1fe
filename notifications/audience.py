"""Who hears about what, on which channels and when: the rules the writes and the delivery
both apply. Reads only."""

import datetime

from django.utils import timezone

from attendance.models import Attendance, Mark
from core.offsets import MAX_OFFSET_MINUTES
from core.phones import is_textable
from groups.models import ACTIVE_STATUSES
from groups.selectors import members_in
from notifications.models import Channel, Kind, Preference
from sessions.models import Answer, Seat, SessionStatus

# Notices that ask about a session at its new time: a reminder of that session due within
# `merge_window()` of one is folded into it (one message, not a notice then a reminder).
NOTICES_THAT_REMIND = (Kind.SESSION_SCHEDULED, Kind.SESSION_MOVED, Kind.SERIES_CHANGED)
MERGE_MINUTES = 60


def merge_window() -> datetime.timedelta:
    return datetime.timedelta(minutes=MERGE_MINUTES)


# In their order; Channel.values builds a new list on every call, and this runs per message.
CHANNELS = tuple(Channel.values)


def preferences_for(users) -> dict[int, Preference]:
    return {p.user_id: p for p in Preference.objects.filter(user__in=[u.pk for u in users])}


def channels_for(user, preference: Preference | None) -> list[str]:
    """The channels a person chose that can reach them (a text needs a phone number)."""
    chosen = preference.channels if preference is not None else [Channel.EMAIL, Channel.IN_APP]
    channels = [c for c in CHANNELS if c in (chosen or [])]
    if Channel.SMS in channels and not is_textable(user.phone):
        channels.remove(Channel.SMS)
    if not user.email and Channel.EMAIL in channels:
        channels.remove(Channel.EMAIL)
    return channels


def offsets_for(group, preference: Preference | None) -> list[int]:
    """A person's own offsets if they set some, else the group's; at most two weeks ahead."""
    if preference is not None and not preference.reminders_on:
        return []
    raw = preference.reminder_offsets if preference and preference.reminder_offsets else None
    if raw is None:
        raw = group.reminder_offsets if group.reminder_offsets is not None else [1440, 120]
    offsets = set()
    for value in raw:
        try:
            minutes = int(value)
        except (TypeError, ValueError):
            continue
        if 0 <= minutes <= MAX_OFFSET_MINUTES:
            offsets.add(minutes)
    return sorted(offsets, reverse=True)


def session_members(session):
    """Active members of the session's group with an open account, as people."""
    return members_in(session.group_id, statuses=ACTIVE_STATUSES).filter(is_active=True)


def is_excused(session, member_id: int) -> bool:
    """A facilitator marked this member excused for this session (asked off in advance)."""
    return Attendance.objects.filter(
        session=session, member_id=member_id, mark=Mark.EXCUSED
    ).exists()


def reminder_skip_reason(
    session, member_id: int, answers: dict | None = None, *, excused: bool | None = None
) -> str:
    """Why a member should get no reminder for this session now ('' if they should)."""
    if session.status != SessionStatus.SCHEDULED:
        return "the session is cancelled" if session.is_cancelled else "the session is over"
    if session.starts_at <= timezone.now():
        return "the session had already started"
    if answers is None:
        answers = {
            r.member_id: (r.answer, r.seat) for r in session.rsvps.filter(member_id=member_id)
        }
    answer, seat = answers.get(member_id, (None, None))
    if answer == Answer.NOT_GOING:
        return "they answered not going"
    if seat == Seat.WAITLISTED:
        return "they are on the waiting list"
    if excused if excused is not None else is_excused(session, member_id):
        return "they are excused from this session"
    return ""
