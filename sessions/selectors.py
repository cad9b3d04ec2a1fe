"""Reads for the session pages, the calendar feed and the home panel.

Each page runs a fixed number of queries however many sessions or answers there are.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import (
    Count,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.dates import local_date
from groups.labels import labels_of, labels_of_ids, own_label
from groups.models import ACTIVE_STATUSES, GroupFormat
from groups.permissions import groups_facilitated_by, groups_visible_to
from groups.selectors import group_ids_of, members_in
from sessions.calendar import FEED_ENTRY_FIELDS, feed_entry, feed_etag
from sessions.models import (
    MAX_SESSION_LENGTH,
    RSVP,
    CalendarFeed,
    Seat,
    Session,
    SessionStatus,
)
from sessions.permissions import answerable_group_ids, can_facilitate_session
from sessions.recurrence import horizon, rule_in_words

# The person's own RSVP, read in the sessions query itself (a join on the one-per-member
# constraint) rather than by a second query: its fields, as `my_rsvp_<field>`.
MY_RSVP_FIELDS = ("id", "answer", "seat", "waitlisted_at", "note", "couple_id", "answered_at")


def with_my_answer(queryset, user):
    """Sessions with `confirmed_seats`, the person's RSVP (`my_rsvp_*`, and `my_position` on
    the waitlist) and `own_label` (the name the person gave the group, or None: groups.labels).
    `my_rsvp(session, user)` turns them into an RSVP."""
    confirmed = (
        RSVP.objects.filter(session=OuterRef("pk"), seat=Seat.CONFIRMED)
        .order_by()
        .values("session")
        .annotate(n=Count("pk"))
        .values("n")
    )
    ahead = (
        RSVP.objects.filter(
            session=OuterRef("pk"),
            seat=Seat.WAITLISTED,
            waitlisted_at__lt=OuterRef("my_rsvp_waitlisted_at"),
        )
        .order_by()
        .values("session")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        queryset.select_related("group")
        .alias(my_rsvp=FilteredRelation("rsvps", condition=Q(rsvps__member=user)))
        .annotate(
            confirmed_seats=Coalesce(Subquery(confirmed, output_field=IntegerField()), Value(0)),
            own_label=own_label(user, "group_id"),
            **{f"my_rsvp_{name}": F(f"my_rsvp__{name}") for name in MY_RSVP_FIELDS},
        )
        .annotate(my_position=Coalesce(Subquery(ahead, output_field=IntegerField()), Value(0)) + 1)
    )


def my_rsvp(session, user) -> RSVP | None:
    """The person's RSVP from a session read by with_my_answer, with `position`."""
    if session.my_rsvp_id is None:
        return None
    rsvp = RSVP(
        session=session,
        member=user,
        **{name: getattr(session, f"my_rsvp_{name}") for name in MY_RSVP_FIELDS},
    )
    rsvp.position = session.my_position  # type: ignore[attr-defined]
    rsvp._state.adding = False
    rsvp._state.db = session._state.db
    return rsvp


def session_local_date(session) -> datetime.date:
    """The session's date on the group's own calendar."""
    return local_date(session.starts_at, session.group.time_zone)


@dataclass(frozen=True)
class SessionCard:
    """One session as a person sees it: their own answer and what they may do with it."""

    session: Session
    mine: RSVP | None  # their answer, with `position` on the waitlist
    seats_left: int | None  # None: no seat limit
    can_answer: bool
    can_manage: bool


def _card(session, user, answerable, facilitated) -> SessionCard:
    """`session` comes from with_my_answer (confirmed_seats, the person's RSVP)."""
    capacity = session.effective_capacity
    return SessionCard(
        session=session,
        mine=my_rsvp(session, user),
        seats_left=None if capacity is None else max(capacity - session.confirmed_seats, 0),
        can_answer=session.group_id in answerable and session.answers_open(),
        can_manage=session.group_id in facilitated,
    )


def upcoming_for(user, *, now=None, limit: int | None = None) -> list[SessionCard]:
    """Upcoming sessions in every group the person sees, with their own answer.
    Queries: my groups (whether I may answer in or run each), sessions (+group, seat count,
    my RSVP)."""
    if not user.is_authenticated:
        return []
    now = now or timezone.now()
    # The person's few groups first, as a list: given a subquery, the planner expected
    # hundreds of groups and hash-joined every upcoming session (and RSVP) of the clinic.
    mine = (
        groups_visible_to(user)
        .filter(archived_at__isnull=True)
        .annotate(
            answerable=Exists(
                group_ids_of(user, statuses=ACTIVE_STATUSES).filter(group_id=OuterRef("pk"))
            ),
            runs=Exists(groups_facilitated_by(user).filter(pk=OuterRef("pk"))),
        )
        .values_list("pk", "answerable", "runs")
    )
    group_ids, answerable, facilitated = [], set(), set()
    for pk, can_answer, runs in mine:
        group_ids.append(pk)
        if can_answer:
            answerable.add(pk)
        if runs:
            facilitated.add(pk)
    queryset = with_my_answer(
        Session.objects.filter(
            group_id__in=group_ids,
            ends_at__gte=now,
            starts_at__gte=now - MAX_SESSION_LENGTH,  # the same rows, a bounded index range
            starts_at__lt=now + horizon(),
        ).order_by("starts_at", "pk"),
        user,
    )
    sessions = list(queryset[:limit] if limit else queryset)
    return [_card(s, user, answerable, facilitated) for s in sessions]


