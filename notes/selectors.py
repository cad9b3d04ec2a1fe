"""Reads for notes, with query counts pinned in tests/notes/test_queries.py.

Note text is ciphertext in the database, so search filters in Python over a bounded set.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import CharField, DateTimeField, OuterRef, Prefetch, Q, Subquery, Value
from django.utils import timezone

from attendance.models import ATTENDED_MARKS, Attendance, Mark
from core.dates import local_date, today_in
from groups.permissions import facilitated_group_ids, groups_facilitated_by
from groups.selectors import stints, stints_active_on
from members.models import User
from members.permissions import intakes_visible_to
from notes.models import Addendum, Note, NoteKind, NoteTemplate, TemplateUse
from notes.permissions import cosignable, notes_writable_by, open_notes_on
from sessions.models import Session, SessionStatus
from sessions.selectors import session_local_date

# The home list looks this far back for unsigned or missing notes.
TODO_DAYS = 30
SEARCH_SCAN_MAX = 2000
SEARCH_RESULTS_MAX = 50
SNIPPET = 80


def with_addenda(notes):
    return notes.prefetch_related(
        Prefetch("addenda", queryset=Addendum.objects.select_related("signed_by"))
    )


def progress_templates() -> list[NoteTemplate]:
    return list(NoteTemplate.objects.filter(use=TemplateUse.PROGRESS, is_active=True))


# --- one session ---------------------------------------------------------------------------


@dataclass
class MemberRow:
    member: User
    mark: str  # "" when not marked
    note: Note | None

    @property
    def attended(self) -> bool:
        return self.mark in ATTENDED_MARKS


@dataclass
class SessionNotes:
    session: Session
    group_note: Note | None
    attended: list[MemberRow]
    others: list[MemberRow]  # absent, excused or unmarked: a missed-session note on request


def session_notes(session) -> SessionNotes:
    """The group note and one row per member on the session's roll (4 queries)."""
    day = session_local_date(session)
    members = [stint.member for stint in stints_active_on(session.group, day)]
    marks = dict(Attendance.objects.filter(session=session).values_list("member_id", "mark"))
    notes = list(Note.objects.filter(session=session).select_related("signed_by"))
    group_note = next((n for n in notes if n.kind == NoteKind.GROUP), None)
    by_member = {n.member_id: n for n in notes if n.member_id}
    # Someone marked (or written about) but no longer on the roll still shows.
    known = {m.pk for m in members}
    extra = (set(marks) | set(by_member)) - known
    if extra:
        members += list(User.objects.filter(pk__in=extra).order_by("display_name", "pk"))
    rows = [MemberRow(m, marks.get(m.pk, ""), by_member.get(m.pk)) for m in members]
    return SessionNotes(
        session=session,
        group_note=group_note,
        attended=[r for r in rows if r.attended],
        others=[r for r in rows if not r.attended],
    )


# --- what is left to do --------------------------------------------------------------------


@dataclass
class SessionTodo:
    session: Session
    group_note: str  # "missing" | "draft" | "done"
    missing: int = 0  # attended members with no progress note
    drafts: int = 0  # progress or missed notes not signed yet

    @property
    def outstanding(self) -> int:
        return (self.group_note != "done") + self.missing + self.drafts


# Marks an attendance row among note rows (no note kind is spelt like this).
ATTENDED = "(attended)"


def todo_for(user, now=None, days: int = TODO_DAYS) -> list[SessionTodo]:
    """Held sessions of the groups `user` is named facilitator of, in the last `days`, whose
    group note or progress notes are missing or unsigned; most recent first. 2 queries."""
    now = now or timezone.now()
    if not user.is_authenticated:
        return []
    sessions = list(
        Session.objects.filter(
            group__in=facilitated_group_ids(user),
            ends_at__lte=now,
            ends_at__gte=now - datetime.timedelta(days=days),
        )
        .exclude(status=SessionStatus.CANCELLED)
        .select_related("group")
        .order_by("-starts_at", "-pk")
    )
    if not sessions:
        return []
    ids = [s.pk for s in sessions]
    # Who attended and what notes exist, in one query (a home-page panel: every query counts).
    attendance_rows = (
        Attendance.objects.filter(session_id__in=ids, mark__in=ATTENDED_MARKS)
        .annotate(row_kind=Value(ATTENDED, CharField()), row_signed=Value(None, DateTimeField()))
        .values_list("session_id", "member_id", "row_kind", "row_signed")
        .order_by()
    )
    note_rows = (
        Note.objects.filter(session_id__in=ids)
        .values_list("session_id", "member_id", "kind", "signed_at")
        .order_by()
    )
    attended: dict[int, set[int]] = {}
    notes: dict[int, list] = {}
    for row in attendance_rows.union(note_rows, all=True):
        if row[2] == ATTENDED:
            attended.setdefault(row[0], set()).add(row[1])
        else:
            notes.setdefault(row[0], []).append(row)
    todos = []
    for session in sessions:
        rows = notes.get(session.pk, [])
        group_rows = [r for r in rows if r[2] == NoteKind.GROUP]
        group_state = "missing" if not group_rows else "done" if group_rows[0][3] else "draft"
        written = {r[1] for r in rows if r[1] is not None}
        todo = SessionTodo(
            session=session,
            group_note=group_state,
            missing=len(attended.get(session.pk, set()) - written),
            drafts=sum(1 for r in rows if r[1] is not None and r[3] is None),
        )
        if todo.outstanding:
            todos.append(todo)
    return todos


