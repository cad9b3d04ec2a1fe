"""The one place that decides who may see, run or answer which session. Outsiders get 404."""

from django.http import Http404

from groups.models import Enrollment
from groups.permissions import groups_facilitated_by, groups_visible_to
from sessions.models import Series, Session


def sessions_visible_to(user):
    return Session.objects.filter(group__in=groups_visible_to(user))


def _get(queryset, pk):
    try:
        return queryset.select_related("group").get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404("Not found") from None


def get_session_for_user(user, pk) -> Session:
    return _get(sessions_visible_to(user), pk)


def get_session_to_facilitate(user, pk) -> Session:
    return _get(Session.objects.filter(group__in=groups_facilitated_by(user)), pk)


def get_series_to_facilitate(user, pk) -> Series:
    return _get(Series.objects.filter(group__in=groups_facilitated_by(user)), pk)


def can_facilitate_session(user, session) -> bool:
    return groups_facilitated_by(user).filter(pk=session.group_id).exists()


def answerable_group_ids(user) -> set[int]:
    """Groups where the person may RSVP: an active enrollment, nothing less."""
    if not user.is_authenticated:
        return set()
    return set(Enrollment.objects.active().filter(member=user).values_list("group_id", flat=True))
