"""The in-app list is rendered when shown: in the reader's language and zone now, with the
names they give their groups now; a page costs the same queries for 1 item or 15; an item
whose subject is gone shows what was stored."""

import datetime

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from groups.models import EnrollmentStatus
from groups.services import group_label_clear, group_label_set
from materials.models import Material
from notifications.delivery import notification_deliver
from notifications.models import Channel, Kind, Notification, Status
from sessions import services as scheduling
from tests.factories import (
    EnrollmentFactory,
    GroupFactory,
    MaterialFactory,
    SessionFactory,
)
from tests.factories.measures import AlertFactory
from tests.factories.notifications import NotificationFactory

NOW = datetime.datetime(2026, 11, 25, 12, tzinfo=datetime.UTC)
START = datetime.datetime(2026, 12, 1, 19, tzinfo=datetime.UTC)  # Tuesday 7 pm London


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _cancel_and_deliver(world, session) -> Notification:
    scheduling.session_cancel(session=session, actor=world.facilitator, reason="Holiday")
    row = Notification.objects.get(
        recipient=world.member, kind=Kind.SESSION_CANCELLED, channel=Channel.IN_APP
    )
    notification_deliver(row.pk)
    row.refresh_from_db()
    assert row.status == Status.SENT
    return row


def _items(client):
    response = client.get(reverse("notifications:inbox"))
    assert response.status_code == 200
    return [(item.title, item.body) for item in response.context["items"]]


def test_a_notice_delivered_in_english_reads_in_french_after_the_switch(world, client):
    row = _cancel_and_deliver(world, SessionFactory(group=world.addict_group, starts_at=START))
    assert row.title == "Cancelled: your Tuesday 7 pm session"  # as stored at delivery
    client.force_login(world.member)
    assert _items(client) == [
        (
            "Cancelled: your Tuesday 7 pm session",
            "Tuesday 1 December, 7 pm is cancelled. The reason: Holiday",
        )
    ]
    world.member.language = "fr"
    world.member.save(update_fields=["language"])
    ((title, body),) = _items(client)
    assert title.startswith("Annulée : votre séance du mardi")
    assert body.startswith("mardi 1 décembre") and "annulée." in body
    # And in their zone now: 7 pm London is 2 pm in New York.
    world.member.time_zone = "America/New_York"
    world.member.save(update_fields=["time_zone"])
    ((title, body),) = _items(client)
    assert "14 h" in title and "14 h" in body


def test_a_notice_naming_a_group_follows_the_members_own_label(world, client):
    other = GroupFactory(name="Recovery circle B", facilitators=[world.other_facilitator])
    EnrollmentFactory(group=other, member=world.member)
    SessionFactory(group=other, starts_at=START + datetime.timedelta(minutes=30))
    world.addict_group.name = "Harbour group"
    world.addict_group.save()
    row = _cancel_and_deliver(world, SessionFactory(group=world.addict_group, starts_at=START))
    assert "This is about Harbour group." in row.body  # as stored at delivery
    client.force_login(world.member)
    group_label_set(member=world.member, group=world.addict_group, label="Wednesday walkers")
    html = client.get(reverse("notifications:inbox")).content.decode()
    assert "This is about Wednesday walkers." in html and "Harbour" not in html
    group_label_clear(member=world.member, group=world.addict_group)
    ((_title, body),) = _items(client)
    assert "This is about Harbour group." in body


def _page_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("notifications:inbox")).status_code == 200
    return len(queries)


def _sent(person, **kwargs):
    kwargs.setdefault("title", "Stored title")
    return NotificationFactory(
        recipient=person,
        channel=Channel.IN_APP,
        status=Status.SENT,
        sent_at=NOW,
        body="Stored body",
        **kwargs,
    )


def _one_of_each(world, i: int) -> None:
    """Every kind of member-facing in-app item, about its own session or reading."""
    starts = START + datetime.timedelta(days=7 * i)
    group = world.addict_group
    for kind in (Kind.REMINDER, Kind.SESSION_SCHEDULED, Kind.SESSION_CANCELLED):
        _sent(world.member, kind=kind, session=SessionFactory(group=group, starts_at=starts))
    moved = SessionFactory(group=group, starts_at=starts)
    _sent(
        world.member,
        kind=Kind.SESSION_MOVED,
        session=moved,
        details={"from": (starts - datetime.timedelta(hours=1)).isoformat()},
    )
    _sent(
        world.member,
        kind=Kind.SERIES_CHANGED,
        session=moved,
        details={"moved": [[moved.pk, starts.isoformat(), starts.isoformat(), starts.isoformat()]]},
    )
    material = MaterialFactory(group=group)
    _sent(
        world.member,
        kind=Kind.MATERIAL_PUBLISHED,
        session=None,
        content_type=ContentType.objects.get_for_model(Material),
        object_id=material.pk,
    )


