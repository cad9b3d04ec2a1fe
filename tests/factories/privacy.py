import factory

from privacy.models import ErasureRequest, ErasureStatus
from tests.factories.members import UserFactory


class ErasureRequestFactory(factory.django.DjangoModelFactory):
    """A member's request to be erased, waiting for staff (status=... for a decided one)."""

    class Meta:
        model = ErasureRequest

    member = factory.SubFactory(UserFactory)
    reason = "Moving on."
    status = ErasureStatus.PENDING
