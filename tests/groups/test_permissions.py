"""The walls: who sees which group and its roster (groups.permissions).

People, intake and couples: tests/members/test_permissions.py."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from groups import permissions
from groups.models import Enrollment, EnrollmentStatus
from tests.factories import EnrollmentFactory, UserFactory


def _names(queryset):
    return sorted(group.name for group in queryset)


def test_each_person_sees_exactly_their_groups(world):
    assert _names(permissions.groups_visible_to(world.member)) == ["Tuesday evening"]
    assert _names(permissions.groups_visible_to(world.co_member)) == ["Tuesday evening"]
    assert _names(permissions.groups_visible_to(world.partner)) == ["Thursday evening"]
    assert _names(permissions.groups_visible_to(world.facilitator)) == ["Tuesday evening"]
    assert _names(permissions.groups_visible_to(world.other_facilitator)) == [
        "Saturday morning",
        "Thursday evening",
    ]
    assert len(permissions.groups_visible_to(world.staff)) == 3
    assert _names(permissions.groups_visible_to(world.outsider)) == []
    assert _names(permissions.groups_visible_to(AnonymousUser())) == []


def test_being_married_to_a_member_grants_nothing(world):
    # The partner is linked to the member as a couple, yet sees none of the addict's group.
    with pytest.raises(Http404):
        permissions.get_group_for_user(world.partner, world.addict_group.pk)
    assert not permissions.can_see_logistics(world.partner, world.addict_group)
    assert permissions.co_member_names(world.partner, world.addict_group) == []


def test_a_member_who_left_no_longer_sees_the_group(world):
    Enrollment.objects.filter(member=world.member).update(status=EnrollmentStatus.LEFT)
    with pytest.raises(Http404):
        permissions.get_group_for_user(world.member, world.addict_group.pk)


def test_bad_primary_keys_are_404_not_500(world):
    for pk in ("abc", None, 10**9):
        with pytest.raises(Http404):
            permissions.get_group_for_user(world.member, pk)
        with pytest.raises(Http404):
            permissions.get_group_to_facilitate(world.facilitator, pk)


def test_co_members_are_display_names_only_or_nothing(world):
    assert permissions.co_member_names(world.member, world.addict_group) == ["Casey"]
    world.addict_group.roster_visible = False
    world.addict_group.save()
    assert permissions.co_member_names(world.member, world.addict_group) == []


def test_logistics_only_for_enrolled_members_and_facilitators(world):
    invited = UserFactory()
    EnrollmentFactory(group=world.addict_group, member=invited, status=EnrollmentStatus.INVITED)
    assert permissions.can_see_logistics(world.member, world.addict_group)
    assert permissions.can_see_logistics(world.facilitator, world.addict_group)
    assert not permissions.can_see_logistics(invited, world.addict_group)
    assert not permissions.can_see_logistics(world.other_facilitator, world.addict_group)
    assert not permissions.can_see_logistics(world.outsider, world.addict_group)