def test_the_page_costs_the_same_for_one_item_or_fifteen(world, client):
    client.force_login(world.member)
    _sent(world.member, kind=Kind.REMINDER, session=SessionFactory(group=world.addict_group))
    client.get(reverse("notifications:inbox"))  # warm the user-session row and caches
    one = _page_queries(client)
    for _ in range(14):
        _sent(world.member, kind=Kind.REMINDER, session=SessionFactory(group=world.addict_group))
    assert _page_queries(client) == one


def test_a_page_of_every_kind_costs_the_same_for_few_or_many(world, client):
    client.force_login(world.member)
    _one_of_each(world, 0)
    client.get(reverse("notifications:inbox"))
    few = _page_queries(client)
    for i in range(1, 3):
        _one_of_each(world, i)
    assert Notification.objects.filter(recipient=world.member).count() >= 15
    assert _page_queries(client) == few
    assert all(body != "Stored body" for _title, body in _items(client))  # rendered now


def _facilitators_kinds(world, i: int) -> None:
    """A facilitator's items: who is coming, notes to finish, a follow-up, an alert."""
    fran, group = world.facilitator, world.addict_group
    session = SessionFactory(group=group, starts_at=START + datetime.timedelta(days=7 * i))
    _sent(fran, kind=Kind.FACILITATOR_DIGEST, session=session)
    _sent(fran, kind=Kind.NOTES_OUTSTANDING, session=None)
    enrollment = EnrollmentFactory(group=group)
    _sent(
        fran,
        kind=Kind.ABSENCE_FOLLOW_UP,
        session=None,
        content_type=ContentType.objects.get_for_model(enrollment),
        object_id=enrollment.pk,
    )
    alert = AlertFactory(group=group, response__member=enrollment.member)
    _sent(
        fran,
        kind=Kind.MEASURE_ALERT,
        session=None,
        content_type=ContentType.objects.get_for_model(alert),
        object_id=alert.pk,
    )


def test_a_facilitators_page_costs_the_same_for_few_or_many(world, client):
    client.force_login(world.facilitator)
    _facilitators_kinds(world, 0)
    client.get(reverse("notifications:inbox"))
    few = _page_queries(client)
    for i in range(1, 4):
        _facilitators_kinds(world, i)
    assert _page_queries(client) == few
    bodies = [body for _title, body in _items(client)]
    assert len(bodies) == 16 and "Stored body" not in bodies
    assert any(body.startswith("Going 0, maybe 0") for body in bodies)


def test_an_item_about_a_removed_session_or_reading_still_shows(world, client):
    gone = SessionFactory(group=world.addict_group, starts_at=START)
    kept = SessionFactory(group=world.addict_group, starts_at=START)
    _sent(
        world.member,
        kind=Kind.SERIES_CHANGED,
        session=kept,
        details={"cancelled": [[gone.pk, START.isoformat()]]},
    )
    gone.delete()
    material = MaterialFactory(group=world.addict_group)
    _sent(
        world.member,
        kind=Kind.MATERIAL_PUBLISHED,
        session=None,
        content_type=ContentType.objects.get_for_model(Material),
        object_id=material.pk,
        title="Something new to read",
    )
    material.delete()
    client.force_login(world.member)
    items = _items(client)
    assert ("Something new to read", "Stored body") in items  # stored text: it is gone
    (series_body,) = [body for title, body in items if "regular sessions" in title]
    assert "Tuesday 1 December, 7 pm" in series_body  # the date it was about, from the row


def test_after_leaving_the_group_an_item_shows_what_was_stored(world, client):
    row = _cancel_and_deliver(world, SessionFactory(group=world.addict_group, starts_at=START))
    world.member.enrollments.filter(group=world.addict_group).update(status=EnrollmentStatus.LEFT)
    world.member.language = "fr"
    world.member.save(update_fields=["language"])
    client.force_login(world.member)
    assert _items(client) == [(row.title, row.body)]


def test_the_list_shows_twenty_a_page(world, client):
    session = SessionFactory(group=world.addict_group, starts_at=START)
    for _ in range(21):
        _sent(world.member, kind=Kind.REMINDER, session=session)
    client.force_login(world.member)
    first = client.get(reverse("notifications:inbox"))
    second = client.get(reverse("notifications:inbox"), {"page": 2})
    assert len(first.context["items"]) == 20 and len(second.context["items"]) == 1
    assert "?page=2" in first.content.decode()
