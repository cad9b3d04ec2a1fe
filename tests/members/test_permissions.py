"""The walls around people: who sees which person, intake and couple (members.permissions)."""

import pytest
from django.http import Http404

from members import permissions
from tests.factories import EnrollmentFactory, UserFactory
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
    intake = IntakeFactory(member=world.member, recorded_by=world.staff, group=world.addict_group)
    co_facilitator = UserFactory(facilitator=True)
    world.addict_group.facilitators.add(co_facilitator)
    assert permissions.get_intake_for_user(co_facilitator, intake.pk) == intake


def test_couples_visible_to_facilitators_of_a_couples_group_both_are_in(world):
    # GIVEN the world's couple, linked by the recovery group's facilitator, in no couples group
    couple = world.member.couples_as_first.get()
    # THEN only staff see it: linking it, or running one partner's group, shows nothing
    assert permissions.get_couple_for_user(world.staff, couple.pk) == couple
    for person in (world.facilitator, world.other_facilitator, world.member):
        with pytest.raises(Http404):
            permissions.get_couple_for_user(person, couple.pk)
    # WHEN both partners are in the couples group (invited is enough)
    for person in (world.member, world.partner):
        EnrollmentFactory(group=world.couples_group, member=person, status="invited")
    # THEN its facilitator sees the couple; the recovery group's facilitator still does not
    assert permissions.get_couple_for_user(world.other_facilitator, couple.pk) == couple
    with pytest.raises(Http404):
        permissions.get_couple_for_user(world.facilitator, couple.pk)
