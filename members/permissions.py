"""The one place that decides which people, couples, intake records and consents a person may
see or change. Outsiders get Http404 (never 403), through core.lookups.

Who is in which group is asked of the membership API (groups.selectors) with a named status set,
never of enrolment rows directly. Being someone's partner grants nothing here: only a
SharingConsent does, and only for one attendance summary (members.selectors_privacy).
"""

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from core.lookups import get_object_for_user_or_404
from groups.models import VISIBLE_STATUSES, GroupKind
from groups.permissions import facilitated_group_ids, groups_facilitated_by, is_facilitating_role
from groups.selectors import member_ids_in, stints
from members.models import Couple, Intake, IntakeShare, Invitation, Role, SharingConsent

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


def _couples_group_ids(user):
    """Ids of the couples groups `user` runs (staff: all)."""
    return groups_facilitated_by(user).filter(kind=GroupKind.COUPLES).values("pk")


def couples_visible_to(user):
    """Couples shown to a person (the Couples page, a person's page) and theirs to unlink:
    staff all; a facilitator those whose partners are both in one couples group they run
    (invited, active or paused). Linking them, or running the partners' other groups, grants
    nothing: a recovery group's facilitator does not learn who a member's partner is."""
    if not is_facilitating_role(user):
        return Couple.objects.none()
    if user.is_clinic_staff:
        return Couple.objects.all()
    in_my_couples_groups = stints(groups=_couples_group_ids(user), statuses=VISIBLE_STATUSES)
    second_in = in_my_couples_groups.filter(member=OuterRef(OuterRef("second_id")))
    return Couple.objects.filter(
        Exists(
            in_my_couples_groups.filter(
                member=OuterRef("first_id"), group_id__in=second_in.values("group_id")
            )
        )
    )


def couples_joinable_by(user):
    """Couples a facilitator may add to a couples group from its roster (members.api): those
    they linked, or whose partners they can both see. Staff all. Not a wider view: the
    roster offers them only as people to add."""
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
    """Staff all. A facilitator: the intakes they recorded, those recorded for a group they
    run, and those the member shared (IntakeShare) with a group they run that the member is
    still in. Never the member, their partner, or the facilitator of the member's other groups
    (a couples group's facilitator does not read the recovery group's screening)."""
    if not is_facilitating_role(user):
        return Intake.objects.none()
    if user.is_clinic_staff:
        return Intake.objects.all()
    facilitated = facilitated_group_ids(user)
    member_still_in = stints(
        member=OuterRef(OuterRef("member_id")), statuses=VISIBLE_STATUSES
    ).values("group_id")
    shared = IntakeShare.objects.filter(
        intake=OuterRef("pk"), revoked_at__isnull=True, group_id__in=facilitated
    ).filter(group_id__in=member_still_in)
    return Intake.objects.filter(Q(recorded_by=user) | Q(group_id__in=facilitated) | Exists(shared))


def get_intake_for_user(user, pk) -> Intake:
    return get_object_for_user_or_404(
        intakes_visible_to(user).select_related("member", "recorded_by", "group"),
        pk,
        "No such record",
    )


def intakes_editable_by(user):
    """Staff, the recorder and the facilitators of its group; a facilitator reading by the
    member's consent reads only."""
    if not is_facilitating_role(user):
        return Intake.objects.none()
    if user.is_clinic_staff:
        return Intake.objects.all()
    return Intake.objects.filter(Q(recorded_by=user) | Q(group_id__in=facilitated_group_ids(user)))


def get_intake_to_edit(user, pk) -> Intake:
    return get_object_for_user_or_404(
        intakes_editable_by(user).select_related("member", "recorded_by", "group"),
        pk,
        "No such record",
    )


def intake_groups_for(user, member):
    """The groups an intake of `member` by `user` may be recorded for: the member's groups
    (invited, active or paused) that the user runs, and the groups the user runs that the
    member has a pending invitation to. Staff run every group."""
    run = groups_facilitated_by(user)
    in_groups = stints(member=member, statuses=VISIBLE_STATUSES).values("group_id")
    invited = Invitation.objects.filter(
        email__iexact=member.email,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
        group__isnull=False,
    ).values("group_id")
    return run.filter(Q(pk__in=in_groups) | Q(pk__in=invited)).order_by("name", "pk")


# --- consented sharing -------------------------------------------------------------------


def get_own_consent(user, pk) -> SharingConsent:
    """A consent only its owner may change."""
    if not user.is_authenticated:
        return get_object_for_user_or_404(SharingConsent.objects.none(), pk)
    return get_object_for_user_or_404(
        SharingConsent.objects.select_related("viewer", "group").filter(owner=user), pk
    )


def get_own_intake_share(user, pk) -> IntakeShare:
    """An intake share only the member it is about may change."""
    if not user.is_authenticated:
        return get_object_for_user_or_404(IntakeShare.objects.none(), pk)
    return get_object_for_user_or_404(
        IntakeShare.objects.select_related("intake", "group").filter(intake__member=user), pk
    )
