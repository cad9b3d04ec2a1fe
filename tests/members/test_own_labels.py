"""A member's own name for a group on their sharing page (issue 14, point 18): in what they
share, in the choices and in the messages; whom they share with sees the real name."""

from django.urls import reverse

from groups.services import group_label_set
from members.services.consent import consent_grant
from tests.factories.groups import IntakeFactory

LABEL = "Wednesday walkers"


def _sharing(client, person) -> str:
    client.force_login(person)
    response = client.get(reverse("members:sharing"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_sharing_page_names_the_group_as_the_member_does(client, world):
    group_label_set(member=world.member, group=world.addict_group, label=LABEL)
    IntakeFactory(member=world.member, recorded_by=world.staff, group=world.addict_group)
    consent_grant(owner=world.member, viewer=world.partner, group=world.addict_group)
    mine = _sharing(client, world.member)
    # What they share, the group choices and the notes' choices: their own name only.
    assert mine.count(LABEL) >= 3 and "Tuesday evening" not in mine
    theirs = _sharing(client, world.partner)
    assert "Tuesday evening" in theirs and LABEL not in theirs


def test_sharing_by_the_label_still_shares_the_right_group(client, world):
    group_label_set(member=world.member, group=world.addict_group, label=LABEL)
    client.force_login(world.member)
    response = client.post(
        reverse("members:sharing"),
        {"viewer": world.partner.pk, "group": world.addict_group.pk},
        follow=True,
    )
    assert response.status_code == 200
    assert world.member.consents_given.get().group == world.addict_group
