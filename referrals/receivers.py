"""A seat that frees in a group (groups.signals.seat_freed, after commit) is offered to the
next person on its waiting list."""

from groups.signals import seat_freed
from referrals.waiting import offer_free_seats


def offer_freed_seat(sender, group_id: int, **kwargs) -> None:
    offer_free_seats(group_id)


def connect() -> None:
    seat_freed.connect(offer_freed_seat, dispatch_uid="referrals.offer_freed_seat")
