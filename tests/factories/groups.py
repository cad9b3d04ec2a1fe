import datetime

import factory

from groups.models import Enrollment, EnrollmentStatus, Group, GroupKind
from members.models import Intake, IntakeShare, SharingConsent, UseLevel
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


# Intake and SharingConsent are members models, kept here with the walls they belong to.
class IntakeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Intake

    member = factory.SubFactory(UserFactory)
    recorded_by = factory.SubFactory(UserFactory, facilitator=True)
    others_concerned = "My wife found the messages last spring."
    self_concerned = "Yes, I lose whole evenings."
    escape = "Scrolling late at night when work is bad."
    secrets = "I delete my history every day."
    others_disturbed = "The amount of money spent."
    shame = "Every morning."
    level = UseLevel.AT_RISK
    recommended_kind = GroupKind.ADDICT
    notes = "Prefers evening groups; works shifts."


class SharingConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SharingConsent

    owner = factory.SubFactory(UserFactory)
    viewer = factory.SubFactory(UserFactory)
    group = factory.SubFactory(GroupFactory)
    granted_by = factory.SelfAttribute("owner")


class IntakeShareFactory(factory.django.DjangoModelFactory):
    """The member lets one more group's facilitators read an intake."""

    class Meta:
        model = IntakeShare

    intake = factory.SubFactory(IntakeFactory)
    group = factory.SubFactory(GroupFactory)
    granted_by = factory.SelfAttribute("intake.member")
