"""Audit rows written directly (audit.api.record is how the app writes them, for the
signed-in person of the request)."""

import factory
from django.utils import timezone

from audit.models import AuditEvent


class AuditEventFactory(factory.django.DjangoModelFactory):
    """A facilitator opened someone's screening, now. People are ids: pass actor_id and
    subject_id (and actor_role when the actor is not a facilitator)."""

    class Meta:
        model = AuditEvent

    at = factory.LazyFunction(timezone.now)
    actor_role = "facilitator"
    action = "intake.read"
    target = "members.intake"
