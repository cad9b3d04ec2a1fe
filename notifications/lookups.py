"""What a batch of outbox rows needs to know beyond the rows, read once for the batch.

A delivery asks, for every row, whether it should still go (the person's preferences and
membership, their answer, an excusal, a nearer reminder, a notice it folds into) and
what it says (the same answer and excusal, other meetings at that hour, their own names
for the group, the calendar file). Asked row by row that was a dozen queries a message;
`BatchLookups` reads each fact once for a whole batch, so a batch of 50 reminders costs
the same few queries as one. Rendering asks the same questions of `RowLookups` row by
row elsewhere (the in-app list has its own batch, notifications.inbox).
"""

import datetime
from collections import defaultdict

from django.utils import timezone

from attendance.models import Attendance, Mark
from groups.models import ACTIVE_STATUSES, Group, GroupLabel
from groups.selectors import stints
from notifications.audience import NOTICES_THAT_REMIND, merge_window, preferences_for
from notifications.models import Kind, Notification, Status
from notifications.rendering import RowLookups
from notifications.shared import Parts
from sessions.models import RSVP, Session, SessionStatus

LIVE = [Status.PENDING, Status.SENDING, Status.SENT]


def series_session_ids(row) -> list[int]:
    """The sessions a series notice lists (moved, then cancelled)."""
    details = row.details or {}
    return [e[0] for e in details.get("moved", [])] + [e[0] for e in details.get("cancelled", [])]


def moved_from_span(row):
    """The old time of a moved session, as the span moved_context checks for clashes."""
    moved_from = (row.details or {}).get("from")
    if not moved_from or row.session is None:
        return None
    try:
        old = datetime.datetime.fromisoformat(moved_from).astimezone(datetime.UTC)
    except (TypeError, ValueError):
        return None
    return old, old + (row.session.ends_at - row.session.starts_at)


def reminder_prefix(session) -> str:
    # Reminder keys are "reminder:<session>:<start timestamp>:<member>:<channel>:<offset>".
    return f"reminder:{session.pk}:{int(session.starts_at.timestamp())}:"


def _own(row) -> tuple:
    return (row.session_id, row.recipient_id, row.channel)


