"""Couples: two members a facilitator links so they enrol in couples groups together."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import api as audit
from members.models import Couple
from members.permissions import couples_visible_to, members_visible_to
from members.selectors import current_couple_of


@transaction.atomic
def couple_link(*, first, second, actor) -> Couple:
    """Link two members the actor can see. Each person is in at most one current couple."""
    if first.pk == second.pk:
        raise ValidationError(_("Choose two different people."))
    visible = members_visible_to(actor)
    if visible.filter(pk__in=[first.pk, second.pk]).count() != 2:
        raise ValidationError(_("Choose both people from the list."))
    taken = Couple.objects.filter(
        Q(first__in=[first, second]) | Q(second__in=[first, second]), ended_at__isnull=True
    )
    if taken.exists():
        raise ValidationError(
            _("One of them is already linked with a partner. Unlink that couple first.")
        )
    try:
        with transaction.atomic():
            couple = Couple.objects.create(first=first, second=second, linked_by=actor)
    except IntegrityError:
        # Someone linked one of them at the same moment.
        raise ValidationError(
            _("One of them is already linked with a partner. Unlink that couple first.")
        ) from None
    _record_couple("couple.link", couple, actor)
    return couple


def _record_couple(action: str, couple: Couple, actor) -> None:
    """One row for each partner: it is a change to both records."""
    for member_id, partner_id in (
        (couple.first_id, couple.second_id),
        (couple.second_id, couple.first_id),
    ):
        audit.record(
            action,
            actor=actor,
            subject=member_id,
            target="members.couple",
            target_id=couple.pk,
            detail={"partner": partner_id},
        )


@transaction.atomic
def couple_unlink(*, couple: Couple, actor) -> Couple:
    """End a couple; their group stints stay as they are (the facilitator decides those).

    Staff, or a facilitator of a couples group both partners are in (members.permissions)."""
    if not couples_visible_to(actor).filter(pk=couple.pk).exists():
        raise ValidationError(_("You cannot unlink this couple."))
    if couple.ended_at is None:
        couple.ended_at = timezone.now()
        couple.save(update_fields=["ended_at"])
        _record_couple("couple.unlink", couple, actor)
    return couple


@transaction.atomic
def couple_ensure(*, first, second, linked_by) -> Couple:
    """Link two people unless they already are a couple (demo and setup data).

    No visibility check: the caller is trusted, not a person at a screen.
    """
    current = current_couple_of(first)
    if current is not None and {current.first_id, current.second_id} == {first.pk, second.pk}:
        return current
    return Couple.objects.create(first=first, second=second, linked_by=linked_by)
