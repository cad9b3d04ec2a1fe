"""Who is supervised: staff mark a facilitator whose signed notes need a co-signature, and may
name their supervisor. The rules live here; the page is notes.views.supervision.

A supervisor is clinic staff, or a facilitator who runs a group with the supervised person
(so they can read the notes they co-sign). Each change leaves an audit row about the
facilitator's account.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import api as audit
from groups.models import Group
from members.models import Role, User
from notes.models import SupervisedFacilitator


def facilitators():
    return User.objects.filter(role=Role.FACILITATOR, is_active=True).order_by("display_name", "pk")


def possible_supervisors():
    return User.objects.filter(role__in=(Role.STAFF, Role.FACILITATOR), is_active=True).order_by(
        "role", "display_name", "pk"
    )


def supervision_rows() -> list[tuple[User, SupervisedFacilitator | None]]:
    """Every active facilitator with their supervision row, if any (2 queries)."""
    rows = {
        row.facilitator_id: row
        for row in SupervisedFacilitator.objects.select_related("supervisor", "marked_by")
    }
    return [(person, rows.get(person.pk)) for person in facilitators()]


def shares_a_group(first, second) -> bool:
    through = Group.facilitators.through.objects
    return through.filter(
        user=second, group_id__in=through.filter(user=first).values("group_id")
    ).exists()


def _check_supervisor(facilitator, supervisor) -> None:
    if supervisor is None:
        return
    if supervisor.pk == facilitator.pk:
        raise ValidationError({"supervisor": _("Someone cannot supervise themselves.")})
    if not supervisor.is_active:
        raise ValidationError({"supervisor": _("Choose someone whose account is open.")})
    if supervisor.is_clinic_staff:
        return
    if not (supervisor.is_facilitator and shares_a_group(facilitator, supervisor)):
        raise ValidationError(
            {
                "supervisor": _(
                    "Choose clinic staff, or a facilitator who runs a group with %(name)s."
                )
                % {"name": facilitator.display_name}
            }
        )


@transaction.atomic
def supervision_set(*, facilitator, supervisor, actor) -> SupervisedFacilitator:
    """Mark `facilitator` supervised (their next signed notes need a co-signature), with
    `supervisor` or None (then staff or a co-facilitator co-signs)."""
    if not (facilitator.is_facilitator and facilitator.is_active):
        raise ValidationError({"facilitator": _("Only a facilitator's notes can be supervised.")})
    _check_supervisor(facilitator, supervisor)
    row, created = SupervisedFacilitator.objects.select_for_update().get_or_create(
        facilitator=facilitator,
        defaults={"supervisor": supervisor, "marked_by": actor, "marked_at": timezone.now()},
    )
    if not created and row.supervisor_id == (supervisor.pk if supervisor else None):
        return row  # nothing changed: no audit row
    if not created:
        row.supervisor, row.marked_by, row.marked_at = supervisor, actor, timezone.now()
        row.save(update_fields=["supervisor", "marked_by", "marked_at"])
    audit.record(
        "account.supervision",
        subject=facilitator,
        target="members.user",
        target_id=facilitator.pk,
        detail={"op": "supervised", "supervisor": supervisor.pk if supervisor else None},
        actor=actor,
    )
    return row


@transaction.atomic
def supervision_end(*, facilitator, actor) -> bool:
    """No longer supervised: notes they sign from now on need no co-signature (notes already
    waiting for one still do). Returns False when they were not supervised."""
    deleted, _ = SupervisedFacilitator.objects.filter(facilitator=facilitator).delete()
    if deleted:
        audit.record(
            "account.supervision",
            subject=facilitator,
            target="members.user",
            target_id=facilitator.pk,
            detail={"op": "unsupervised"},
            actor=actor,
        )
    return bool(deleted)
