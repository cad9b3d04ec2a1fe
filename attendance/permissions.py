"""The one place that decides who may take roll, read a summary or issue a letter. Outsiders 404."""

from django.http import Http404

from attendance.models import AbsenceFollowUp
from core.lookups import get_object_for_user_or_404
from groups.models import PARTICIPATED_STATUSES, Group
from groups.permissions import can_facilitate, groups_facilitated_by
from groups.selectors import active_on_q, stints
from members.models import User
from members.selectors_privacy import consent_allows, consents_received_by
from sessions.selectors import session_local_date

# Sessions to take roll for: sessions.permissions.get_session_to_facilitate.


def shared_with(viewer):
    """Standing consents naming `viewer`, with owner and group loaded."""
    return consents_received_by(viewer)


def get_group_to_take_roll(user, group_pk) -> Group:
    return get_object_for_user_or_404(groups_facilitated_by(user), group_pk, "No such group")


def get_member_on_roll(session, member_pk) -> User:
    """A person on the session's roll (active in its group on its date); 404 for anyone else,
    so a mark posted for some other id names nobody. The session is already the actor's."""
    try:
        stint = (
            stints(group=session.group_id, member=int(member_pk))
            .filter(active_on_q(session_local_date(session)))
            .select_related("member")
            .first()
        )
    except (ValueError, TypeError, OverflowError):
        stint = None
    if stint is None:
        raise Http404("No such member")
    return stint.member


def _participant(group_pk, member_pk) -> tuple[Group, User]:
    """A member who ever took part (a past stint included) and their group; 404 otherwise."""
    try:
        stint = (
            stints(group=int(group_pk), member=int(member_pk), statuses=PARTICIPATED_STATUSES)
            .select_related("group", "member")
            .first()
        )
    except (ValueError, TypeError, OverflowError):
        stint = None
    if stint is None:
        raise Http404("No such member")
    return stint.group, stint.member


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
    follow_ups = AbsenceFollowUp.objects.filter(enrollment__group__in=groups_facilitated_by(user))
    return get_object_for_user_or_404(
        follow_ups.select_related("enrollment__group"), pk, "No such follow-up"
    )


def require_letter_checker(user) -> None:
    """Only clinic staff verify letters."""
    if not (user.is_authenticated and user.is_clinic_staff):
        raise Http404("Not found")
