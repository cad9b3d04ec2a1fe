"""The walls around people: who sees which person, intake and couple (members.permissions)."""

import pytest
from django.http import Http404

from members import permissions
from tests.factories import UserFactory
from tests.factories.groups import IntakeFactory


@pytest.fixture(autouse=True)
def _key(settings):
    settings.FIELD_ENCRYPTION_KEY = "dGVzdC1rZXktZm9yLWludGFrZS10ZXh0LTAxMjM0NTY="


def test_facilitators_see_only_their_groups_members(world):
    mine = set(permissions.members_visible_to(world.facilitator))
    assert mine == {world.member, world.co_member}
    theirs = set(permissions.members_visible_to(world.other_facilitator))
    assert theirs == {world.partner, world.other_kind_member}
    assert set(permissions.members_visible_to(world.member)) == set()
    assert world.outsider in set(permissions.members_visible_to(world.staff))


def test_intake_is_for_the_members_facilitators_and_staff_only(world):
    intake = IntakeFactory(member=world.member, recorded_by=world.facilitator)
    assert permissions.get_intake_for_user(world.facilitator, intake.pk) == intake
    assert permissions.get_intake_for_user(world.staff, intake.pk) == intake
    for person in (world.member, world.partner, world.co_member, world.other_facilitator):
        with pytest.raises(Http404):
            permissions.get_intake_for_user(person, intake.pk)


def test_a_co_facilitator_sees_the_intake_another_recorded(world):
    intake = IntakeFactory(member=world.member, recorded_by=world.staff)
    co_facilitator = UserFactory(facilitator=True)
    world.addict_group.facilitators.add(co_facilitator)
    assert permissions.get_intake_for_user(co_facilitator, intake.pk) == intake


def test_couples_visible_to_the_linker_or_who_sees_both(world):
    couple = world.member.couples_as_first.get()
    assert permissions.get_couple_for_user(world.facilitator, couple.pk) == couple
    with pytest.raises(Http404):
        permissions.get_couple_for_user(world.other_facilitator, couple.pk)
    with pytest.raises(Http404):
        permissions.get_couple_for_user(world.member, couple.pk)
