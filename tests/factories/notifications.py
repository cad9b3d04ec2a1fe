import datetime

import factory

from notifications.models import Channel, Kind, Notification, Preference, Status
from tests.factories.members import UserFactory
from tests.factories.sessions import SessionFactory


class PreferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Preference

    user = factory.SubFactory(UserFactory)


class NotificationFactory(factory.django.DjangoModelFactory):
    """An outbox row: by default an email reminder, due at a fixed time, not yet sent."""

    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    kind = Kind.REMINDER
    channel = Channel.EMAIL
    session = factory.SubFactory(SessionFactory)
    offset_minutes = 120
    key = factory.Sequence(lambda n: f"test:{n}")
    due_at = factory.LazyFunction(lambda: datetime.datetime(2026, 12, 1, 17, tzinfo=datetime.UTC))
    status = Status.PENDING
