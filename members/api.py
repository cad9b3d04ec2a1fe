"""The single entry point into members for the apps below it (today: groups).

groups sits below members in the layers (pyproject.toml, import-linter), so it may import
nothing from members but this module. Everything here takes and returns ids or small frozen
values, never a members model, and answers from the one place that owns the question:

- "who is P's current partner" from members.selectors (the current couple);
- "whom may this facilitator see, add or link" from members.permissions.

Keep it small: add a function only when a lower app needs a members answer, and build it on
those two modules rather than on a new query.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from members import permissions, selectors
from members.models import Role

__all__ = [
    "CoupleIds",
    "couple_visible_to",
    "coupled_member_ids_visible_to",
    "current_couple",
    "facilitator_ids",
    "member_ids_visible_to",
    "member_visible_to",
    "partner_id",
]


@dataclass(frozen=True)
class CoupleIds:
    """A current couple, by ids: the couple and its two partners."""

    id: int
    first_id: int
    second_id: int

    @property
    def member_ids(self) -> tuple[int, int]:
        return (self.first_id, self.second_id)

    def partner_of(self, member_id: int) -> int:
        """The other partner's id."""
        return self.second_id if self.first_id == member_id else self.first_id


def current_couple(member_id: int) -> CoupleIds | None:
    """The person's current couple, or None when they are not linked."""
    couple = selectors.current_couple_of(member_id)
    if couple is None:
        return None
    return CoupleIds(id=couple.pk, first_id=couple.first_id, second_id=couple.second_id)


def partner_id(member_id: int) -> int | None:
    """The person's current partner's id, or None."""
    couple = current_couple(member_id)
    return couple.partner_of(member_id) if couple else None


def facilitator_ids() -> QuerySet:
    """Ids of the accounts that may run a group (usable as a subquery)."""
    return get_user_model().objects.filter(role=Role.FACILITATOR).values("pk")


def _actor(actor_id: int):
    """The person asking, loaded once per question (roles live on the account)."""
    return get_user_model().objects.filter(pk=actor_id).first() or AnonymousUser()


def member_ids_visible_to(actor_id: int) -> QuerySet:
    """Ids of the people this actor may look up, add or link (usable as a subquery)."""
    return permissions.members_visible_to(_actor(actor_id)).values("pk")


def member_visible_to(actor_id: int, member_id: int) -> bool:
    return permissions.members_visible_to(_actor(actor_id)).filter(pk=member_id).exists()


def couple_visible_to(actor_id: int, couple_id: int) -> bool:
    """Whether the actor may add this couple to a couples group together (both partners are
    people they see, or they linked it): members.permissions.couples_joinable_by."""
    return permissions.couples_joinable_by(_actor(actor_id)).filter(pk=couple_id).exists()


def coupled_member_ids_visible_to(actor_id: int) -> QuerySet:
    """Ids of the people in a current couple the actor may see whole (usable as a subquery)."""
    couples = permissions.couples_joinable_by(_actor(actor_id)).filter(ended_at__isnull=True)
    return (
        get_user_model()
        .objects.filter(
            Q(pk__in=couples.values("first_id")) | Q(pk__in=couples.values("second_id"))
        )
        .values("pk")
    )
