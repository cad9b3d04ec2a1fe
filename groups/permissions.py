"""The one place that decides who may see or run which group, person and record.

Every view fetches through these helpers; anything outside a person's view is Http404, never
403, and never reaches a list, a count or a choice. Being a member's partner grants nothing:
only a SharingConsent does, and only for one attendance summary (members.selectors_privacy).
"""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import Http404

from groups.models import Enrollment, EnrollmentStatus, Group
from members.models import Couple, Intake, Invitation, Role, SharingConsent

# Statuses that let a member see their group (an invited or paused member still belongs).
VISIBLE_STATUSES = (EnrollmentStatus.ACTIVE, EnrollmentStatus.PAUSED, EnrollmentStatus.INVITED)
# Statuses that make someone enrolled: they see the address, video link and co-members.
ENROLLED_STATUSES = (EnrollmentStatus.ACTIVE, EnrollmentStatus.PAUSED)


def _not_found(what: str = "Not found"):
    return Http404(what)


# --- roles -------------------------------------------------------------------------------


def is_facilitating_role(user) -> bool:
    return user.is_authenticated and (user.is_clinic_staff or user.is_facilitator)


def require_facilitating_role(user) -> None:
    """Facilitator pages answer members with 404, as if they did not exist."""
    if not is_facilitating_role(user):
        raise _not_found()


# --- groups ------------------------------------------------------------------------------


def groups_visible_to(user):
    """Groups a person may see at all: staff all, facilitators theirs, members their own."""
    if not user.is_authenticated:
        return Group.objects.none()
    if user.is_clinic_staff:
        return Group.objects.all()
    facilitated = Group.facilitators.through.objects.filter(user=user).values("group_id")
    enrolled = Enrollment.objects.filter(member=user, status__in=VISIBLE_STATUSES).values(
        "group_id"
    )
    return Group.objects.filter(Q(pk__in=facilitated) | Q(pk__in=enrolled))


def groups_facilitated_by(user):
    """Groups a person may run: staff all, facilitators theirs, members none."""
    if not user.is_authenticated:
        return Group.objects.none()
    if user.is_clinic_staff:
        return Group.objects.all()
    return Group.objects.filter(facilitators=user)


def get_group_for_user(user, pk) -> Group:
    try:
        return groups_visible_to(user).get(pk=pk)
    except (Group.DoesNotExist, ValueError, TypeError):
        raise Http404("No such group") from None


def get_group_to_facilitate(user, pk) -> Group:
    try:
        return groups_facilitated_by(user).get(pk=pk)
    except (Group.DoesNotExist, ValueError, TypeError):
        raise Http404("No such group") from None


def can_facilitate(user, group) -> bool:
    return user.is_authenticated and (
        user.is_clinic_staff or group.facilitators.filter(pk=user.pk).exists()
    )


def is_enrolled(user, group) -> bool:
    return (
        user.is_authenticated
        and Enrollment.objects.filter(
            group=group, member=user, status__in=ENROLLED_STATUSES
        ).exists()
    )


def can_see_logistics(user, group) -> bool:
    """The address and video link: enrolled members and the group's facilitators only."""
    return can_facilitate(user, group) or is_enrolled(user, group)


def can_see_kind(user, group) -> bool:
    """Only those who run a group see its kind on screen; members never have it shown."""
    return can_facilitate(user, group)


def co_member_names(user, group) -> list[str]:
    """What a member sees of the roster: display names only, or nothing when it is hidden."""
    if can_facilitate(user, group):
        return []  # facilitators use the roster page, which shows more
    if not group.roster_visible or not is_enrolled(user, group):
        return []
    return list(
        Enrollment.objects.filter(group=group, status__in=ENROLLED_STATUSES)
        .exclude(member=user)
        .order_by("member__display_name", "member_id")
        .values_list("member__display_name", flat=True)
    )


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
    facilitated = Group.facilitators.through.objects.filter(user=user).values("group_id")
    in_groups = Enrollment.objects.filter(group_id__in=facilitated).values("member_id")
    invited = Invitation.objects.filter(
        Q(invited_by=user) | Q(group_id__in=facilitated), accepted_by__isnull=False
    ).values("accepted_by_id")
    return members.filter(Q(pk__in=in_groups) | Q(pk__in=invited))


def get_member_for_user(user, pk):
    try:
        return members_visible_to(user).get(pk=pk)
    except (get_user_model().DoesNotExist, ValueError, TypeError):
        raise Http404("No such person") from None


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
    try:
        return couples_visible_to(user).get(pk=pk)
    except (Couple.DoesNotExist, ValueError, TypeError):
        raise Http404("No such couple") from None


# --- intake screening --------------------------------------------------------------------


def intakes_visible_to(user):
    """Staff all; a facilitator the intakes they recorded and those of members currently in a
    group they facilitate. Never the member, their partner or anyone else."""
    if not is_facilitating_role(user):
        return Intake.objects.none()
    if user.is_clinic_staff:
        return Intake.objects.all()
    facilitated = Group.facilitators.through.objects.filter(user=user).values("group_id")
    current = Enrollment.objects.filter(
        group_id__in=facilitated, status__in=VISIBLE_STATUSES
    ).values("member_id")
    return Intake.objects.filter(Q(recorded_by=user) | Q(member_id__in=current))


def get_intake_for_user(user, pk) -> Intake:
    try:
        return intakes_visible_to(user).select_related("member", "recorded_by").get(pk=pk)
    except (Intake.DoesNotExist, ValueError, TypeError):
        raise Http404("No such record") from None


# --- consented sharing -------------------------------------------------------------------


def get_own_consent(user, pk) -> SharingConsent:
    """A consent only its owner may change."""
    if not user.is_authenticated:
        raise _not_found()
    try:
        return SharingConsent.objects.select_related("viewer", "group").get(pk=pk, owner=user)
    except (SharingConsent.DoesNotExist, ValueError, TypeError):
        raise Http404("Not found") from None


def get_enrollment_to_manage(user, group, pk) -> Enrollment:
    """One stint on a roster the user runs."""
    if not can_facilitate(user, group):
        raise _not_found()
    try:
        return Enrollment.objects.select_related("member").get(pk=pk, group=group)
    except (Enrollment.DoesNotExist, ValueError, TypeError):
        raise Http404("Not found") from None
