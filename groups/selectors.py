"""Reads about groups, and the membership API: the one place that asks who is in which group.

Every other app asks these functions (never `Enrollment` itself), with one of the named status
sets of groups.models, so a wall is asked in one place and opens nowhere else.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from groups.models import (
    ACTIVE_STATUSES,
    ENROLLED_STATUSES,
    VISIBLE_STATUSES,
    Enrollment,
    EnrollmentStatus,
    GroupKind,
)
from groups.permissions import (
    couples_visible_to,
    groups_facilitated_by,
    groups_visible_to,
    members_visible_to,
)
from sessions.models import Session, SessionStatus

# --- membership API ------------------------------------------------------------------------


def stints(*, group=None, groups=None, member=None, members=None, statuses=None) -> QuerySet:
    """Enrolment stints (rows), narrowed by group(s), member(s) and statuses.

    `group`/`member` take an instance or an id; `groups`/`members` a queryset or ids.
    """
    rows = Enrollment.objects.all()
    if group is not None:
        rows = rows.filter(group=group)
    if groups is not None:
        rows = rows.filter(group__in=groups)
    if member is not None:
        rows = rows.filter(member=member)
    if members is not None:
        rows = rows.filter(member__in=members)
    if statuses is not None:
        rows = rows.filter(status__in=statuses)
    return rows


def member_ids_in(group=None, *, groups=None, statuses=ACTIVE_STATUSES) -> QuerySet:
    """Who is in group G (or any of `groups`), as member ids: usable as a subquery."""
    return stints(group=group, groups=groups, statuses=statuses).values("member_id")


def members_in(group=None, *, groups=None, statuses=ACTIVE_STATUSES) -> QuerySet:
    """The people in group G (or any of `groups`) with one of `statuses`."""
    ids = member_ids_in(group, groups=groups, statuses=statuses)
    return get_user_model().objects.filter(pk__in=ids)


def group_ids_of(member, statuses=VISIBLE_STATUSES) -> QuerySet:
    """Which groups person P is in, as group ids: usable as a subquery."""
    return stints(member=member, statuses=statuses).values("group_id")


def belongs(member, group, statuses=ENROLLED_STATUSES) -> bool:
    """Does P belong to G (with one of `statuses`)?"""
    if member is None or not getattr(member, "is_authenticated", True):
        return False
    return stints(group=group, member=member, statuses=statuses).exists()


def current_stint(group, member):
    """P's current (not left) stint in G, or None."""
    return Enrollment.objects.current().filter(group=group, member=member).first()


def enrolled_count(group, statuses=ACTIVE_STATUSES) -> int:
    """How many people hold one of `statuses` in G (ACTIVE_STATUSES: the seats taken)."""
    return stints(group=group, statuses=statuses).count()


def stint_covers(enrollment, day: datetime.date) -> bool:
    """Whether this stint made the member active on `day` (paused or invited: no)."""
    if enrollment.status not in (EnrollmentStatus.ACTIVE, EnrollmentStatus.LEFT):
        return False
    if enrollment.joined_on is None or enrollment.joined_on > day:
        return False
    if enrollment.status == EnrollmentStatus.LEFT and enrollment.left_on is None:
        return False
    return enrollment.left_on is None or enrollment.left_on >= day


def active_on_q(day: datetime.date) -> Q:
    """The database form of `stint_covers`."""
    return Q(joined_on__lte=day) & (
        Q(status=EnrollmentStatus.ACTIVE, left_on__isnull=True)
        | Q(status__in=(EnrollmentStatus.ACTIVE, EnrollmentStatus.LEFT), left_on__gte=day)
    )


def stints_active_on(group, day: datetime.date) -> list:
    """Who is in group G on day D: one stint per member, members loaded, by display name."""
    rows = (
        Enrollment.objects.filter(active_on_q(day), group=group)
        .select_related("member")
        .order_by("member__display_name", "member_id", "-joined_on")
    )
    seen: set[int] = set()
    result = []
    for row in rows:
        if row.member_id not in seen:
            seen.add(row.member_id)
            result.append(row)
    return result


