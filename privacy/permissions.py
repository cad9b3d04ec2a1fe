"""Who may use which privacy page. Everyone else gets 404 (never 403), through core.lookups.

A member's own pages (their record, export, erasure) are for members: staff and facilitators
have the audit app's accounting page instead. Staff decide erasure requests and may download
a member's export for them.
"""

from django.http import Http404

from core.lookups import get_object_for_user_or_404
from members.permissions import members_visible_to
from privacy.models import ErasureRequest


def require_member(user) -> None:
    if not (user.is_authenticated and user.is_member and user.is_active):
        raise Http404("No such page")


def require_staff(user) -> None:
    if not (user.is_authenticated and user.is_clinic_staff):
        raise Http404("No such page")


def get_own_request(user, pk) -> ErasureRequest:
    """One of the member's own requests; anyone else's id is 404."""
    require_member(user)
    return get_object_for_user_or_404(
        ErasureRequest.objects.filter(member=user), pk, "No such request"
    )


def get_request_for_staff(user, pk) -> ErasureRequest:
    require_staff(user)
    return get_object_for_user_or_404(
        ErasureRequest.objects.select_related("member", "decided_by"), pk, "No such request"
    )


def get_member_for_staff(user, pk):
    """A member whose export staff may download for them."""
    require_staff(user)
    return get_object_for_user_or_404(members_visible_to(user), pk, "No such person")
