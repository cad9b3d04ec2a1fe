"""A member's own name for a group (issue 14, point 18): set and cleared by the member only,
shown on their own screens, never to facilitators, staff or co-members; exported and erased
with the rest of their data."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from groups import listings, services
from groups.labels import labels_of, name_for
from groups.models import EnrollmentStatus, GroupLabel
from groups.selectors import export_labels
from privacy.export import member_data
from privacy.services import member_erase
from sessions.selectors import with_next_session
from tests.factories import EnrollmentFactory, MaterialFactory, SessionFactory

NOW = datetime.datetime(2026, 11, 30, 12, tzinfo=datetime.UTC)
LABEL = "Wednesday walkers"


def _label(world, text=LABEL):
    return services.group_label_set(member=world.member, group=world.addict_group, label=text)


def _page(client, user, name="groups:detail", *args):
    client.force_login(user)
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    return response.content.decode()


# --- the service -----------------------------------------------------------------------------


def test_a_label_is_trimmed_saved_and_replaced(world):
    _label(world, "  Tuesday group  ")
    assert name_for(world.member, world.addict_group) == "Tuesday group"
    _label(world, "Book club")
    (row,) = GroupLabel.objects.filter(member=world.member)
    assert row.label == "Book club"
    # Only the member sees it: everyone else keeps the real name.
    for other in (world.co_member, world.facilitator, world.staff):
        assert name_for(other, world.addict_group) == "Tuesday evening"


@pytest.mark.parametrize(
    "text",
    ["", "   ", "x" * 61, "Book\nclub", "Book\tclub", "Book\x00club", "Book\u202eclub", "a\u2028b"],
)
def test_bad_labels_are_refused_and_change_nothing(world, text):
    _label(world, "Before")
    with pytest.raises(ValidationError) as refused:
        _label(world, text)
    assert "label" in refused.value.message_dict
    assert name_for(world.member, world.addict_group) == "Before"


@pytest.mark.parametrize("text", ["x" * 60, "Café du lundi", "👨‍👩‍👧 time", "Mon · Wed"])
def test_ordinary_labels_up_to_sixty_characters_are_kept(world, text):
    assert _label(world, text).label == text


def test_only_a_current_member_may_name_a_group(world):
    # The facilitator, staff, a member of another group: refused, nothing saved.
    for person in (world.facilitator, world.staff, world.partner):
        with pytest.raises(ValidationError):
            services.group_label_set(member=person, group=world.addict_group, label=LABEL)
    # A member who left no longer names it.
    stint = world.addict_group.enrollments.get(member=world.member)
    stint.status = EnrollmentStatus.LEFT
    stint.save()
    with pytest.raises(ValidationError):
        _label(world)
    assert not GroupLabel.objects.exists()


def test_an_invited_member_may_name_the_group(world):
    EnrollmentFactory(
        group=world.couples_group, member=world.outsider, status=EnrollmentStatus.INVITED
    )
    services.group_label_set(member=world.outsider, group=world.couples_group, label="Saturdays")
    assert name_for(world.outsider, world.couples_group) == "Saturdays"


def test_clearing_goes_back_to_the_group_name(world):
    _label(world)
    assert services.group_label_clear(member=world.member, group=world.addict_group) is True
    assert services.group_label_clear(member=world.member, group=world.addict_group) is False
    assert name_for(world.member, world.addict_group) == "Tuesday evening"


def test_labels_of_lists_only_labels_set(world, django_assert_num_queries):
    _label(world)
    groups = [world.addict_group, world.partner_group]
    with django_assert_num_queries(1):
        assert labels_of(world.member, groups) == {world.addict_group.pk: LABEL}
    assert labels_of(world.co_member, groups) == {}


# --- the form on the group page ---------------------------------------------------------------


def test_member_sets_a_label_from_the_group_page(client, world):
    body = _page(client, world.member, "groups:detail", world.addict_group.pk)
    assert "Call this group something else on my screens" in body
    assert 'name="clear"' not in body  # nothing to clear yet

    url = reverse("groups:label", args=[world.addict_group.pk])
    response = client.post(url, {"label": " Book club "}, follow=True)
    body = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("groups:detail", args=[world.addict_group.pk])
    assert "Your screens, emails and calendar now call this group “Book club”" in body
    assert "<title>Book club" in body
    assert "<h1>Book club</h1>" in body
    assert "Tuesday evening" not in body
    assert 'name="clear"' in body

    response = client.post(url, {"label": "Book club", "clear": "1"}, follow=True)
    body = response.content.decode()
    assert "own name again" in body
    assert "<h1>Tuesday evening</h1>" in body
    assert not GroupLabel.objects.exists()


def test_a_bad_label_shows_the_page_again_with_a_message(client, world):
    _label(world)
    client.force_login(world.member)
    url = reverse("groups:label", args=[world.addict_group.pk])
    for text, message in (
        ("", "Type a name"),
        ("x" * 300, "60 characters or fewer"),
        ("Line\r\nbreak", "one line of ordinary characters"),
    ):
        response = client.post(url, {"label": text})
        assert response.status_code == 400
        body = response.content.decode()
        assert message in body
        assert "<details open>" in body  # the form stays in view, with its message
    assert GroupLabel.objects.get().label == LABEL


def test_only_members_of_the_group_reach_the_form(client, world):
    url = reverse("groups:label", args=[world.addict_group.pk])
    for person in (world.partner, world.facilitator, world.staff, world.outsider):
        client.force_login(person)
        assert client.post(url, {"label": LABEL}).status_code == 404
    client.force_login(world.member)
    assert client.get(url).status_code == 405
    assert not GroupLabel.objects.exists()
    # Facilitators never see the form on their group's page.
    body = _page(client, world.facilitator, "groups:detail", world.addict_group.pk)
    assert "Call this group" not in body


def test_a_label_never_reaches_anyone_else(client, world):
    _label(world)
    pages = [("groups:detail", world.addict_group.pk), ("groups:list",), ("home",)]
    for person in (world.co_member, world.facilitator, world.staff):
        for name, *args in pages:
            body = _page(client, person, name, *args)
            assert LABEL not in body, (person, name)
    body = _page(client, world.facilitator, "groups:roster", world.addict_group.pk)
    assert LABEL not in body and "Tuesday evening" in body


# --- lists ------------------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_home_and_groups_list_use_the_label(client, world):
    SessionFactory(group=world.addict_group)
    _label(world)
    for name in ("home", "groups:list"):
        body = _page(client, world.member, name)
        assert LABEL in body
        assert "Tuesday evening" not in body


@time_machine.travel(NOW, tick=False)
def test_member_groups_with_labels_is_still_one_query(django_assert_num_queries, world):
    SessionFactory(group=world.addict_group)
    EnrollmentFactory(group=world.partner_group, member=world.member)
    _label(world, "Zebra")  # sorted by the name the member sees
    with django_assert_num_queries(1):
        groups = list(with_next_session(listings.member_groups(world.member)))
    assert [(g.own_label, g.name) for g in groups] == [
        (None, "Thursday evening"),
        ("Zebra", "Tuesday evening"),
    ]


@time_machine.travel(NOW, tick=False)
def test_reading_list_uses_the_label_in_one_query_for_the_list(
    client, world, django_assert_max_num_queries
):
    session = SessionFactory(group=world.addict_group, starts_at=NOW + datetime.timedelta(days=1))
    MaterialFactory(group=world.addict_group, session=session, visible_from=NOW)
    _label(world)
    client.force_login(world.member)
    url = reverse("materials:list")
    client.get(url)
    with django_assert_max_num_queries(50) as one:
        body = client.get(url).content.decode()
    assert f"· {LABEL}" in body and "Tuesday evening" not in body
    for _ in range(4):
        MaterialFactory(group=world.addict_group, session=session, visible_from=NOW)
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(url)
    assert "Tuesday evening" in _page(client, world.co_member, "materials:list")


# --- privacy ----------------------------------------------------------------------------------


def test_labels_are_in_the_members_export_only(world):
    _label(world)
    services.group_label_set(member=world.co_member, group=world.addict_group, label="Mine")
    (row,) = export_labels(world.member.pk)
    assert row["group"] == "Tuesday evening" and row["your_name_for_it"] == LABEL
    (mine,) = member_data(world.member.pk)["group_labels"]
    assert mine["your_name_for_it"] == LABEL


def test_erasure_deletes_the_members_labels_only(world):
    _label(world)
    services.group_label_set(member=world.co_member, group=world.addict_group, label="Mine")
    member_erase(member=world.member, actor=world.staff)
    assert not GroupLabel.objects.filter(member=world.member).exists()
    assert GroupLabel.objects.filter(member=world.co_member).exists()
    services.forget_member(world.member.pk)  # again: nothing more to do, no error
