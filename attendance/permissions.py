"""The one place that decides who may take roll, read a summary or issue a letter. Outsiders 404."""

from django.http import Http404

from attendance.models import AbsenceFollowUp
from groups.models import Enrollment, EnrollmentStatus, Group
from groups.permissions import can_facilitate, groups_facilitated_by
from members.models import User
from members.selectors_privacy import consent_allows, consents_received_by
from sessions.models import Session

# A member who ever took part (including a past stint) may see their own record and letters.
PARTICIPATED_STATUSES = (EnrollmentStatus.ACTIVE, EnrollmentStatus.PAUSED, EnrollmentStatus.LEFT)


def shared_with(viewer):
    """Standing consents naming `viewer`, with owner and group loaded."""
    return consents_received_by(viewer)


def get_group_to_take_roll(user, group_pk) -> Group:
    try:
        return groups_facilitated_by(user).get(pk=group_pk)
    except (Group.DoesNotExist, ValueError, TypeError):
        raise Http404("No such group") from None


def get_session_to_take_roll(user, session_pk) -> Session:
    groups = groups_facilitated_by(user)
    try:
        return Session.objects.select_related("group").get(pk=session_pk, group__in=groups)
    except (Session.DoesNotExist, ValueError, TypeError):
        raise Http404("No such session") from None


def _participant(group_pk, member_pk) -> tuple[Group, User]:
    try:
        enrollment = (
            Enrollment.objects.select_related("group", "member")
            .filter(
                group_id=int(group_pk), member_id=int(member_pk), status__in=PARTICIPATED_STATUSES
            )
            .first()
        )
    except (ValueError, TypeError):
        enrollment = None
    if enrollment is None:
        raise Http404("No such member")
    return enrollment.group, enrollment.member


def get_summary_access(user, group_pk, member_pk) -> tuple[Group, User, str]:
    """(group, member, as) where `as` is "self", "facilitator" or "shared"; 404 otherwise."""
    if not user.is_authenticated:
        raise Http404("No such member")
    group, member = _participant(group_pk, member_pk)
    if user.pk == member.pk:
        return group, member, "self"
    if can_facilitate(user, group):
        return group, member, "facilitator"
    if consent_allows(user, member, group):
        return group, member, "shared"
    raise Http404("No such member")


def get_letter_access(user, group_pk, member_pk) -> tuple[Group, User]:
    """The member themself or the group's facilitators/staff; a consent viewer may not."""
    group, member, viewer_as = get_summary_access(user, group_pk, member_pk)
    if viewer_as == "shared":
        raise Http404("No such member")
    return group, member


def get_follow_up_to_handle(user, pk) -> AbsenceFollowUp:
    groups = groups_facilitated_by(user)
    try:
        return AbsenceFollowUp.objects.select_related("enrollment__group").get(
            pk=pk, enrollment__group__in=groups
        )
    except (AbsenceFollowUp.DoesNotExist, ValueError, TypeError):
        raise Http404("No such follow-up") from None


def require_letter_checker(user) -> None:
    """Only clinic staff verify letters."""
    if not (user.is_authenticated and user.is_clinic_staff):
        raise Http404("Not found")