def session_for_member(session, user) -> SessionCard:
    """One session with the person's answer, seats left and waitlist place."""
    fresh = with_my_answer(Session.objects.filter(pk=session.pk), user).get()
    answerable = answerable_group_ids(user)
    facilitated = {session.group_id} if can_facilitate_session(user, session) else set()
    return _card(fresh, user, answerable, facilitated)


def answer_counts(rsvps: Iterable, member_ids: Iterable[int] = ()) -> dict:
    """The one tally of a session's answers, from its RSVPs (anything with member_id, answer
    and seat) and the ids of the people expected to answer.

    going/maybe/not_going leave the waitlist out; waitlisted counts it; confirmed counts seats;
    no_answer counts `member_ids` without an RSVP.
    """
    counts = {"going": 0, "maybe": 0, "not_going": 0, "waitlisted": 0, "confirmed": 0}
    answered = set()
    for rsvp in rsvps:
        answered.add(rsvp.member_id)
        if rsvp.seat == Seat.CONFIRMED:
            counts["confirmed"] += 1
        if rsvp.seat == Seat.WAITLISTED:
            counts["waitlisted"] += 1
        elif rsvp.answer in counts:
            counts[rsvp.answer] += 1
    counts["no_answer"] = len(set(member_ids) - answered)
    return counts


def session_answer_counts(session) -> dict:
    """Who is coming to `session`, by count (see answer_counts), against the group's active
    members with an active account. Queries: active members, RSVPs."""
    member_ids = members_in(session.group_id).filter(is_active=True).values_list("pk", flat=True)
    rsvps = session.rsvps.only("member_id", "answer", "seat")
    return answer_counts(rsvps, list(member_ids))


def session_roster(session) -> dict:
    """The facilitator's view: counts, answers, the waitlist in order, who has not answered.
    Queries: RSVPs (+member), active members without an answer."""
    rsvps = list(session.rsvps.select_related("member").order_by("answered_at", "pk"))
    waitlist = sorted(
        (r for r in rsvps if r.seat == Seat.WAITLISTED), key=lambda r: (r.waitlisted_at, r.pk)
    )
    not_answered = list(
        members_in(session.group_id).exclude(rsvps__session=session).order_by("display_name", "pk")
    )
    return {
        "rsvps": [r for r in rsvps if r.seat != Seat.WAITLISTED],
        "waitlist": waitlist,
        "counts": answer_counts(rsvps, [person.pk for person in not_answered]),
        "not_answered": not_answered,
    }


def join_link(session, now=None) -> str:
    """The video link, only from SESSION_JOIN_OPENS_MINUTES before the start to the end."""
    if session.status != SessionStatus.SCHEDULED:
        return ""
    url = session.video_url or (
        session.group.video_url if session.group.format != GroupFormat.IN_PERSON else ""
    )
    now = now or timezone.now()
    opens = session.starts_at - datetime.timedelta(minutes=join_opens_minutes())
    return url if opens <= now <= session.ends_at else ""


def join_opens_minutes() -> int:
    return settings.SESSION_JOIN_OPENS_MINUTES


def group_join_link(group, now=None) -> str:
    """The video link of the group's session open for joining now, if any (one query)."""
    now = now or timezone.now()
    session = (
        Session.objects.select_related("group")
        .filter(
            group=group,
            status=SessionStatus.SCHEDULED,
            starts_at__lte=now + datetime.timedelta(minutes=join_opens_minutes()),
            starts_at__gte=now - MAX_SESSION_LENGTH,
            ends_at__gte=now,
        )
        .order_by("starts_at", "pk")
        .first()
    )
    return join_link(session, now) if session else ""


