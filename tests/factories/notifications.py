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
    # Shaped like the real reminder keys (the delivery checks the start-time part).
    key = factory.LazyAttributeSequence(
        lambda o, n: (
            f"{o.kind}:{o.session.pk if o.session else 0}:"
            f"{int(o.session.starts_at.timestamp()) if o.session else 0}:{n}"
        )
    )
    due_at = factory.LazyFunction(lambda: datetime.datetime(2026, 12, 1, 17, tzinfo=datetime.UTC))
    status = Status.PENDING
