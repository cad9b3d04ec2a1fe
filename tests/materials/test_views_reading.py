"""The reading list, read receipts, and who sees who has read what."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from groups.models import GroupKind
from materials import selectors
from materials.models import Reading
from tests.factories import (
    EnrollmentFactory,
    GroupFactory,
    MaterialFactory,
    ReadingFactory,
    SessionFactory,
    UserFactory,
)

NOW = datetime.datetime(2026, 11, 20, 18, 0, tzinfo=datetime.UTC)
DAY = datetime.timedelta(days=1)


def _titles(response) -> list[str]:
    return [item.title for item in response.context["items"]]


@time_machine.travel(NOW, tick=False)
def test_reading_list_spans_groups_newest_first_with_unread_markers(client, world):
    couples_session = SessionFactory(group=world.couples_group, starts_at=NOW + 4 * DAY)
    EnrollmentFactory(group=world.couples_group, member=world.member)
    older = MaterialFactory(group=world.addict_group, title="Older", visible_from=NOW - 3 * DAY)
    newer = MaterialFactory(
        group=world.couples_group,
        session=couples_session,
        title="For Tuesday",
        visible_from=NOW - DAY,
    )
    MaterialFactory(group=world.addict_group, title="Not yet", visible_from=NOW + DAY)
    MaterialFactory(group=world.partner_group, title="Partner only")
    ReadingFactory(material=older, member=world.member)
    client.force_login(world.member)

    response = client.get(reverse("materials:list"))

    assert _titles(response) == ["For Tuesday", "Older"]
    items = {item.pk: item for item in response.context["items"]}
    assert items[newer.pk].is_read is False and items[older.pk].is_read is True
    assert response.content.decode().count("unread-marker") == 1
    assert "Read before Tuesday 24 November" in response.content.decode()


@time_machine.travel(NOW, tick=False)
def test_reading_list_query_count(world, django_assert_num_queries):
    session = SessionFactory(group=world.addict_group, starts_at=NOW + DAY)
    for day in range(3):
        MaterialFactory(group=world.addict_group, session=session, visible_from=NOW - day * DAY)
    MaterialFactory(group=None, kind=GroupKind.ADDICT)
    # 1: items with their group, session and read flag in one go.
    with django_assert_num_queries(1):
        items = list(selectors.reading_list(world.member))
        starts = [item.session.starts_at for item in items if item.session_id]
        assert starts == [session.starts_at] * 3
        assert {item.group_id for item in items} == {world.addict_group.pk, None}


@time_machine.travel(NOW, tick=False)
def test_reading_list_page_does_not_query_per_item(client, world):
    client.force_login(world.member)
    client.get(reverse("materials:list"))  # the first request records the browser session
    MaterialFactory(group=world.addict_group)
    with CaptureQueriesContext(connection) as one_item:
        client.get(reverse("materials:list"))
    for _ in range(4):
        MaterialFactory(group=world.addict_group, session=SessionFactory(group=world.addict_group))
    with CaptureQueriesContext(connection) as five_items:
        client.get(reverse("materials:list"))
    assert len(five_items) == len(one_item)


def test_opening_an_item_does_not_mark_it_read_the_member_does(client, world):
    # GIVEN an item for the member's group
    material = MaterialFactory(group=world.addict_group)
    client.force_login(world.member)
    url = reverse("materials:detail", kwargs={"pk": material.pk})
    # WHEN they open it, THEN it is not counted as read (a glance is not reading)
    response = client.get(url)
    assert response.status_code == 200
    assert "I've read it" in response.content.decode()
    assert not Reading.objects.filter(material=material, member=world.member).exists()
    # WHEN they say they have read it, THEN it counts once, and they come back to the item
    response = client.post(
        reverse("materials:mark_read", kwargs={"pk": material.pk}), {"next": url}
    )
    assert response["Location"] == url
    client.post(reverse("materials:mark_read", kwargs={"pk": material.pk}))
    assert Reading.objects.filter(material=material, member=world.member).count() == 1
    # WHEN they change their mind, THEN it is unread again
    client.post(reverse("materials:mark_unread", kwargs={"pk": material.pk}), {"next": url})
    assert not Reading.objects.filter(material=material, member=world.member).exists()
    assert "I've read it" in client.get(url).content.decode()


def test_marking_read_records_it_and_returns_to_the_list(client, world):
    material = MaterialFactory(group=world.addict_group)
    client.force_login(world.co_member)

    response = client.post(reverse("materials:mark_read", kwargs={"pk": material.pk}))

    assert response.status_code == 302
    assert response["Location"] == reverse("materials:list")
    assert Reading.objects.filter(material=material, member=world.co_member).exists()


def test_facilitators_opening_an_item_are_not_counted_as_readers(client, world):
    material = MaterialFactory(group=world.addict_group)
    for person in (world.facilitator, world.staff):
        client.force_login(person)
        client.get(reverse("materials:detail", kwargs={"pk": material.pk}))
    assert not Reading.objects.exists()


def test_facilitator_sees_who_has_read_each_item(client, world):
    material = MaterialFactory(group=world.addict_group)
    ReadingFactory(material=material, member=world.member)
    client.force_login(world.facilitator)

    response = client.get(reverse("materials:detail", kwargs={"pk": material.pk}))

    readers = {person.display_name: person.read_at for person in response.context["readers"]}
    assert set(readers) == {"Alex", "Casey"}
    assert readers["Alex"] is not None and readers["Casey"] is None
    group_page = client.get(reverse("materials:group", kwargs={"group_pk": world.addict_group.pk}))
    assert [item.read_count for item in group_page.context["items"]] == [1]


def test_a_member_never_sees_who_else_read_it(client, world):
    material = MaterialFactory(group=world.addict_group)
    ReadingFactory(material=material, member=world.member)
    client.force_login(world.co_member)

    response = client.get(reverse("materials:detail", kwargs={"pk": material.pk}))

    assert response.context["readers"] is None
    assert "Alex" not in response.content.decode()
    assert "Who has read it" not in response.content.decode()


def test_kind_wide_material_reaches_every_group_of_that_kind_and_no_other(client, world):
    second_partner_group = GroupFactory(kind=GroupKind.PARTNER)
    newcomer = UserFactory(display_name="Robin")
    EnrollmentFactory(group=second_partner_group, member=newcomer)
    material = MaterialFactory(group=None, kind=GroupKind.PARTNER, title="For partners")

    for person in (world.partner, world.other_kind_member, newcomer):
        client.force_login(person)
        assert _titles(client.get(reverse("materials:list"))) == ["For partners"]
    for person in (world.member, world.co_member, world.outsider):
        client.force_login(person)
        assert _titles(client.get(reverse("materials:list"))) == []
        detail = client.get(reverse("materials:detail", kwargs={"pk": material.pk}))
        assert detail.status_code == 404


def test_kind_wide_readers_are_shown_per_facilitators_own_groups(client, world):
    second_partner_group = GroupFactory(kind=GroupKind.PARTNER)
    elsewhere = UserFactory(display_name="Robin")
    EnrollmentFactory(group=second_partner_group, member=elsewhere)
    material = MaterialFactory(group=None, kind=GroupKind.PARTNER)
    ReadingFactory(material=material, member=elsewhere)
    client.force_login(world.other_facilitator)

    response = client.get(reverse("materials:detail", kwargs={"pk": material.pk}))

    names = {person.display_name for person in response.context["readers"]}
    assert names == {"Jordan", "Morgan"}
    group_page = client.get(reverse("materials:group", kwargs={"group_pk": world.partner_group.pk}))
    assert [item.read_count for item in group_page.context["items"]] == [0]


def test_facilitator_of_another_kind_cannot_open_kind_wide_material(client, world):
    material = MaterialFactory(group=None, kind=GroupKind.PARTNER)
    client.force_login(world.facilitator)
    response = client.get(reverse("materials:detail", kwargs={"pk": material.pk}))
    assert response.status_code == 404


@pytest.mark.parametrize("body", ["<script>alert(1)</script>Hello", "[x](javascript:alert(1))"])
def test_text_is_rendered_without_script(client, world, body):
    material = MaterialFactory(group=world.addict_group, body=body)
    client.force_login(world.member)
    html = client.get(reverse("materials:detail", kwargs={"pk": material.pk})).content.decode()
    assert "<script>alert" not in html
    assert "javascript:" not in html


def test_home_panel_counts_unread_items(client, world):
    MaterialFactory(group=world.addict_group)
    MaterialFactory(group=world.partner_group)
    client.force_login(world.member)
    assert "1 new item to read" in client.get(reverse("home")).content.decode()
