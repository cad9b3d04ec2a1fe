"""Reads for the members app."""

from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from groups.permissions import groups_facilitated_by
from members.models import Invitation


def invitations_visible_to(user):
    """Staff see every invitation; a facilitator those they sent or for their groups."""
    if not user.is_authenticated or not (user.is_clinic_staff or user.is_facilitator):
        return Invitation.objects.none()
    if user.is_clinic_staff:
        return Invitation.objects.all()
    return Invitation.objects.filter(Q(invited_by=user) | Q(group__in=groups_facilitated_by(user)))


def invitations_pending(user):
    return (
        invitations_visible_to(user)
        .filter(accepted_at=None, revoked_at=None, expires_at__gt=timezone.now())
        .select_related("group", "invited_by")
        .order_by("-created_at")
    )


def get_invitation_for_user(user, pk) -> Invitation:
    try:
        return invitations_visible_to(user).get(pk=pk)
    except (Invitation.DoesNotExist, ValueError, TypeError):
        raise Http404("No such invitation") from None
