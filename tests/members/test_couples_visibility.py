"""Minimum necessary for couples: a couple is shown only to staff and to the facilitators of a
couples group both partners are in; unlinking is theirs alone (404 for everyone else).

The world: Alex (world.member) and Jordan (world.partner) are a couple that Fran
(world.facilitator, Alex's recovery group) linked; Olly (world.other_facilitator) runs Jordan's
partner group and the couples group.
"""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from members.models import Couple
from members.services.couples import couple_unlink
from tests.factories import EnrollmentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def couple(world):
    return Couple.objects.get(first=world.member)


def _in_couples_group(world, *people, status="active"):
    for person in people:
        EnrollmentFactory(group=world.couples_group, member=person, status=status)


def _couples_page(client, person) -> str:
    client.force_login(person)
    response = client.get(reverse("members:couples"))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("persona", "shown"),
    [("staff", True), ("other_facilitator", True), ("facilitator", False)],
)
def test_the_couples_page_shows_a_couple_to_its_couples_groups_facilitators(
    client, world, couple, persona, shown
):
    # GIVEN both partners in the couples group Olly runs
    _in_couples_group(world, world.member, world.partner)
    # WHEN each facilitator opens the Couples page
    body = _couples_page(client, getattr(world, persona))
    # THEN staff and Olly see the couple; Fran, who linked it, does not
    unlink = reverse("members:couple_unlink", args=[couple.pk])
    assert (unlink in body) is shown
    assert ("Jordan" in body) is shown


def test_one_partner_in_the_couples_group_is_not_enough(client, world, couple):
    # GIVEN only Alex in the couples group
    _in_couples_group(world, world.member)
    # WHEN Olly opens the Couples page
    body = _couples_page(client, world.other_facilitator)
    # THEN the couple is not shown
    assert reverse("members:couple_unlink", args=[couple.pk]) not in body


def test_a_couple_that_left_the_couples_group_is_no_longer_shown(client, world, couple):
    # GIVEN a couple whose stints in the couples group have ended
    _in_couples_group(world, world.member, world.partner, status="left")
    # WHEN Olly opens the Couples page THEN the couple is not shown
    body = _couples_page(client, world.other_facilitator)
    assert reverse("members:couple_unlink", args=[couple.pk]) not in body


def test_the_recovery_groups_facilitator_does_not_learn_the_partner(client, world, couple):
    # GIVEN the couple in the couples group
    _in_couples_group(world, world.member, world.partner)
    # WHEN Fran opens Alex's page
    client.force_login(world.facilitator)
    body = client.get(reverse("members:person", args=[world.member.pk])).content.decode()
    # THEN the page does not name Alex's partner
    assert "Jordan" not in body


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("facilitator", 404),
        ("member", 404),
        ("partner", 404),
        ("other_facilitator", 302),
    ],
)
def test_unlinking_is_for_the_couples_groups_facilitators_and_staff(
    client, world, couple, persona, status
):
    # GIVEN the couple in the couples group Olly runs
    _in_couples_group(world, world.member, world.partner, status="invited")
    # WHEN someone posts the unlink button
    client.force_login(getattr(world, persona))
    response = client.post(reverse("members:couple_unlink", args=[couple.pk]), {"confirmed": "1"})
    # THEN Olly ends the couple; for everyone else it is 404 and the couple stands
    assert response.status_code == status
    couple.refresh_from_db()
    assert (couple.ended_at is not None) is (status == 302)


def test_staff_unlink_any_couple(client, world, couple):
    # GIVEN the couple in no couples group
    # WHEN staff unlink it
    client.force_login(world.staff)
    response = client.post(reverse("members:couple_unlink", args=[couple.pk]), {"confirmed": "1"})
    # THEN it has ended
    assert response.status_code == 302
    couple.refresh_from_db()
    assert couple.ended_at is not None


def test_the_service_refuses_anyone_else(world, couple):
    # GIVEN the couple in no couples group, and a facilitator of another couples group
    stranger = UserFactory(facilitator=True)
    world.couples_group.facilitators.add(stranger)
    # WHEN Fran (who linked it) or that facilitator asks the service to unlink it
    # THEN it is refused and the couple stands
    for actor in (world.facilitator, stranger):
        with pytest.raises(ValidationError, match="cannot unlink"):
            couple_unlink(couple=couple, actor=actor)
    couple.refresh_from_db()
    assert couple.ended_at is None


def test_linking_outside_a_couples_group_says_what_to_do_next(client, world):
    # GIVEN two members of Fran's recovery group, in no couples group
    first = world.co_member
    second = UserFactory(display_name="Drew")
    EnrollmentFactory(group=world.addict_group, member=second)
    # WHEN Fran links them
    client.force_login(world.facilitator)
    response = client.post(
        reverse("members:couples"), {"first": first.pk, "second": second.pk}, follow=True
    )
    # THEN they are linked, she is told to add them to a couples group, and they are not listed
    body = response.content.decode()
    assert "Add them to a couples group from its roster." in body
    assert Couple.objects.filter(first=first, second=second, ended_at=None).exists()
    couple = Couple.objects.get(first=first)
    assert reverse("members:couple_unlink", args=[couple.pk]) not in body
