"""members.selectors: who sees which invitations, in a fixed number of queries."""

import pytest
from django.http import Http404

from members import selectors
from members.models import Role
from members.selectors import get_invitation_for_user, invitations_pending
from members.services.invitations import invitation_create, invitation_revoke


@pytest.fixture
def invitations(world):
    mine = [
        invitation_create(
            email=f"n{n}@example.org",
            role=Role.MEMBER,
            invited_by=world.facilitator,
            group=world.addict_group,
        )
        for n in range(3)
    ]
    theirs = invitation_create(
        email="p@example.org",
        role=Role.MEMBER,
        invited_by=world.other_facilitator,
        group=world.partner_group,
    )
    facilitator_invite = invitation_create(
        email="f@example.org", role=Role.FACILITATOR, invited_by=world.staff
    )
    return mine, theirs, facilitator_invite


def test_pending_list_in_one_query(world, invitations, django_assert_num_queries):
    mine, _theirs, _facilitator_invite = invitations
    with django_assert_num_queries(1):
        # 1. the pending invitations, with their group and inviter joined in
        rows = [
            (i.email, i.group.name, i.invited_by.display_name)
            for i in invitations_pending(world.facilitator)
        ]
    assert sorted(email for email, _, _ in rows) == sorted(i.email for i in mine)


def test_staff_see_all_pending_and_withdrawn_ones_drop_out(world, invitations):
    mine, theirs, facilitator_invite = invitations
    assert set(invitations_pending(world.staff)) == {*mine, theirs, facilitator_invite}
    invitation_revoke(invitation=theirs, actor=world.staff)
    assert theirs not in set(invitations_pending(world.staff))


def test_members_see_none_and_outsiders_get_404(world, invitations):
    mine, theirs, _facilitator_invite = invitations
    assert not invitations_pending(world.member).exists()
    with pytest.raises(Http404):
        get_invitation_for_user(world.member, mine[0].pk)
    with pytest.raises(Http404):
        get_invitation_for_user(world.facilitator, theirs.pk)
    with pytest.raises(Http404):
        get_invitation_for_user(world.facilitator, "not-a-number")
    assert get_invitation_for_user(world.other_facilitator, theirs.pk) == theirs


def test_sharing_viewers_are_the_partner_and_visible_co_members(world):
    assert {p.display_name for p in selectors.sharing_viewers(world.member)} == {
        "Casey",
        "Jordan",
    }
    world.addict_group.roster_visible = False
    world.addict_group.save()
    assert {p.display_name for p in selectors.sharing_viewers(world.member)} == {"Jordan"}
