"""Builders for requests, waiting-list places and seat offers (the services send mail and
write history; these write the rows only)."""

import datetime

import factory
from django.utils import timezone

from referrals.models import (
    ForWhom,
    Referral,
    ReferralEvent,
    SeatOffer,
    WaitingListEntry,
)
from tests.factories.groups import GroupFactory
from tests.factories.members import UserFactory


class ReferralFactory(factory.django.DjangoModelFactory):
    """A new request for oneself, as the public form leaves it."""

    class Meta:
        model = Referral

    name = factory.Sequence(lambda n: f"Requester {n}")
    email = factory.Sequence(lambda n: f"requester{n}@example.net")
    message_ok = True
    contact_times = "Weekdays after 6 pm"
    for_whom = ForWhom.SELF
    self_concerned = "Yes, it takes my evenings."
    consent_contact = True


class ReferralEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReferralEvent

    referral = factory.SubFactory(ReferralFactory)
    status = factory.SelfAttribute("referral.status")


class WaitingListEntryFactory(factory.django.DjangoModelFactory):
    """One person waiting for a seat in a group."""

    class Meta:
        model = WaitingListEntry

    group = factory.SubFactory(GroupFactory)
    member = factory.SubFactory(UserFactory)
    added_by = factory.SubFactory(UserFactory, facilitator=True)


class SeatOfferFactory(factory.django.DjangoModelFactory):
    """An open offer of a seat to a waiting-list entry, for three days."""

    class Meta:
        model = SeatOffer

    entry = factory.SubFactory(WaitingListEntryFactory)
    group = factory.SelfAttribute("entry.group")
    expires_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=3))
