"""The one place that decides which people, couples, intake records and consents a person may
see or change. Outsiders get Http404 (never 403), through core.lookups.

Who is in which group is asked of the membership API (groups.selectors) with a named status set,
never of enrolment rows directly. Being someone's partner grants nothing here: only a
SharingConsent does, and only for one attendance summary (members.selectors_privacy).
"""

from django.contrib.auth import get_user_model
from django.db.models import Q

from core.lookups import get_object_for_user_or_404
from groups.models import VISIBLE_STATUSES
from groups.permissions import facilitated_group_ids, is_facilitating_role
from groups.selectors import member_ids_in
from members.models import Couple, Intake, Invitation, Role, SharingConsent

# --- people ------------------------------------------------------------------------------


def members_visible_to(user):
    """People a facilitator may look up, add, link or screen: members of their groups (any
    stint) and people who accepted their invitations. Staff: every member. Members: nobody."""
    User = get_user_model()
    if not is_facilitating_role(user):
        return User.objects.none()
    members = User.objects.filter(role=Role.MEMBER)
    if user.is_clinic_staff:
        return members
    facilitated = facilitated_group_ids(user)
    in_groups = member_ids_in(groups=facilitated, statuses=None)  # any stint, past ones too
    invited = Invitation.objects.filter(
        Q(invited_by=user) | Q(group_id__in=facilitated), accepted_by__isnull=False
    ).values("accepted_by_id")
    return members.filter(Q(pk__in=in_groups) | Q(pk__in=invited))


def get_member_for_user(user, pk):
    return get_object_for_user_or_404(members_visible_to(user), pk, "No such person")


# --- couples -----------------------------------------------------------------------------


def couples_visible_to(user):
    """Couples a facilitator linked, or whose partners they can both see; staff all."""
    if not is_facilitating_role(user):
        return Couple.objects.none()
    if user.is_clinic_staff:
        return Couple.objects.all()
    visible = members_visible_to(user).values("pk")
    return Couple.objects.filter(
        Q(linked_by=user) | (Q(first_id__in=visible) & Q(second_id__in=visible))
    )


def get_couple_for_user(user, pk) -> Couple:
    return get_object_for_user_or_404(couples_visible_to(user), pk, "No such couple")


# --- intake screening --------------------------------------------------------------------


def intakes_visible_to(user):
    """Staff all; a facilitator the intakes they recorded and those of members currently in a
    group they facilitate. Never the member, their partner or anyone else."""
    if not is_facilitating_role(user):
        return Intake.objects.none()
    if user.is_clinic_staff:
        return Intake.objects.all()
    current = member_ids_in(groups=facilitated_group_ids(user), statuses=VISIBLE_STATUSES)
    return Intake.objects.filter(Q(recorded_by=user) | Q(member_id__in=current))


def get_intake_for_user(user, pk) -> Intake:
    return get_object_for_user_or_404(
        intakes_visible_to(user).select_related("member", "recorded_by"), pk, "No such record"
    )


# --- consented sharing -------------------------------------------------------------------


def get_own_consent(user, pk) -> SharingConsent:
    """A consent only its owner may change."""
    if not user.is_authenticated:
        return get_object_for_user_or_404(SharingConsent.objects.none(), pk)
    return get_object_for_user_or_404(
        SharingConsent.objects.select_related("viewer", "group").filter(owner=user), pk
    )
