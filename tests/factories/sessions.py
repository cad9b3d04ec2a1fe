import datetime

import factory

from sessions.models import RSVP, Answer, Seat, Series, Session
from tests.factories.groups import GroupFactory
from tests.factories.members import UserFactory


class SeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Series

    group = factory.SubFactory(GroupFactory)
    rrule = "FREQ=WEEKLY"
    starts_on = datetime.date(2026, 12, 1)
    start_time = datetime.time(19, 0)
    duration_minutes = 90


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    group = factory.SubFactory(GroupFactory)
    starts_at = factory.LazyFunction(
        lambda: datetime.datetime(2026, 12, 1, 19, tzinfo=datetime.UTC)
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(minutes=90))


class RSVPFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RSVP

    session = factory.SubFactory(SessionFactory)
    member = factory.SubFactory(UserFactory)
    answer = Answer.GOING
    seat = Seat.CONFIRMED
