"""Writes for groups and enrolment. Business rules live here, not in views or forms."""

from django.db import transaction
from django.utils import timezone

from groups.models import Enrollment, EnrollmentStatus


@transaction.atomic
def enrollment_add(*, group, member, actor) -> Enrollment:
    """Enrol a member actively in a group; an existing current stint is reused."""
    current = Enrollment.objects.current().filter(group=group, member=member).first()
    if current is not None:
        if current.status != EnrollmentStatus.ACTIVE:
            current.status = EnrollmentStatus.ACTIVE
            current.joined_on = current.joined_on or timezone.localdate()
            current.save(update_fields=["status", "joined_on"])
        return current
    return Enrollment.objects.create(
        group=group,
        member=member,
        status=EnrollmentStatus.ACTIVE,
        joined_on=timezone.localdate(),
    )
