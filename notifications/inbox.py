"""The in-app list, rendered when it is shown: in the reader's language and time zone now,
with the names they give their groups now (a label set after delivery replaces the group's
real name on old items too).

A page is rendered from its outbox rows with `InboxLookups`, which reads each fact the
in-app texts need (answers, excusals, other meetings at the same time, own labels, answer
counts) once for the whole page, so a page costs the same queries for 1 item or 20.
An item whose subject is gone or no longer visible to the reader shows the text stored when
it was delivered: that says nothing they were not told then.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q, prefetch_related_objects
from django.utils import translation

from attendance.models import Attendance, Mark
from groups.labels import names_for
from groups.models import ACTIVE_STATUSES
from groups.selectors import group_ids_of, stints
from notifications.lookups import moved_from_span, series_session_ids
from notifications.models import Kind
from notifications.rendering import RowLookups, render_in_app
from notifications.selectors import inbox_link
from sessions.models import RSVP, Session, SessionStatus
from sessions.permissions import sessions_visible_to
from sessions.selectors import answer_counts

logger = logging.getLogger(__name__)

ASKING = (Kind.REMINDER, Kind.SESSION_SCHEDULED, Kind.SESSION_MOVED)
NAMING = (*ASKING, Kind.SESSION_CANCELLED, Kind.SERIES_CHANGED)


@dataclass
class InboxItem:
    row: object
    title: str
    body: str
    link: str


class InboxLookups(RowLookups):
    """The facts for one page of one reader's rows, each read once (a fixed few queries)."""

    def __init__(self, viewer, rows):
        self.viewer = viewer
        self._outstanding = None
        series = [row for row in rows if row.kind == Kind.SERIES_CHANGED]
        series_ids = {pk for row in series for pk in series_session_ids(row)}
        self._series = (
            Session.objects.select_related("group").in_bulk(series_ids) if series_ids else {}
        )
        own = {row.session_id: row.session for row in rows if row.session_id}
        self.visible = (
            set(sessions_visible_to(viewer).filter(pk__in=own).values_list("pk", flat=True))
            if own
            else set()
        )
        asked = [row.session_id for row in rows if row.session_id and row.kind in ASKING]
        self._answers = (
            dict(
                RSVP.objects.filter(member=viewer, session_id__in=asked).values_list(
                    "session_id", "answer"
                )
            )
            if asked
            else {}
        )
        self._excused = (
            set(
                Attendance.objects.filter(
                    member=viewer, session_id__in=asked, mark=Mark.EXCUSED
                ).values_list("session_id", flat=True)
            )
            if asked
            else set()
        )
        groups = {s.group_id: s.group for s in [*own.values(), *self._series.values()]}
        self._names = names_for(viewer, groups.values()) if groups else {}
        self._meetings = self._read_meetings(rows)
        self._counts = self._read_counts(rows)

    def _read_meetings(self, rows) -> list[tuple]:
        """(group id, start, end) of the reader's scheduled meetings around the page's
        sessions, for the "which meeting" check (RowLookups.clashes), in one query."""
        spans = []
        for row in rows:
            if row.kind not in NAMING or row.session is None:
                continue
            spans.append((row.session.starts_at, row.session.ends_at))
            if (old := moved_from_span(row)) is not None:
                spans.append(old)
            for pk in series_session_ids(row):
                if (session := self._series.get(pk)) is not None:
                    spans.append((session.starts_at, session.ends_at))
        if not spans:
            return []
        start, end = min(s for s, _e in spans), max(e for _s, e in spans)
        return list(
            Session.objects.filter(
                status=SessionStatus.SCHEDULED, starts_at__lt=end, ends_at__gt=start
            )
            .filter(
                Q(group__in=group_ids_of(self.viewer, statuses=ACTIVE_STATUSES))
                | Q(group__facilitators=self.viewer)
            )
            .values_list("group_id", "starts_at", "ends_at")
            .order_by()
            .distinct()
        )

    def _read_counts(self, rows) -> dict[int, dict]:
        """Who is coming, for the page's digests: their RSVPs and their groups' active
        members, in two queries (as session_answer_counts counts them)."""
        sessions = {
            row.session_id: row.session
            for row in rows
            if row.kind == Kind.FACILITATOR_DIGEST and row.session_id
        }
        if not sessions:
            return {}
        rsvps = defaultdict(list)
        for rsvp in RSVP.objects.filter(session_id__in=sessions).only(
            "session_id", "member_id", "answer", "seat"
        ):
            rsvps[rsvp.session_id].append(rsvp)
        members = defaultdict(list)
        group_ids = {s.group_id for s in sessions.values()}
        for group_id, member_id in (
            stints(groups=group_ids, statuses=ACTIVE_STATUSES)
            .filter(member__is_active=True)
            .values_list("group_id", "member_id")
        ):
            members[group_id].append(member_id)
        return {pk: answer_counts(rsvps[pk], members[s.group_id]) for pk, s in sessions.items()}

    def answer(self, person, session) -> str:
        return self._answers.get(session.pk, "")

    def excused(self, person, session) -> bool:
        return session.pk in self._excused

    def clashes(self, person, session, spans) -> bool:
        return any(
            group_id != session.group_id and starts < end and ends > start
            for group_id, starts, ends in self._meetings
            for start, end in spans
        )

    def name(self, person, group) -> str:
        return self._names.get(group.pk) or super().name(person, group)

    def sessions(self, ids) -> dict:
        return {pk: self._series[pk] for pk in ids if pk in self._series}

    def counts(self, session) -> dict:
        return self._counts.get(session.pk) or super().counts(session)

    def outstanding(self, person) -> int:
        if self._outstanding is None:  # the same for every digest on the page
            self._outstanding = super().outstanding(person)
        return self._outstanding


def _prefetch_subjects(rows) -> None:
    """What alerts and follow-ups name (the member, the group), for the whole page."""
    abouts = defaultdict(list)
    for row in rows:
        if row.content_type_id and row.about is not None:
            abouts[row.about._meta.label_lower].append(row.about)
    if abouts.get("measures.alert"):
        prefetch_related_objects(abouts["measures.alert"], "member")
    if abouts.get("groups.enrollment"):  # an absence follow-up is about a stint
        prefetch_related_objects(abouts["groups.enrollment"], "member", "group")


def _shows_stored_text(row, lookups: InboxLookups) -> bool:
    """Its subject is gone (a removed reading, alert, offer) or no longer the reader's to
    see (they left the group): keep to what they were told then."""
    if row.session_id and row.session_id not in lookups.visible:
        return True
    return bool(row.content_type_id) and row.about is None


def inbox_items(viewer, rows) -> list[InboxItem]:
    """One page of the reader's in-app rows (fetched with `session__group` and `about`),
    as they read them now."""
    rows = list(rows)
    for row in rows:
        row.recipient = viewer  # the reader's own rows: their current language and zone
    _prefetch_subjects(rows)
    lookups = InboxLookups(viewer, rows)
    language = translation.get_language() or viewer.language
    items = []
    for row in rows:
        title, body = row.title, row.body
        if not _shows_stored_text(row, lookups):
            try:
                rendered = render_in_app(row, language=language, lookups=lookups)
                title, body = rendered.subject or title, rendered.text
            except Exception:  # an odd old row must not take the whole list down
                logger.exception("In-app notification %s shown as stored", row.pk)
        items.append(InboxItem(row=row, title=title, body=body, link=inbox_link(row)))
    return items
