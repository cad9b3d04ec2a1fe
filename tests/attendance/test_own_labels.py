"""A member's own name for a group on their attendance pages (issue 14, point 18); the
facilitator opening the same page, and anyone the member shares with, see the real name."""

from django.urls import reverse

from groups.services import group_label_set
from members.services.consent import consent_grant

LABEL = "Wednesday walkers"


def _body(client, person, name, *args) -> str:
    client.force_login(person)
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    return response.content.decode()


def test_the_member_sees_their_own_name_and_the_facilitator_the_real_one(client, world):
    group_label_set(member=world.member, group=world.addict_group, label=LABEL)
    page = ("attendance:member", world.addict_group.pk, world.member.pk)
    mine = _body(client, world.member, *page)
    assert LABEL in mine and "Tuesday evening" not in mine
    index = _body(client, world.member, "attendance:index")
    assert LABEL in index and "Tuesday evening" not in index
    theirs = _body(client, world.facilitator, *page)
    assert "Tuesday evening" in theirs and LABEL not in theirs


def test_whom_the_member_shares_with_never_sees_the_label(client, world):
    group_label_set(member=world.member, group=world.addict_group, label=LABEL)
    consent_grant(owner=world.member, viewer=world.partner, group=world.addict_group)
    index = _body(client, world.partner, "attendance:index")
    assert "Tuesday evening" in index and LABEL not in index
    page = _body(client, world.partner, "attendance:member", world.addict_group.pk, world.member.pk)
    assert LABEL not in page
