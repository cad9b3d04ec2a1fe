"""Reads for the members app. P's current couple is asked here and nowhere else."""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from core.lookups import get_object_for_user_or_404
from groups.models import ENROLLED_STATUSES, PARTICIPATED_STATUSES, Group
from groups.permissions import groups_facilitated_by, groups_visible_to
from groups.selectors import group_ids_of, member_ids_in
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
    return get_object_for_user_or_404(invitations_visible_to(user), pk, "No such invitation")


# --- couples -------------------------------------------------------------------------------


def current_couple_of(member) -> Couple | None:
    """P's current couple (at most one), both partners loaded; None when not linked.

    `member` is a person or a person's id."""
    member_id = member if isinstance(member, int) else getattr(member, "pk", None)
    if member_id is None:
        return None
    return (
        Couple.objects.filter(Q(first_id=member_id) | Q(second_id=member_id), ended_at__isnull=True)
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


# --- consented sharing ---------------------------------------------------------------------


def sharing_viewers(user):
    """Whom a member may name for sharing: their linked partner and the co-members whose
    names they can already see. Nobody is looked up by email, so no account is revealed."""
    partner = current_partner_of(user)
    partner_ids = [partner.pk] if partner is not None else []
    open_groups = Group.objects.filter(
        pk__in=group_ids_of(user, ENROLLED_STATUSES), roster_visible=True
    )
    co_members = member_ids_in(groups=open_groups, statuses=ENROLLED_STATUSES)
    return (
        get_user_model()
        .objects.filter(Q(pk__in=partner_ids) | Q(pk__in=co_members))
        .exclude(pk=user.pk)
        .order_by("display_name", "pk")
    )


def sharing_groups(user):
    """Groups a member may share their attendance for: the ones they are in."""
    mine = group_ids_of(user, PARTICIPATED_STATUSES)
    return groups_visible_to(user).filter(pk__in=mine).order_by("name")
