import datetime

import factory

from groups.models import Enrollment, EnrollmentStatus, Group, GroupKind
from tests.factories.members import UserFactory


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Tuesday group {n}")
    kind = GroupKind.ADDICT
    time_zone = "Europe/London"
    address = "12 Quiet Lane, Room 3"

    @factory.post_generation
    def facilitators(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.facilitators.add(*extracted)


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrollment

    group = factory.SubFactory(GroupFactory)
    member = factory.SubFactory(UserFactory)
    status = EnrollmentStatus.ACTIVE
    joined_on = factory.LazyFunction(lambda: datetime.date(2026, 1, 6))