def _feed_sessions(user, now):
    """Calendar feed: the last month and the horizon ahead, in groups the person attends
    (active enrollment) or runs. Cancelled ones stay so calendars can show them cancelled."""
    attended = answerable_group_ids(user)
    run = groups_facilitated_by(user).values_list("pk", flat=True) if user.is_facilitator else []
    return Session.objects.filter(
        Q(group_id__in=attended) | Q(group_id__in=list(run)),
        group__archived_at__isnull=True,
        starts_at__gte=now - datetime.timedelta(days=31),
        starts_at__lt=now + horizon(),
    ).order_by("starts_at", "pk")


def feed_sessions_for(user, *, now=None) -> list[Session]:
    """The feed's sessions, each with its group."""
    return list(_feed_sessions(user, now or timezone.now()).select_related("group"))


@dataclass(frozen=True)
class FeedContents:
    sessions: list[Session]
    labels: dict[int, str]  # the owner's own names for the groups, {group id: label}
    etag: str  # changes whenever what the feed says does (sessions.calendar.feed_etag)


def feed_contents(owner, *, now=None) -> FeedContents:
    """What a person's feed is made of, and its validator. Queries: sessions, labels."""
    sessions = feed_sessions_for(owner, now=now)
    labels = labels_of(owner, {session.group for session in sessions})
    return FeedContents(sessions, labels, feed_etag(map(feed_entry, sessions), owner, labels))


def feed_validator(owner, *, now=None) -> str:
    """feed_contents(owner).etag, from the few fields it is made of: what a calendar app's
    poll needs, without a session and a group built for every entry. Same queries."""
    entries = list(_feed_sessions(owner, now or timezone.now()).values_list(*FEED_ENTRY_FIELDS))
    group_ids = {entry[FEED_ENTRY_FIELDS.index("group_id")] for entry in entries}
    return feed_etag(entries, owner, labels_of_ids(owner, group_ids))


def calendar_feed_of(user) -> CalendarFeed | None:
    """Whether (and since when) `user` has a feed; its address cannot be read back."""
    return CalendarFeed.objects.filter(user=user).first()


def feed_owner(token: str):
    """The active person whose feed `token` opens, or None. Looked up by hash only."""
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=CalendarFeed.hash_token(token), user__is_active=True)
        .first()
    )
    return feed.user if feed else None


def group_schedule(group, *, now=None) -> dict:
    """A facilitator's schedule page: the series and the coming sessions of one group."""
    now = now or timezone.now()
    sessions = (
        Session.objects.filter(
            group=group,
            ends_at__gte=now,
            starts_at__gte=now - MAX_SESSION_LENGTH,
            starts_at__lt=now + horizon(),
        )
        .select_related("series")
        .annotate(confirmed_seats=Count("rsvps", filter=Q(rsvps__seat=Seat.CONFIRMED)))
        .order_by("starts_at", "pk")
    )
    series = list(group.series.order_by("pk"))
    for one in series:
        one.in_words = schedule_in_words(one.rrule)
    return {"series": series, "sessions": list(sessions)}


def schedule_in_words(rule: str) -> str:
    """'Every other Tuesday, 10 times' for the schedule page, in the active language."""
    return rule_in_words(rule)


# --- groups' pages (through scheduling_tags: groups sits below sessions) ----------------------


def _upcoming_in_group(group, now=None):
    """A group's coming sessions, not cancelled, soonest first (`group`: a group or OuterRef)."""
    return (
        Session.objects.filter(group=group, starts_at__gte=now or timezone.now())
        .exclude(status=SessionStatus.CANCELLED)
        .order_by("starts_at", "pk")
    )


def with_next_session(groups, now=None):
    """Annotate each group with its next coming session: `next_session_id` and
    `next_session_starts_at` (two subqueries: the list stays one query)."""
    upcoming = _upcoming_in_group(OuterRef("pk"), now)
    return groups.annotate(
        next_session_id=Subquery(upcoming.values("pk")[:1]),
        next_session_starts_at=Subquery(upcoming.values("starts_at")[:1]),
    )


def group_upcoming_sessions(group, limit: int = 5, now=None):
    """The group page's coming sessions."""
    return _upcoming_in_group(group, now)[:limit]


# --- a member's own data (privacy) -------------------------------------------------------


def export_member(member_id: int) -> dict:
    """One person's answers (their own notes included) and whether they have a calendar feed;
    nobody else's answer, and never the feed's secret address."""
    answers = (
        RSVP.objects.filter(member_id=member_id)
        .select_related("session__group")
        .order_by("session__starts_at", "pk")
    )
    return {
        "rsvps": [
            {
                "group": rsvp.session.group.name,
                "session_starts_at": rsvp.session.starts_at,
                "answer": rsvp.answer,
                "seat": rsvp.seat,
                "note": rsvp.note,
                "answered_at": rsvp.answered_at,
            }
            for rsvp in answers
        ],
        "calendar_feed": CalendarFeed.objects.filter(user_id=member_id).exists(),
    }
