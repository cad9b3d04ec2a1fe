"""Intake screening: recorded by a facilitator who can see the member; read by the member's
facilitators and staff only (members.permissions.intakes_visible_to). Answers are encrypted."""

from django.core.exceptions import ValidationError
from django.db import transaction

from members.models import Intake
from members.permissions import members_visible_to

INTAKE_FIELDS = (*Intake.ANSWER_FIELDS, "level", "recommended_kind", "notes")


@transaction.atomic
def intake_record(*, member, actor, **answers) -> Intake:
    if not members_visible_to(actor).filter(pk=member.pk).exists():
        raise ValidationError("You can only screen people in your groups.")
    intake = Intake(member=member, recorded_by=actor, updated_by=actor)
    for key, value in answers.items():
        if key in INTAKE_FIELDS:
            setattr(intake, key, value)
    intake.full_clean()
    intake.save()
    return intake


@transaction.atomic
def intake_update(*, intake: Intake, actor, **answers) -> Intake:
    for key, value in answers.items():
        if key in INTAKE_FIELDS:
            setattr(intake, key, value)
    intake.updated_by = actor
    intake.full_clean()
    intake.save()
    return intake
