"""Reads for the members app. P's current couple is asked here and nowhere else."""

from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from groups.permissions import groups_facilitated_by
from members.models import Couple, Invitation


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


# --- couples -------------------------------------------------------------------------------


def current_couple_of(member) -> Couple | None:
    """P's current couple (at most one), both partners loaded; None when not linked."""
    if member is None or getattr(member, "pk", None) is None:
        return None
    return (
        Couple.objects.filter(Q(first=member) | Q(second=member), ended_at__isnull=True)
        .select_related("first", "second")
        .first()
    )


def partner_in(couple: Couple, member):
    """The other person of `couple`."""
    return couple.second if couple.first_id == member.pk else couple.first


def current_partner_of(member):
    """P's current partner, or None."""
    couple = current_couple_of(member)
    return partner_in(couple, member) if couple else None
