"""Readings shared one after another reach each member as one message, not one apiece."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.core import mail

from notifications import delivery, services, tasks
from notifications.models import Channel, Kind, Notification, Status
from notifications.selectors import inbox_link
from tests.factories import MaterialFactory

NOW = datetime.datetime(2026, 11, 25, 12, tzinfo=datetime.UTC)
SETTLE = datetime.timedelta(minutes=5)


def share(group, at=NOW, **fields):
    """A reading item made visible at `at`, and its notices, as the materials app does."""
    with time_machine.travel(at, tick=False):
        material = MaterialFactory(group=group, visible_from=fields.pop("visible_from", at))
        services.notify_material_published(material)
    return material


def deliver(capture, at):
    with time_machine.travel(at, tick=False), capture(execute=True):
        delivery.outbox_dispatch(send=tasks.deliver_batch.delay)


def readings(**filters):
    return Notification.objects.filter(kind=Kind.MATERIAL_PUBLISHED, **filters)


def emails_to(person):
    return [message for message in mail.outbox if message.to == [person.email]]


def test_three_items_shared_in_a_row_go_to_each_member_as_one_message(
    world, django_capture_on_commit_callbacks
):
    items = [share(world.addict_group, NOW + datetime.timedelta(minutes=n)) for n in range(3)]
    waiting = readings(status=Status.PENDING)
    # One notice per member and channel, due a few minutes after the first item, holding
    # the other two; the others' own rows record why they were not sent.
    assert waiting.count() == 4
    assert {row.due_at for row in waiting} == {NOW + SETTLE}
    assert all(row.details["also"] == [items[1].pk, items[2].pk] for row in waiting)
    told = readings(status=Status.SKIPPED)
    assert told.count() == 8
    assert set(told.values_list("last_error", flat=True)) == {services.TOLD_WITH_ANOTHER}

    deliver(django_capture_on_commit_callbacks, NOW + SETTLE)

    for person in (world.member, world.co_member):
        (message,) = emails_to(person)
        assert message.subject == "3 new things to read"
        assert "3 new things have been shared with you to read." in message.body
        assert f"{settings.SITE_URL}/reading/\n" in message.body  # the list, not one item
        assert all(f"/reading/{item.pk}/" not in message.body for item in items)
        (in_app,) = readings(recipient=person, channel=Channel.IN_APP, status=Status.SENT)
        assert in_app.body == "3 new things have been shared with you to read."
        assert inbox_link(in_app) == "/reading/"
    # Nobody outside the group hears of any of it.
    assert len(mail.outbox) == 2


def test_each_person_is_told_only_of_the_items_that_reach_them(
    world, django_capture_on_commit_callbacks
):
    """An addict group's item and a partner group's item shared at once stay apart."""
    addict_item = share(world.addict_group)
    partner_item = share(world.partner_group, NOW + datetime.timedelta(minutes=1))
    deliver(django_capture_on_commit_callbacks, NOW + SETTLE + datetime.timedelta(minutes=1))
    (to_member,) = emails_to(world.member)
    (to_partner,) = emails_to(world.partner)
    assert to_member.subject == to_partner.subject == "Something new to read"
    assert f"/reading/{addict_item.pk}/" in to_member.body
    assert f"/reading/{partner_item.pk}/" in to_partner.body
    assert not readings(status=Status.SKIPPED).exists()


def test_telling_an_item_twice_still_tells_it_once(world):
    first = share(world.addict_group)
    second = share(world.addict_group, NOW + datetime.timedelta(minutes=1))
    before = list(readings().order_by("pk").values_list("pk", "status", "details"))
    with time_machine.travel(NOW + datetime.timedelta(minutes=2), tick=False):
        services.notify_material_published(second)
        services.notify_material_published(first)
    assert list(readings().order_by("pk").values_list("pk", "status", "details")) == before
    assert all(row.details == {"also": [second.pk]} for row in readings(status=Status.PENDING))


def test_an_item_shared_after_the_notice_went_is_told_on_its_own(
    world, django_capture_on_commit_callbacks
):
    share(world.addict_group)
    deliver(django_capture_on_commit_callbacks, NOW + SETTLE)
    later = share(world.addict_group, NOW + SETTLE + datetime.timedelta(minutes=1))
    deliver(django_capture_on_commit_callbacks, NOW + 2 * SETTLE + datetime.timedelta(minutes=1))
    first, second = emails_to(world.member)
    assert first.subject == second.subject == "Something new to read"
    assert f"/reading/{later.pk}/" in second.body
    assert not readings(status=Status.SKIPPED).exists()


def test_a_notice_the_dispatcher_has_taken_is_not_added_to(world):
    share(world.addict_group)
    with time_machine.travel(NOW + SETTLE, tick=False):
        assert len(delivery.outbox_claim_due()) == 4  # taken, not yet sent
    later = share(world.addict_group, NOW + SETTLE)
    assert readings(object_id=later.pk, status=Status.PENDING).count() == 4
    assert not any(row.details.get("also") for row in readings(status=Status.PENDING))


def test_an_item_visible_only_later_waits_for_its_own_time(world):
    share(world.addict_group)
    next_week = NOW + datetime.timedelta(days=7)
    later = share(world.addict_group, visible_from=next_week)
    own = readings(object_id=later.pk)
    assert {row.status for row in own} == {Status.PENDING}
    assert {row.due_at for row in own} == {next_week + SETTLE}
    # ...and a notice waiting for next week does not hold back an item shared today.
    today = share(world.addict_group, NOW + datetime.timedelta(minutes=1))
    assert {row.status for row in readings(object_id=today.pk)} == {Status.SKIPPED}
    assert all(
        row.details == {"also": [today.pk]}
        for row in readings(status=Status.PENDING, due_at=NOW + SETTLE)
    )


@pytest.mark.parametrize("removed", ["one", "all"])
def test_items_removed_before_the_notice_goes_are_left_out(
    world, django_capture_on_commit_callbacks, removed
):
    items = [share(world.addict_group, NOW + datetime.timedelta(minutes=n)) for n in range(3)]
    gone = items[:1] if removed == "one" else items
    for item in gone:
        item.delete()
    deliver(django_capture_on_commit_callbacks, NOW + SETTLE)
    if removed == "one":
        (message,) = emails_to(world.member)
        assert message.subject == "2 new things to read"
    else:
        assert emails_to(world.member) == []
        notices = readings(recipient=world.member, details__has_key="also")
        assert {row.status for row in notices} == {Status.SKIPPED}
        assert {row.last_error for row in notices} == {"what it was about has been removed"}


def test_one_item_left_of_several_links_to_that_item(world, django_capture_on_commit_callbacks):
    items = [share(world.addict_group, NOW + datetime.timedelta(minutes=n)) for n in range(2)]
    items[0].delete()
    deliver(django_capture_on_commit_callbacks, NOW + SETTLE)
    (message,) = emails_to(world.member)
    assert message.subject == "Something new to read"
    assert f"/reading/{items[1].pk}/" in message.body


def test_the_message_about_several_items_reads_well_in_every_language(
    world, django_capture_on_commit_callbacks
):
    world.member.language = "fr"
    world.member.save(update_fields=["language"])
    world.co_member.language = "es"
    world.co_member.save(update_fields=["language"])
    for n in range(2):
        share(world.addict_group, NOW + datetime.timedelta(minutes=n))
    deliver(django_capture_on_commit_callbacks, NOW + SETTLE)
    (french,) = emails_to(world.member)
    (spanish,) = emails_to(world.co_member)
    assert "things" not in french.subject and "2" in french.subject
    assert "things" not in spanish.subject and "2" in spanish.subject
    assert french.subject != spanish.subject
