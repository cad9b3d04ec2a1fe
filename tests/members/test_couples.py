"""Couples: a facilitator links two members; each person in at most one current couple."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from members.models import Couple
from members.services.couples import couple_link, couple_unlink
from tests.factories import EnrollmentFactory, UserFactory


@pytest.fixture
def two_members(world):
    first, second = UserFactory(display_name="Ari"), UserFactory(display_name="Bo")
    for person in (first, second):
        EnrollmentFactory(group=world.partner_group, member=person)
    return first, second


def test_facilitator_links_two_members_they_can_see(world, two_members):
    couple = couple_link(
        *(), first=two_members[0], second=two_members[1], actor=world.other_facilitator
    )
    assert couple.linked_by == world.other_facilitator
    assert couple.ended_at is None


def test_cannot_link_someone_outside_their_view(world, two_members):
    with pytest.raises(ValidationError, match="from the list"):
        couple_link(first=two_members[0], second=world.co_member, actor=world.other_facilitator)
    assert not Couple.objects.filter(first=two_members[0]).exists()


def test_cannot_link_a_person_already_in_a_couple(world, two_members):
    couple_link(first=two_members[0], second=two_members[1], actor=world.other_facilitator)
    with pytest.raises(ValidationError, match="already linked"):
        couple_link(
            first=two_members[0], second=world.other_kind_member, actor=world.other_facilitator
        )


def test_cannot_link_a_person_with_themself(world, two_members):
    with pytest.raises(ValidationError, match="two different"):
        couple_link(first=two_members[0], second=two_members[0], actor=world.other_facilitator)


def test_unlink_then_relink(world, two_members):
    couple = couple_link(first=two_members[0], second=two_members[1], actor=world.other_facilitator)
    # Unlinking is for a facilitator of a couples group both partners are in.
    for person in two_members:
        EnrollmentFactory(group=world.couples_group, member=person, status="invited")
    couple_unlink(couple=couple, actor=world.other_facilitator)
    couple.refresh_from_db()
    assert couple.ended_at is not None
    couple_link(first=two_members[0], second=world.other_kind_member, actor=world.other_facilitator)


def test_couples_page_links_and_refuses_with_a_message(client, world, two_members):
    client.force_login(world.other_facilitator)
    url = reverse("members:couples")
    response = client.post(url, {"first": two_members[0].pk, "second": two_members[0].pk})
    assert response.status_code == 400
    assert "Choose two different people." in response.content.decode()
    response = client.post(url, {"first": two_members[0].pk, "second": two_members[1].pk})
    assert response.status_code == 302
    body = client.get(url).content.decode()
    assert "Ari" in body and "Bo" in body
    # The member's couple (linked by the other facilitator's colleague) stays out of view.
    assert "Alex" not in body


def test_couples_page_is_not_for_members(client, world):
    client.force_login(world.member)
    assert client.get(reverse("members:couples")).status_code == 404
