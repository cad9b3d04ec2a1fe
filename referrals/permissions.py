"""Who may see which request, waiting list and agreement record. Outsiders get 404.

Requests: staff all; a facilitator those matched with a group they run, or that they took.
A request names nobody else: a partner's request never says their partner is in a group, as
nothing links two requests. Waiting lists and agreement records: the group's facilitators
and staff (groups.permissions).
"""

from django.db.models import Q
from django.http import Http404

from core.lookups import get_object_for_user_or_404
from groups.permissions import facilitated_group_ids, is_facilitating_role
from referrals.models import AgreementAcceptance, Referral


def referrals_visible_to(user):
    if not is_facilitating_role(user):
        return Referral.objects.none()
    if user.is_clinic_staff:
        return Referral.objects.all()
    return Referral.objects.filter(Q(group_id__in=facilitated_group_ids(user)) | Q(taken_by=user))


def get_referral_for_user(user, pk) -> Referral:
    return get_object_for_user_or_404(
        referrals_visible_to(user).select_related("taken_by", "group", "member", "intake"),
        pk,
        "No such request",
    )


def get_own_acceptance(user, pk) -> AgreementAcceptance:
    """What a member signed, for them to print; staff and the group's facilitators too."""
    if not user.is_authenticated:
        rows = AgreementAcceptance.objects.none()
    elif user.is_clinic_staff:
        rows = AgreementAcceptance.objects.all()
    else:
        rows = AgreementAcceptance.objects.filter(
            Q(member=user) | Q(group_id__in=facilitated_group_ids(user))
        )
    return get_object_for_user_or_404(rows.select_related("version", "group"), pk, "Not found")


def require_staff(user) -> None:
    """The clinic's and each kind's agreements are staff's: others get 404."""
    if not (user.is_authenticated and user.is_clinic_staff):
        raise Http404("No such page")
