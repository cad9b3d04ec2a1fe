"""Who may see what in notifications. Outsiders get 404."""

from django.http import Http404

from groups.permissions import groups_facilitated_by
from sessions.models import Session


def get_session_to_facilitate(user, session_id) -> Session:
    """A session of a group this person runs (staff: any); 404 for everyone else."""
    try:
        return Session.objects.select_related("group").get(
            pk=session_id, group__in=groups_facilitated_by(user)
        )
    except (Session.DoesNotExist, ValueError, TypeError):
        raise Http404("No such session") from None
