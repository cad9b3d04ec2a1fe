"""Reads about groups, and the membership API: the one place that asks who is in which group.

Every other app asks these functions (never `Enrollment` itself), with one of the named status
sets of groups.models, so a wall is asked in one place and opens nowhere else.

This module is the bottom of groups: it imports only groups.models, so groups.permissions and
members.permissions can build on it. Reads that need a permission or another app's answer live
in groups.listings.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from groups.models import (
    ACTIVE_STATUSES,
    ENROLLED_STATUSES,
    VISIBLE_STATUSES,
    Enrollment,
    EnrollmentStatus,
    GroupLabel,
)

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


# --- roster ------------------------------------------------------------------------------


def roster(group):
    """Every stint in a group, current first; for the group's facilitators only."""
    return (
        Enrollment.objects.filter(group=group)
        .select_related("member", "couple")
        .order_by("status", "member__display_name", "created_at")
    )


# --- a member's own data (privacy) -------------------------------------------------------


def export_member(member_id: int) -> list[dict]:
    """Every stint of one person, for their own data export: their rows only, no co-member."""
    rows = stints(member=member_id).select_related("group").order_by("created_at", "pk")
    return [
        {
            "group": row.group.name,
            "group_id": row.group_id,
            "status": row.status,
            "invited_at": row.invited_at,
            "joined_on": row.joined_on,
            "left_on": row.left_on,
            "created_at": row.created_at,
        }
        for row in rows
    ]


def export_labels(member_id: int) -> list[dict]:
    """The names one person gave their groups, for their own data export."""
    rows = GroupLabel.objects.filter(member_id=member_id).select_related("group")
    return [
        {
            "group": row.group.name,
            "group_id": row.group_id,
            "your_name_for_it": row.label,
            "updated_at": row.updated_at,
        }
        for row in rows.order_by("group__name", "pk")
    ]