class BatchLookups(RowLookups):
    """The facts for a batch of rows (with `recipient` and `session__group` loaded), for
    many recipients at once: a fixed few queries whatever the batch holds."""

    def __init__(self, rows, *, now=None):
        self.now = now or timezone.now()
        rows = [row for row in rows if row.recipient_id is not None]
        people = {row.recipient_id: row.recipient for row in rows}
        sessions = {row.session_id: row.session for row in rows if row.session_id}
        self._preferences = preferences_for(people.values()) if people else {}
        self._ics: dict[tuple, bytes] = {}
        self._parts: dict[tuple, Parts | None] = {}
        self._active: set[tuple[int, int]] = set()
        self._answers: dict[tuple[int, int], tuple] = {}
        self._excused: set[tuple[int, int]] = set()
        # Both by (session, person, channel): a row looks only at its own.
        self._reminders: dict[tuple, list[tuple]] = defaultdict(list)
        self._notices: dict[tuple, list[tuple]] = defaultdict(list)
        self._meetings: dict[int, list[tuple]] = {}
        self._labels: dict[int, dict[int, str]] = defaultdict(dict)
        self._series: dict[int, Session] = {}
        if not sessions:
            return
        group_ids = {s.group_id for s in sessions.values()}
        # Every active stint of these people: membership now, and where they meet (clashes).
        groups_of: dict[int, set[int]] = defaultdict(set)
        for group_id, member_id in stints(members=people, statuses=ACTIVE_STATUSES).values_list(
            "group_id", "member_id"
        ):
            groups_of[member_id].add(group_id)
        self._active = {(g, m) for m, groups in groups_of.items() for g in groups}
        for group_id, person_id in Group.objects.filter(facilitators__in=people).values_list(
            "pk", "facilitators"
        ):
            groups_of[person_id].add(group_id)
        self._answers = {
            (session_id, member_id): (answer, seat)
            for session_id, member_id, answer, seat in RSVP.objects.filter(
                session_id__in=sessions, member_id__in=people
            ).values_list("session_id", "member_id", "answer", "seat")
        }
        self._excused = set(
            Attendance.objects.filter(
                session_id__in=sessions, member_id__in=people, mark=Mark.EXCUSED
            ).values_list("session_id", "member_id")
        )
        reminders = [row for row in rows if row.kind == Kind.REMINDER and row.session_id]
        for reminder in self._read_reminders(reminders):
            self._reminders[reminder[1:4]].append(reminder)
        for notice in self._read_notices(reminders):
            self._notices[notice[:3]].append(notice)
        series_ids = {pk for row in rows for pk in series_session_ids(row)}
        self._series = (
            Session.objects.select_related("group").in_bulk(series_ids) if series_ids else {}
        )
        self._meetings = self._read_meetings(rows, groups_of)
        for member_id, group_id, label in GroupLabel.objects.filter(
            member_id__in=people, group_id__in=group_ids
        ).values_list("member_id", "group_id", "label"):
            self._labels[member_id][group_id] = label

    def _read_reminders(self, reminders) -> list[tuple]:
        """The reminders of the batch's sessions to its people that are due (any batch),
        for "a nearer reminder was due"."""
        if not reminders:
            return []
        return list(
            Notification.objects.filter(
                kind=Kind.REMINDER,
                session_id__in={row.session_id for row in reminders},
                recipient_id__in={row.recipient_id for row in reminders},
                due_at__lte=self.now,
                status__in=LIVE,
            ).values_list("pk", "session_id", "recipient_id", "channel", "offset_minutes", "key")
        )

    def _read_notices(self, reminders) -> list[tuple]:
        """Notices that remind by themselves, around the batch's reminders."""
        if not reminders:
            return []
        window = merge_window()
        return list(
            Notification.objects.filter(
                kind__in=NOTICES_THAT_REMIND,
                session_id__in={row.session_id for row in reminders},
                recipient_id__in={row.recipient_id for row in reminders},
                status__in=LIVE,
                due_at__gte=min(row.due_at for row in reminders) - window,
                due_at__lte=max(row.due_at for row in reminders) + window,
            ).values_list("session_id", "recipient_id", "channel", "due_at", "details")
        )

    def _read_meetings(self, rows, groups_of) -> dict[int, list[tuple]]:
        """{person: [(group, start, end)]} of their scheduled meetings around every time the
        batch's messages speak of (a session, its old time, a series notice's sessions), in
        one query (for `clashes`)."""
        spans = [(row.session.starts_at, row.session.ends_at) for row in rows if row.session_id]
        spans += [span for row in rows if (span := moved_from_span(row)) is not None]
        spans += [(s.starts_at, s.ends_at) for s in self._series.values()]
        all_groups = {g for groups in groups_of.values() for g in groups}
        if not spans or not all_groups:
            return {}
        start, end = min(s for s, _e in spans), max(e for _s, e in spans)
        by_group = defaultdict(list)
        for group_id, starts, ends in Session.objects.filter(
            group_id__in=all_groups,
            status=SessionStatus.SCHEDULED,
            starts_at__lt=end,
            ends_at__gt=start,
        ).values_list("group_id", "starts_at", "ends_at"):
            by_group[group_id].append((group_id, starts, ends))
        return {
            person: [m for g in groups for m in by_group.get(g, [])]
            for person, groups in groups_of.items()
        }

    # --- whether it goes -------------------------------------------------------------

    def preference(self, person):
        return self._preferences.get(person.pk)

    def active_in(self, person, group_id: int) -> bool:
        return (group_id, person.pk) in self._active

    def answer_and_seat(self, person, session) -> tuple:
        return self._answers.get((session.pk, person.pk), (None, None))

    def nearer_reminder_due(self, row) -> bool:
        prefix = reminder_prefix(row.session)
        return any(
            (offset or 0) < (row.offset_minutes or 0) and key.startswith(prefix)
            for _pk, _session, _person, _channel, offset, key in self._reminders[_own(row)]
        )

    def settled(self, row, outcome: str) -> None:
        """A row of the batch was skipped or failed: it no longer counts as a nearer
        reminder (as if the rows had been delivered one by one, nearest first)."""
        if outcome in ("skipped", "failed"):
            own = self._reminders[_own(row)]
            own[:] = [r for r in own if r[0] != row.pk]

    def folded_into_notice(self, row) -> bool:
        stamp = int(row.session.starts_at.timestamp())
        window = merge_window()
        return any(
            row.due_at - window <= due_at <= row.due_at + window
            and (details or {}).get("stamp") == stamp
            for _session, _person, _channel, due_at, details in self._notices[_own(row)]
        )

    # --- what it says ----------------------------------------------------------------

    def answer(self, person, session) -> str:
        return self.answer_and_seat(person, session)[0] or ""

    def excused(self, person, session) -> bool:
        return (session.pk, person.pk) in self._excused

    def clashes(self, person, session, spans) -> bool:
        return any(
            group_id != session.group_id and starts < end and ends > start
            for group_id, starts, ends in self._meetings.get(person.pk, [])
            for start, end in spans
        )

    def name(self, person, group) -> str:
        return self._labels.get(person.pk, {}).get(group.pk) or group.name

    def sessions(self, ids) -> dict:
        return {pk: self._series[pk] for pk in ids if pk in self._series}

    def labels(self, person, groups) -> dict[int, str]:
        own = self._labels.get(person.pk, {})
        return {group.pk: own[group.pk] for group in groups if group.pk in own}

    def calendar_file(self, key: tuple, build) -> bytes:
        """One calendar file per session, title and language in the batch (many members
        get the same one)."""
        if key not in self._ics:
            self._ics[key] = build()
        return self._ics[key]

    def email_parts(self, key: tuple, build) -> Parts | None:
        """One rendering per message the batch sends alike (notifications.shared)."""
        if key not in self._parts:
            self._parts[key] = build()
        return self._parts[key]
