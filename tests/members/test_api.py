"""members.api: the one way groups asks members, by id. Each answer matches members' own."""

import pytest

from members import api, permissions
from members.models import Couple


def test_current_couple_and_partner_by_id(world):
    couple = Couple.objects.get(first=world.member)
    found = api.current_couple(world.member.pk)
    assert found == api.CoupleIds(
        id=couple.pk, first_id=world.member.pk, second_id=world.partner.pk
    )
    assert found is not None and found.member_ids == (world.member.pk, world.partner.pk)
    assert api.partner_id(world.member.pk) == world.partner.pk
    assert api.partner_id(world.partner.pk) == world.member.pk
    assert api.current_couple(world.co_member.pk) is None
    assert api.partner_id(world.co_member.pk) is None


def test_an_ended_couple_is_no_couple(world):
    Couple.objects.filter(first=world.member).update(ended_at="2026-01-01T00:00Z")
    assert api.current_couple(world.member.pk) is None


@pytest.mark.parametrize(
    "persona", ["staff", "facilitator", "other_facilitator", "member", "partner", "outsider"]
)
def test_who_an_actor_may_see_is_members_permissions_answer(world, persona):
    actor = getattr(world, persona)
    expected = set(permissions.members_visible_to(actor).values_list("pk", flat=True))
    assert {row["pk"] for row in api.member_ids_visible_to(actor.pk)} == expected
    for person in (world.member, world.partner, world.outsider):
        assert api.member_visible_to(actor.pk, person.pk) == (person.pk in expected)
    couple = Couple.objects.get(first=world.member)
    # Adding a couple from a roster asks who may add them, a wider question than who is
    # shown the couple on the Couples page (members.permissions.couples_visible_to).
    can_see_couple = permissions.couples_joinable_by(actor).filter(pk=couple.pk).exists()
    assert api.couple_visible_to(actor.pk, couple.pk) == can_see_couple
    coupled = {row["pk"] for row in api.coupled_member_ids_visible_to(actor.pk)}
    assert coupled == ({world.member.pk, world.partner.pk} if can_see_couple else set())


def test_facilitator_ids_are_the_facilitators(world):
    ids = {row["pk"] for row in api.facilitator_ids()}
    assert ids == {world.facilitator.pk, world.other_facilitator.pk}
