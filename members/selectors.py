"""Reads for the members app. P's current couple is asked here and nowhere else."""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from core.lookups import get_object_for_user_or_404
from groups.models import ENROLLED_STATUSES, PARTICIPATED_STATUSES, Group
from groups.permissions import groups_facilitated_by, groups_visible_to
from groups.selectors import group_ids_of, member_ids_in
from members.models import Couple, Intake, Invitation, SharingConsent


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


# --- a member's own data (privacy) ---------------------------------------------------------


def export_member(member_id: int) -> dict:
    """What members holds about one person, for their own export. Other people appear only
    by the display name the person already sees (their partner, whom they share with), never
    by email or record; who recorded an intake or sent an invitation, by role."""
    user = get_user_model().objects.get(pk=member_id)
    couple = current_couple_of(member_id)
    given = SharingConsent.objects.filter(owner_id=member_id).select_related("viewer", "group")
    received = SharingConsent.objects.filter(viewer_id=member_id).select_related("owner", "group")
    intakes = (
        Intake.objects.filter(member_id=member_id)
        .select_related("recorded_by", "group")
        .prefetch_related("shares__group")
    )
    accepted = Invitation.objects.filter(accepted_by_id=member_id).select_related(
        "group", "invited_by"
    )
    return {
        "account": {
            "email": user.email,
            "display_name": user.display_name,
            "phone": user.phone,
            "time_zone": user.time_zone,
            "language": user.language,
            "role": user.role,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
        },
        "couple": None
        if couple is None
        else {"partner": partner_in(couple, user).display_name, "since": couple.created_at},
        "sharing_given": [
            {
                "with": consent.viewer.display_name,
                "group": consent.group.name,
                "granted_at": consent.granted_at,
                "revoked_at": consent.revoked_at,
            }
            for consent in given.order_by("granted_at", "pk")
        ],
        "sharing_received": [
            {
                "from": consent.owner.display_name,
                "group": consent.group.name,
                "granted_at": consent.granted_at,
                "revoked_at": consent.revoked_at,
            }
            for consent in received.order_by("granted_at", "pk")
        ],
        "intakes": [
            {
                **{field: getattr(intake, field) for field in Intake.ANSWER_FIELDS},
                "level": intake.level,
                "recommended_kind": intake.recommended_kind,
                "notes": intake.notes,
                "recorded_by": intake.recorded_by.get_role_display(),
                "group": intake.group.name if intake.group else None,
                "shared_with_groups": [
                    {
                        "group": share.group.name,
                        "granted_at": share.granted_at,
                        "revoked_at": share.revoked_at,
                    }
                    for share in intake.shares.all()
                ],
                "created_at": intake.created_at,
                "updated_at": intake.updated_at,
            }
            for intake in intakes.order_by("created_at", "pk")
        ],
        "invitations_accepted": [
            {
                "email": invitation.email,
                "role": invitation.role,
                "group": invitation.group.name if invitation.group else None,
                "invited_by": invitation.invited_by.get_role_display(),
                "created_at": invitation.created_at,
                "accepted_at": invitation.accepted_at,
            }
            for invitation in accepted.order_by("created_at", "pk")
        ],
    }
