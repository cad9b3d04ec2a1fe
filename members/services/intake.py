"""Intake screening: recorded by a facilitator who can see the member, for one of the member's
groups they run; read by that group's facilitators, the recorder, staff, and the facilitators
of another group only with the member's consent (members.permissions.intakes_visible_to).
Answers, level and recommended kind are encrypted."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit import api as audit
from members.models import Intake
from members.permissions import intake_groups_for, members_visible_to

INTAKE_FIELDS = (*Intake.ANSWER_FIELDS, "level", "recommended_kind", "notes")

CHOOSE_GROUP = gettext_lazy("Choose one of their groups that you run.")


def _check_group(*, actor, member, group, current=None) -> None:
    """The group must be one the actor may record for; staff may leave it empty. Keeping the
    intake's current group on an edit is always allowed."""
    if group is None:
        if actor.is_clinic_staff:
            return
        if current is not None and current.group_id is None:
            return  # an older intake with no group keeps none until someone chooses one
        raise ValidationError({"group": CHOOSE_GROUP})
    if current is not None and current.group_id == group.pk:
        return
    if not intake_groups_for(actor, member).filter(pk=group.pk).exists():
        raise ValidationError({"group": CHOOSE_GROUP})


@transaction.atomic
def intake_record(*, member, actor, group=None, **answers) -> Intake:
    if not members_visible_to(actor).filter(pk=member.pk).exists():
        raise ValidationError(_("You can only screen people in your groups."))
    _check_group(actor=actor, member=member, group=group)
    intake = Intake(member=member, recorded_by=actor, updated_by=actor, group=group)
    for key, value in answers.items():
        if key in INTAKE_FIELDS:
            setattr(intake, key, value)
    intake.full_clean()
    intake.save()
    _record_intake("intake.create", intake, actor)
    return intake


def _record_intake(action: str, intake: Intake, actor, changed=()) -> None:
    """Ids and field names only: never an answer."""
    audit.record(
        action,
        actor=actor,
        subject=intake.member_id,
        target="members.intake",
        target_id=intake.pk,
        detail={"group": intake.group_id, "changed": sorted(changed) or None},
    )


@transaction.atomic
def intake_update(*, intake: Intake, actor, group=None, **answers) -> Intake:
    _check_group(actor=actor, member=intake.member, group=group, current=intake)
    changed = {"group"} if intake.group_id != (group.pk if group else None) else set()
    intake.group = group
    for key, value in answers.items():
        if key in INTAKE_FIELDS:
            if getattr(intake, key) != value:
                changed.add(key)
            setattr(intake, key, value)
    intake.updated_by = actor
    intake.full_clean()
    intake.save()
    _record_intake("intake.update", intake, actor, changed)
    return intake
