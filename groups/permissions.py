"""The one place that decides who may see or run which group. Outsiders get 404."""

from django.db.models import Q
from django.http import Http404

from groups.models import Enrollment, EnrollmentStatus, Group

# Statuses that let a member see their group (an invited or paused member still belongs).
VISIBLE_STATUSES = (EnrollmentStatus.ACTIVE, EnrollmentStatus.PAUSED, EnrollmentStatus.INVITED)


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