def digest_todos(user, now=None) -> list[SessionTodo]:
    """What the next day's digest counts: the home list's sessions that ended before today on
    their group's calendar (tonight's group is not late yet). Same 3 queries."""
    now = now or timezone.now()
    return [
        todo
        for todo in todo_for(user, now)
        if local_date(todo.session.ends_at, todo.session.group.time_zone)
        < today_in(todo.session.group.time_zone, now)
    ]


def outstanding_count(user, now=None) -> int:
    """Notes still to start or sign for the digest: each missing or unsigned note is one."""
    return sum(todo.outstanding for todo in digest_todos(user, now))


def digest_candidates(now=None):
    """Active named facilitators of groups with a session held in the last TODO_DAYS (1 query);
    digest_todos decides which of them have something left."""
    now = now or timezone.now()
    held = (
        Session.objects.filter(
            ends_at__lte=now, ends_at__gte=now - datetime.timedelta(days=TODO_DAYS)
        )
        .exclude(status=SessionStatus.CANCELLED)
        .values("group_id")
    )
    facilitators = User.objects.filter(is_active=True, facilitated_groups__in=held)
    return facilitators.distinct().order_by("pk")


def awaiting_my_cosign(user) -> list[Note]:
    """Signed notes by supervised facilitators that `user` may co-sign (1 query; 2 more
    when there are any)."""
    if not user.is_authenticated:
        return []
    candidates = list(
        notes_writable_by(user)
        .filter(cosign_required=True, cosigned_at__isnull=True, signed_at__isnull=False)
        .exclude(signed_by=user)
        .select_related("session__group", "member", "signed_by")
        .order_by("signed_at", "pk")[:50]
    )
    # A note whose signer has a named supervisor waits for that supervisor only.
    return cosignable(user, candidates)


# --- a member's record ---------------------------------------------------------------------


def member_notes(member, group_ids, *, signed_only: bool = False) -> list[Note]:
    notes = Note.objects.filter(member=member, session__group_id__in=group_ids)
    if signed_only:
        notes = notes.filter(signed_at__isnull=False)
    return list(
        with_addenda(
            notes.select_related("session__group", "member", "template", "signed_by", "cosigned_by")
        ).order_by("session__starts_at", "pk")
    )


def own_notes(member) -> list[Note]:
    """Open notes: the member's own signed progress notes."""
    if not open_notes_on():
        return []
    return list(
        with_addenda(
            Note.objects.filter(
                member=member,
                kind__in=(NoteKind.PROGRESS, NoteKind.MISSED),
                signed_at__isnull=False,
            ).select_related("session__group", "signed_by")
        ).order_by("-session__starts_at", "-pk")
    )


@dataclass
class TimelineEntry:
    at: datetime.datetime
    kind: str  # "session" | "intake"
    session: Session | None = None
    mark: str = ""
    note: Note | None = None
    group_note: Note | None = None
    intake: object = None

    @property
    def mark_label(self) -> str:
        return Mark(self.mark).label.lower() if self.mark in Mark.values else ""


@dataclass
class Timeline:
    member: User
    entries: list[TimelineEntry] = field(default_factory=list)


