"""Two seats freeing at once offer two people exactly once each (real PostgreSQL locks)."""

import threading

import pytest
from django.db import connection

from groups.selectors import current_stint
from groups.services import enrollment_change
from notifications.models import Kind, Notification
from referrals.models import EntryStatus, OfferStatus, SeatOffer, WaitingListEntry
from referrals.waiting import offer_free_seats, waiting_list_add
from tests.factories import EnrollmentFactory, UserFactory


def _run_together(*calls) -> list[Exception]:
    barrier = threading.Barrier(len(calls))
    errors: list[Exception] = []

    def run(call):
        try:
            barrier.wait()
            call()
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def _full_group_with_a_queue(world):
    group = world.addict_group
    leavers = [UserFactory(), UserFactory()]
    for person in leavers:
        EnrollmentFactory(group=group, member=person)
    group.capacity = 4  # Alex, Casey and the two leavers
    group.save(update_fields=["capacity"])
    waiting = [UserFactory(display_name=f"Waiting {n}") for n in range(3)]
    for person in waiting:
        waiting_list_add(group=group, member=person, actor=world.facilitator)
    assert not SeatOffer.objects.exists()
    return group, leavers, waiting


def _assert_two_offers_once_each(waiting):
    offers = SeatOffer.objects.filter(status=OfferStatus.PENDING)
    assert sorted(offer.entry.member_id for offer in offers) == sorted(p.pk for p in waiting[:2])
    assert SeatOffer.objects.count() == 2
    for person in waiting[:2]:
        assert Notification.objects.filter(kind=Kind.SEAT_OFFER, recipient=person).count() == 1
    third = WaitingListEntry.objects.get(member=waiting[2])
    assert third.status == EntryStatus.WAITING


@pytest.mark.service("postgres")
@pytest.mark.django_db(transaction=True)
def test_two_members_leaving_at_once_offer_two_seats_once_each(world):
    # GIVEN a full group with three people waiting
    group, leavers, waiting = _full_group_with_a_queue(world)
    # WHEN two members leave at the same moment (each seat_freed runs after its commit)
    errors = _run_together(
        *[
            lambda person=person: enrollment_change(
                enrollment=current_stint(group, person), action="leave", actor=world.facilitator
            )
            for person in leavers
        ]
    )
    # THEN the first two in line are offered a seat, exactly once each; the third waits
    assert errors == []
    _assert_two_offers_once_each(waiting)


@pytest.mark.service("postgres")
@pytest.mark.django_db(transaction=True)
def test_concurrent_offer_runs_never_offer_a_seat_twice(world):
    # GIVEN two seats freed at once (one write), and four workers reacting to it together
    group, leavers, waiting = _full_group_with_a_queue(world)
    for person in leavers:
        stint = current_stint(group, person)
        stint.status = "left"
        stint.save(update_fields=["status"])
    errors = _run_together(*[lambda: offer_free_seats(group.pk) for _ in range(4)])
    # THEN two people are offered a seat once each, whatever the order the workers ran in
    assert errors == []
    _assert_two_offers_once_each(waiting)