# --- group pages ---------------------------------------------------------------------------


def _with_next_session(groups, now=None):
    """Annotate each group with its next upcoming, not-cancelled session (id and start)."""
    now = now or timezone.now()
    upcoming = (
        Session.objects.filter(group=OuterRef("pk"), starts_at__gte=now)
        .exclude(status=SessionStatus.CANCELLED)
        .order_by("starts_at", "pk")
    )
    return groups.annotate(
        next_session_id=Subquery(upcoming.values("pk")[:1]),
        next_session_starts_at=Subquery(upcoming.values("starts_at")[:1]),
    )


def member_groups(user, now=None):
    """The groups a member belongs to (not archived), each with its next session."""
    if not user.is_authenticated:
        return groups_visible_to(user)
    mine = Enrollment.objects.filter(member=user, status__in=VISIBLE_STATUSES).values("group_id")
    groups = groups_visible_to(user).filter(pk__in=mine).active()
    return _with_next_session(groups, now).order_by("name", "pk")


def facilitator_groups(user, now=None, archived: bool = False):
    """Groups the user runs (staff: all), with active counts and the next session."""
    groups = groups_facilitated_by(user)
    groups = groups.filter(archived_at__isnull=not archived)
    groups = groups.annotate(
        active_count=Count("enrollments", filter=Q(enrollments__status=EnrollmentStatus.ACTIVE))
    )
    return _with_next_session(groups, now).order_by("name", "pk")


def roster(group):
    """Every stint in a group, current first; for the group's facilitators only."""
    return (
        Enrollment.objects.filter(group=group)
        .select_related("member", "couple")
        .order_by("status", "member__display_name", "created_at")
    )


def addable_members(actor, group):
    """People the actor may add: visible to them and not currently in the group."""
    current = Enrollment.objects.current().filter(group=group).values("member_id")
    people = members_visible_to(actor).exclude(pk__in=current).order_by("display_name", "pk")
    if group.kind == GroupKind.COUPLES:
        # Only people in a couple the actor can see (both partners) can join a couples group.
        couples = couples_visible_to(actor).filter(ended_at__isnull=True)
        people = people.filter(
            Q(pk__in=couples.values("first_id")) | Q(pk__in=couples.values("second_id"))
        )
    return people


def upcoming_sessions(group, limit: int = 5, now=None):
    now = now or timezone.now()
    return (
        Session.objects.filter(group=group, starts_at__gte=now)
        .exclude(status=SessionStatus.CANCELLED)
        .order_by("starts_at", "pk")[:limit]
    )


def sharing_viewers(user):
    """Whom a member may name for sharing: their linked partner and the co-members whose
    names they can already see. Nobody is looked up by email, so no account is revealed."""
    from django.contrib.auth import get_user_model

    from groups.permissions import ENROLLED_STATUSES
    from members.models import Couple

    couples = Couple.objects.filter(Q(first=user) | Q(second=user), ended_at__isnull=True)
    partner_ids = [c.second_id if c.first_id == user.pk else c.first_id for c in couples]
    my_open_groups = Enrollment.objects.filter(
        member=user, status__in=ENROLLED_STATUSES, group__roster_visible=True
    ).values("group_id")
    co_members = Enrollment.objects.filter(
        group_id__in=my_open_groups, status__in=ENROLLED_STATUSES
    ).values("member_id")
    return (
        get_user_model()
        .objects.filter(Q(pk__in=partner_ids) | Q(pk__in=co_members))
        .exclude(pk=user.pk)
        .order_by("display_name", "pk")
    )


def sharing_groups(user):
    """Groups a member may share their attendance for: the ones they are in."""
    mine = Enrollment.objects.filter(member=user).exclude(status=EnrollmentStatus.INVITED)
    return groups_visible_to(user).filter(pk__in=mine.values("group_id")).order_by("name")