def timeline(viewer, member, group_ids, now=None) -> Timeline:
    """The member's sessions in the viewer's groups (from their first stint), with
    attendance, notes (addenda loaded) and the intakes the viewer may read. 5 queries."""
    now = now or timezone.now()
    first = (
        stints(groups=group_ids, member=member)
        .exclude(joined_on__isnull=True)
        .order_by("joined_on")
        .values_list("joined_on", flat=True)
        .first()
    )
    sessions = Session.objects.filter(group_id__in=group_ids, starts_at__lte=now)
    if first is not None:
        sessions = sessions.filter(
            starts_at__gte=datetime.datetime.combine(first, datetime.time.min, tzinfo=datetime.UTC)
            - datetime.timedelta(days=1)
        )
    # The member's mark on each session comes with it (one row per session and member).
    their_mark = Attendance.objects.filter(session=OuterRef("pk"), member=member).values("mark")
    sessions_list = list(
        sessions.select_related("group")
        .annotate(their_mark=Subquery(their_mark[:1]))
        .order_by("-starts_at", "-pk")
    )
    ids = [s.pk for s in sessions_list]
    marks = {s.pk: s.their_mark for s in sessions_list if s.their_mark is not None}
    notes = with_addenda(
        Note.objects.filter(Q(kind=NoteKind.GROUP) | Q(member=member), session_id__in=ids)
    ).select_related("signed_by")
    mine: dict[int, Note] = {}
    groups: dict[int, Note] = {}
    for note in notes:
        (groups if note.kind == NoteKind.GROUP else mine)[note.session_id] = note
    entries = [
        TimelineEntry(
            at=s.starts_at,
            kind="session",
            session=s,
            mark=marks.get(s.pk, ""),
            note=mine.get(s.pk),
            group_note=groups.get(s.pk),
        )
        for s in sessions_list
        if s.pk in marks or s.pk in mine
    ]
    intakes = intakes_visible_to(viewer).filter(member=member).select_related("group")
    for intake in intakes.order_by("-created_at"):
        entries.append(TimelineEntry(at=intake.created_at, kind="intake", intake=intake))
    entries.sort(key=lambda e: e.at, reverse=True)
    return Timeline(member=member, entries=entries)


# --- a group's notes -----------------------------------------------------------------------


def group_notes_between(group, first: datetime.date, last: datetime.date) -> list[Note]:
    """Every note of the group's sessions whose local date is in [first, last]."""
    start = datetime.datetime.combine(first, datetime.time.min, tzinfo=datetime.UTC)
    end = datetime.datetime.combine(last, datetime.time.max, tzinfo=datetime.UTC)
    candidates = with_addenda(
        Note.objects.filter(
            session__group=group,
            session__starts_at__gte=start - datetime.timedelta(days=1),
            session__starts_at__lte=end + datetime.timedelta(days=1),
        ).select_related("session__group", "member", "template", "signed_by", "cosigned_by")
    ).order_by("session__starts_at", "kind", "member__display_name", "pk")
    return [n for n in candidates if first <= session_local_date(n.session) <= last]


# --- search --------------------------------------------------------------------------------


@dataclass
class SearchHit:
    note: Note
    label: str
    snippet: str


def _snippet(text: str, at: int, length: int) -> str:
    start = max(0, at - SNIPPET // 2)
    end = min(len(text), at + length + SNIPPET // 2)
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


def search(user, query: str) -> list[SearchHit]:
    """Notes of the groups `user` runs containing `query` (case-insensitive), newest first.
    Decrypts at most SEARCH_SCAN_MAX recent notes: the text cannot be searched in SQL."""
    query = (query or "").strip().casefold()
    if not query:
        return []
    notes = (
        Note.objects.filter(session__group__in=groups_facilitated_by(user))
        .select_related("session__group", "member")
        .order_by("-session__starts_at", "-pk")[:SEARCH_SCAN_MAX]
    )
    hits = []
    for note in notes:
        for _key, label, text in note.labelled():
            at = text.casefold().find(query)
            if at >= 0:
                hits.append(SearchHit(note, label, _snippet(text, at, len(query))))
                break
        if len(hits) >= SEARCH_RESULTS_MAX:
            break
    return hits


# --- the member's data export (called by privacy/) -----------------------------------------


def export_member(member_id: int) -> dict:
    """A person's own progress notes (signed, with addenda) when open notes are on; otherwise
    none: notes are the clinic's record until the clinic opens them."""
    if not open_notes_on():
        return {"progress_notes": []}
    notes = with_addenda(
        Note.objects.filter(
            member_id=member_id,
            kind__in=(NoteKind.PROGRESS, NoteKind.MISSED),
            signed_at__isnull=False,
        ).select_related("session__group", "template")
    ).order_by("session__starts_at", "pk")
    return {
        "progress_notes": [
            {
                "group": note.session.group.name,
                "session_starts_at": note.session.starts_at,
                "kind": note.kind,
                "format": note.template.display_name if note.template_id else "",
                "sections": {label: text for _key, label, text in note.labelled()},
                "signed_at": note.signed_at,
                "addenda": [{"text": a.text, "signed_at": a.signed_at} for a in note.addenda.all()],
            }
            for note in notes
        ]
    }
