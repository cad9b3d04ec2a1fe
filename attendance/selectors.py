"""Reads for attendance. Each loads a fixed number of rows sets and computes in Python, so the
number of queries does not grow with the length of a group's history."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from attendance.models import ATTENDED_MARKS, AbsenceFollowUp, Attendance, AttendanceLetter, Mark
from attendance.permissions import shared_with
from core.dates import local_day_bounds, today_in
from core.timezones import zone
from groups.models import PARTICIPATED_STATUSES, EnrollmentStatus
from groups.permissions import groups_facilitated_by
from groups.selectors import stint_covers, stints, stints_active_on
from sessions.models import RSVP, Answer, Seat, Session, SessionStatus
from sessions.selectors import session_local_date

# --- dates -------------------------------------------------------------------------------------


def roll_is_open(session, now=None) -> bool:
    """Roll can be taken from the session's own day until ROLL_LATE_DAYS after it (the
    facilitator forgot, or added the session afterwards), never for a cancelled session."""
    if session.is_cancelled:
        return False
    today = today_in(session.group.time_zone, now)
    day = session_local_date(session)
    return day <= today <= day + datetime.timedelta(days=settings.ROLL_LATE_DAYS)


# --- streaks -----------------------------------------------------------------------------------


def absence_streak(marks: list) -> list:
    """Sessions of the trailing run of unexcused absences, oldest first.

    `marks` is [(session, mark or None)] oldest first. Excused absences and sessions without a
    mark (roll not taken) neither extend nor break a run; attending breaks it.
    """
    run = []
    for session, mark in reversed(marks):
        if mark == Mark.ABSENT:
            run.append(session)
        elif mark in ATTENDED_MARKS:
            break
    return list(reversed(run))


def attendance_streak(marks: list) -> int:
    """Sessions attended in a row up to now; excused and unmarked sessions are skipped."""
    count = 0
    for _session, mark in reversed(marks):
        if mark in ATTENDED_MARKS:
            count += 1
        elif mark == Mark.ABSENT:
            break
    return count


# --- summaries ---------------------------------------------------------------------------------


@dataclass
class MemberSummary:
    member: object
    status: str = ""
    held: int = 0
    attended: int = 0
    excused: int = 0
    absent: int = 0
    unmarked: int = 0
    current_streak: int = 0
    consecutive_unexcused: int = 0
    last_attended: datetime.datetime | None = None
    follow_up: AbsenceFollowUp | None = None
    history: list = field(default_factory=list)  # [(session, Attendance or None)], newest first

    @property
    def rate(self) -> int | None:
        """Percent of sessions attended, excused absences left out of the count."""
        expected = self.held - self.excused
        return round(100 * self.attended / expected) if expected > 0 else None


def _of_group(sessions, group) -> list:
    """The sessions, each holding the group already loaded (not one copy per session)."""
    sessions = list(sessions)
    for session in sessions:
        session.group = group
    return sessions


def _held_sessions(group, now) -> list:
    """Sessions that have started and were not cancelled, oldest first (one query)."""
    return _of_group(
        Session.objects.filter(group=group, starts_at__lte=now)
        .exclude(status=SessionStatus.CANCELLED)
        .order_by("starts_at", "pk"),
        group,
    )


@dataclass(frozen=True)
class MarkOnly:
    """A mark as the group overview needs it (a year of marks of a whole group is many
    rows: tuples, not model instances)."""

    mark: str


def summarise(member, sessions, member_stints, records: dict, dates: dict) -> MemberSummary:
    """Figures for one member from preloaded rows; `records` maps session id -> Attendance.

    A session counts for the member when a stint made them active that day, or when they have a
    mark for it (a paused stint's earlier history stays counted).
    """
    summary = MemberSummary(member=member)
    current = [s for s in member_stints if s.status != EnrollmentStatus.LEFT]
    summary.status = current[0].status if current else EnrollmentStatus.LEFT
    marks = []
    for session in sessions:
        record = records.get(session.pk)
        if record is None and not any(stint_covers(s, dates[session.pk]) for s in member_stints):
            continue
        marks.append((session, record.mark if record else None))
        summary.history.append((session, record))
        summary.held += 1
        if record is None:
            summary.unmarked += 1
        elif record.mark in ATTENDED_MARKS:
            summary.attended += 1
            summary.last_attended = session.starts_at
        elif record.mark == Mark.EXCUSED:
            summary.excused += 1
        else:
            summary.absent += 1
    summary.history.reverse()
    summary.current_streak = attendance_streak(marks)
    summary.consecutive_unexcused = len(absence_streak(marks))
    return summary


def _open_follow_ups(enrollment_filter: Q) -> dict:
    """Open (neither cleared nor acknowledged) follow-ups keyed by member id (one query)."""
    rows = AbsenceFollowUp.objects.filter(
        enrollment_filter, cleared_at__isnull=True, acknowledged_at__isnull=True
    ).select_related("enrollment")
    return {row.enrollment.member_id: row for row in rows}


def member_summary(group, member, now=None) -> MemberSummary:
    """One member's figures and history in one group: four queries whatever the history."""
    now = now or timezone.now()
    sessions = _held_sessions(group, now)  # query 1
    dates = {s.pk: session_local_date(s) for s in sessions}
    member_stints = list(
        stints(group=group, member=member, statuses=PARTICIPATED_STATUSES)
    )  # query 2
    records = {
        r.session_id: r
        for r in Attendance.objects.filter(member=member, session__group=group)  # query 3
    }
    summary = summarise(member, sessions, member_stints, records, dates)
    summary.follow_up = _open_follow_ups(Q(enrollment__group=group, enrollment__member=member)).get(
        member.pk
    )  # query 4
    return summary


@dataclass
class SessionRow:
    session: object
    local_date: datetime.date
    headcount: int = 0
    marked: int = 0
    roll_open: bool = False


@dataclass
class GroupOverview:
    sessions: list  # SessionRow, newest first
    members: list  # MemberSummary, follow-ups first
    follow_ups: list


def group_overview(group, now=None) -> GroupOverview:
    """Headcount per session and every member's figures: four queries whatever the history."""
    now = now or timezone.now()
    today = today_in(group.time_zone, now)
    _, end_of_today = local_day_bounds(group.time_zone, today, today)
    all_sessions = _of_group(
        Session.objects.filter(group=group, starts_at__lt=end_of_today)
        .exclude(status=SessionStatus.CANCELLED)
        .order_by("starts_at", "pk"),
        group,
    )  # query 1: sessions up to the end of the group's today
    held = [s for s in all_sessions if s.starts_at <= now]
    dates = {s.pk: session_local_date(s) for s in all_sessions}
    all_stints = list(
        stints(group=group, statuses=PARTICIPATED_STATUSES)
        .select_related("member")
        .order_by("member__display_name", "member_id", "joined_on")
    )  # query 2: every stint, members loaded
    records: dict[int, dict[int, MarkOnly]] = {}
    for member_id, session_id, mark in Attendance.objects.filter(
        session__in=[s.pk for s in all_sessions]
    ).values_list("member_id", "session_id", "mark"):  # query 3: every mark of those sessions
        records.setdefault(member_id, {})[session_id] = MarkOnly(mark)
    follow_ups = _open_follow_ups(Q(enrollment__group=group))  # query 4

    rows = {s.pk: SessionRow(s, dates[s.pk], roll_open=True) for s in all_sessions}
    for by_session in records.values():
        for session_id, record in by_session.items():
            rows[session_id].marked += 1
            rows[session_id].headcount += record.mark in ATTENDED_MARKS

    stints_by_member: dict[int, list] = {}
    for stint in all_stints:
        stints_by_member.setdefault(stint.member_id, []).append(stint)
    summaries = []
    for member_id, member_stints in stints_by_member.items():
        summary = summarise(
            member_stints[0].member, held, member_stints, records.get(member_id, {}), dates
        )
        summary.follow_up = follow_ups.get(member_id)
        summaries.append(summary)
    summaries.sort(key=lambda s: (s.follow_up is None, s.status == EnrollmentStatus.LEFT))
    return GroupOverview(
        sessions=[rows[s.pk] for s in reversed(all_sessions)],
        members=summaries,
        follow_ups=[s for s in summaries if s.follow_up is not None],
    )


# --- taking roll -------------------------------------------------------------------------------


@dataclass
class RollRow:
    enrollment: object
    member: object
    record: Attendance | None
    answer: str | None
    follow_up: AbsenceFollowUp | None

    @property
    def changes(self) -> list:
        return list(self.record.changes.all()) if self.record else []


def roll_for_session(session) -> list:
    """Members active on the session's date with their mark, RSVP and follow-up flag."""
    enrollments = stints_active_on(session.group, session_local_date(session))  # query 1
    records = {
        r.member_id: r
        for r in Attendance.objects.filter(session=session)  # query 2
        .select_related("marked_by")
        .prefetch_related("changes__changed_by")  # queries 3 and 4
    }
    answers = dict(
        RSVP.objects.filter(session=session).values_list("member_id", "answer")
    )  # query 5
    follow_ups = _open_follow_ups(Q(enrollment__in=[e.pk for e in enrollments]))  # query 6
    return [
        RollRow(
            enrollment=e,
            member=e.member,
            record=records.get(e.member_id),
            answer=answers.get(e.member_id),
            follow_up=follow_ups.get(e.member_id),
        )
        for e in enrollments
    ]


def going_member_ids(session) -> set[int]:
    """Members who said they're going and hold a seat (the waitlist did not get one)."""
    return set(
        RSVP.objects.filter(session=session, answer=Answer.GOING)
        .exclude(seat=Seat.WAITLISTED)
        .values_list("member_id", flat=True)
    )


# --- export and letters ------------------------------------------------------------------------


def export_rows(group, first: datetime.date, last: datetime.date, now=None) -> list[list]:
    """One row per held session in the range and member active that day (or marked)."""
    now = now or timezone.now()
    start, end = local_day_bounds(group.time_zone, first, last)
    sessions = list(
        Session.objects.filter(group=group, starts_at__gte=start, starts_at__lt=end)
        .filter(starts_at__lte=now)
        .exclude(status=SessionStatus.CANCELLED)
        .select_related("group")
        .order_by("starts_at", "pk")
    )
    group_stints = list(
        stints(group=group, statuses=PARTICIPATED_STATUSES)
        .select_related("member")
        .order_by("member__display_name", "member_id")
    )
    records = {
        (r.session_id, r.member_id): r
        for r in Attendance.objects.filter(session__in=[s.pk for s in sessions])
    }
    group_zone = zone(group.time_zone)
    rows = []
    for session in sessions:
        day = session_local_date(session)
        seen: set[int] = set()
        for stint in group_stints:
            record = records.get((session.pk, stint.member_id))
            if stint.member_id in seen or not (record or stint_covers(stint, day)):
                continue
            seen.add(stint.member_id)
            rows.append(
                [
                    day.isoformat(),
                    session.starts_at.astimezone(group_zone).strftime("%H:%M"),
                    int((session.ends_at - session.starts_at).total_seconds() // 60),
                    stint.member.display_name,
                    record.get_mark_display() if record else _("Not recorded"),
                    record.reason if record else "",
                ]
            )
    return rows


def attended_sessions(group, member, first: datetime.date, last: datetime.date) -> list:
    """Sessions the member attended in the group's local days first..last, oldest first."""
    start, end = local_day_bounds(group.time_zone, first, last)
    return [
        r.session
        for r in Attendance.objects.filter(
            member=member,
            session__group=group,
            session__starts_at__gte=start,
            session__starts_at__lt=end,
            mark__in=ATTENDED_MARKS,
        )
        .exclude(session__status=SessionStatus.CANCELLED)
        .select_related("session__group")
        .order_by("session__starts_at", "session_id")
    ]


# --- index and home panel ----------------------------------------------------------------------


def attendance_index(user) -> dict:
    """What the attendance page lists for this person."""
    facilitated = list(groups_facilitated_by(user).active()) if not user.is_member else []
    own = list(
        stints(member=user, statuses=PARTICIPATED_STATUSES)
        .select_related("group")
        .order_by("group__name", "-joined_on")
    )
    seen: set[int] = set()
    own_groups = []
    for enrollment in own:
        if enrollment.group_id not in seen:
            seen.add(enrollment.group_id)
            own_groups.append(enrollment.group)
    return {"facilitated": facilitated, "own_groups": own_groups, "shared": list(shared_with(user))}


def open_follow_ups_for(user) -> list:
    """Members flagged for follow-up in the groups this person runs (one query, or none)."""
    if not user.is_authenticated or user.is_member:
        return []
    return list(
        AbsenceFollowUp.objects.filter(
            enrollment__group__in=groups_facilitated_by(user),
            cleared_at__isnull=True,
            acknowledged_at__isnull=True,
        ).select_related("enrollment__member", "enrollment__group")[:20]
    )


# --- a member's own data (privacy) ---------------------------------------------------------------


def export_member(member_id: int) -> dict:
    """One person's marks (with their history) and letters: their own rows only."""
    records = (
        Attendance.objects.filter(member_id=member_id)
        .select_related("session__group")
        .prefetch_related("changes")
        .order_by("session__starts_at", "pk")
    )
    letters = AttendanceLetter.objects.filter(member_id=member_id).select_related("group")
    return {
        "attendance": [
            {
                "group": record.session.group.name,
                "session_starts_at": record.session.starts_at,
                "mark": record.mark,
                "reason": record.reason,
                "marked_at": record.marked_at,
                "changes": [
                    {
                        "changed_at": change.changed_at,
                        "old_mark": change.old_mark,
                        "new_mark": change.new_mark,
                        "old_reason": change.old_reason,
                        "new_reason": change.new_reason,
                    }
                    for change in record.changes.all()
                ],
            }
            for record in records
        ],
        "letters": [
            {
                "code": letter.code,
                "group": letter.group.name,
                "name_on_letter": letter.name_on_letter,
                "date_from": letter.date_from,
                "date_to": letter.date_to,
                "sessions_attended": letter.sessions_attended,
                "total_minutes": letter.total_minutes,
                "issued_at": letter.issued_at,
            }
            for letter in letters.order_by("issued_at", "pk")
        ],
    }
