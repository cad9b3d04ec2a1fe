"""Reads for the session pages, the calendar feed and the home panel.

Each page runs a fixed number of queries however many sessions or answers there are.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from groups.models import EnrollmentStatus, GroupFormat
from groups.permissions import groups_facilitated_by, groups_visible_to
from sessions.models import RSVP, Answer, Seat, Session, SessionStatus
from sessions.permissions import answerable_group_ids, can_facilitate_session
from sessions.recurrence import rule_in_words
from sessions.services import horizon


def _waitlist_position():
    """1 + the number of people waiting ahead of this RSVP."""
    ahead = (
        RSVP.objects.filter(
            session=OuterRef("session"),
            seat=Seat.WAITLISTED,
            waitlisted_at__lt=OuterRef("waitlisted_at"),
        )
        .order_by()
        .values("session")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(ahead, output_field=IntegerField()), Value(0)) + 1


def with_my_answer(queryset, user):
    """Sessions with `confirmed_seats` and `my_rsvps` (0 or 1 RSVP, with `position`)."""
    mine = RSVP.objects.filter(member=user).annotate(position=_waitlist_position())
    return (
        queryset.select_related("group")
        .annotate(confirmed_seats=Count("rsvps", filter=Q(rsvps__seat=Seat.CONFIRMED)))
        .prefetch_related(Prefetch("rsvps", queryset=mine, to_attr="my_rsvps"))
    )


def _decorate(session, user, answerable, facilitated):
    session.mine = session.my_rsvps[0] if session.my_rsvps else None
    capacity = session.effective_capacity
    session.seats_left = None if capacity is None else max(capacity - session.confirmed_seats, 0)
    session.can_answer = session.group_id in answerable and answering_open(session)
    session.can_manage = session.group_id in facilitated
    return session


def answering_open(session, now=None) -> bool:
    now = now or timezone.now()
    deadline = session.rsvp_deadline or session.starts_at
    return session.status == SessionStatus.SCHEDULED and now < deadline


def upcoming_for(user, *, now=None, limit: int | None = None) -> list[Session]:
    """Upcoming sessions in every group the person sees, with their own answer.
    Queries: sessions (+group, seat count), my RSVPs, my active groups, groups I run."""
    now = now or timezone.now()
    queryset = Session.objects.filter(
        group__in=groups_visible_to(user).filter(archived_at__isnull=True),
        ends_at__gte=now,
        starts_at__lt=now + horizon(),
    ).order_by("starts_at", "pk")
    if limit:
        queryset = queryset[:limit]
    sessions = list(with_my_answer(queryset, user))
    answerable = answerable_group_ids(user)
    facilitated = set(groups_facilitated_by(user).values_list("pk", flat=True))
    return [_decorate(s, user, answerable, facilitated) for s in sessions]


def session_for_member(session, user) -> Session:
    """One session with the person's answer, seats left and waitlist place."""
    fresh = with_my_answer(Session.objects.filter(pk=session.pk), user).get()
    answerable = answerable_group_ids(user)
    facilitated = {session.group_id} if can_facilitate_session(user, session) else set()
    return _decorate(fresh, user, answerable, facilitated)


def session_roster(session) -> dict:
    """The facilitator's view: counts, answers, the waitlist in order, who has not answered.
    Queries: RSVPs (+member), active members without an answer."""
    rsvps = list(session.rsvps.select_related("member").order_by("answered_at", "pk"))
    counts = dict.fromkeys(Answer.values, 0)
    for rsvp in rsvps:
        counts[rsvp.answer] += 1
    waitlist = sorted(
        (r for r in rsvps if r.seat == Seat.WAITLISTED), key=lambda r: (r.waitlisted_at, r.pk)
    )
    not_answered = (
        get_user_model()
        .objects.filter(
            enrollments__group=session.group, enrollments__status=EnrollmentStatus.ACTIVE
        )
        .exclude(rsvps__session=session)
        .order_by("display_name", "pk")
        .distinct()
    )
    return {
        "rsvps": [r for r in rsvps if r.seat != Seat.WAITLISTED],
        "waitlist": waitlist,
        "counts": counts,
        "confirmed": sum(1 for r in rsvps if r.seat == Seat.CONFIRMED),
        "not_answered": list(not_answered),
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


def feed_sessions_for(user, *, now=None) -> list[Session]:
    """Calendar feed: the last month and the horizon ahead, in groups the person attends
    (active enrollment) or runs. Cancelled ones stay so calendars can show them cancelled."""
    now = now or timezone.now()
    attended = answerable_group_ids(user)
    run = groups_facilitated_by(user).values_list("pk", flat=True) if user.is_facilitator else []
    return list(
        Session.objects.filter(
            Q(group_id__in=attended) | Q(group_id__in=list(run)),
            group__archived_at__isnull=True,
            starts_at__gte=now - datetime.timedelta(days=31),
            starts_at__lt=now + horizon(),
        )
        .select_related("group")
        .order_by("starts_at", "pk")
    )


def group_schedule(group, *, now=None) -> dict:
    """A facilitator's schedule page: the series and the coming sessions of one group."""
    now = now or timezone.now()
    sessions = (
        Session.objects.filter(group=group, ends_at__gte=now, starts_at__lt=now + horizon())
        .select_related("series")
        .annotate(confirmed_seats=Count("rsvps", filter=Q(rsvps__seat=Seat.CONFIRMED)))
        .order_by("starts_at", "pk")
    )
    series = list(group.series.order_by("pk"))
    for one in series:
        one.in_words = rule_in_words(one.rrule)
    return {"series": series, "sessions": list(sessions)}
