"""The one place that decides who may see, run or answer which session. Outsiders get 404."""

from core.lookups import get_object_for_user_or_404
from groups.models import ACTIVE_STATUSES
from groups.permissions import groups_facilitated_by, groups_visible_to
from groups.selectors import group_ids_of
from sessions.models import Series, Session


def sessions_visible_to(user):
    return Session.objects.filter(group__in=groups_visible_to(user))


def get_session_for_user(user, pk) -> Session:
    return get_object_for_user_or_404(
        sessions_visible_to(user).select_related("group"), pk, "No such session"
    )


def get_session_to_facilitate(user, pk) -> Session:
    """A session of a group this person runs (staff: any): to change, cancel or take roll."""
    sessions = Session.objects.filter(group__in=groups_facilitated_by(user))
    return get_object_for_user_or_404(sessions.select_related("group"), pk, "No such session")


def get_series_to_facilitate(user, pk) -> Series:
    series = Series.objects.filter(group__in=groups_facilitated_by(user))
    return get_object_for_user_or_404(series.select_related("group"), pk, "No such schedule")


def can_facilitate_session(user, session) -> bool:
    return groups_facilitated_by(user).filter(pk=session.group_id).exists()


def answerable_group_ids(user) -> set[int]:
    """Groups where the person may RSVP: an active enrollment, nothing less."""
    if not user.is_authenticated:
        return set()
    return {row["group_id"] for row in group_ids_of(user, statuses=ACTIVE_STATUSES)}
