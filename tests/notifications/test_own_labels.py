"""A member's own name for a group in what they are sent (issue 14, point 18): the calendar
file attached to their emails is titled with it, in their language; everyone else's keeps
the neutral title. A name that would not be discreet never stops the email."""

import datetime

import pytest
import time_machine
from icalendar import Calendar

from groups.services import group_label_set
from notifications import api
from notifications.delivery import notification_deliver
from notifications.models import Channel, Kind, Notification, Status
from notifications.rendering import render_notification
from sessions import services as scheduling
from tests.factories import SessionFactory

NOW = datetime.datetime(2026, 11, 25, 12, tzinfo=datetime.UTC)
START = datetime.datetime(2026, 12, 1, 19, tzinfo=datetime.UTC)  # Tuesday 7 pm London
LABEL = "Wednesday walkers"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _events(ics: bytes) -> list:
    return list(Calendar.from_ical(ics).walk("VEVENT"))


def _reminder(person, session) -> Notification:
    api.session_changed(session.pk)  # re-derives the reminders
    return Notification.objects.filter(
        kind=Kind.REMINDER, recipient=person, session=session, channel=Channel.EMAIL
    ).latest("due_at")


def _attachment(rendered) -> bytes:
    (attachment,) = [a for a in rendered.attachments if a[2] == "text/calendar"]
    return attachment[1]


def test_the_reminders_calendar_file_uses_the_members_own_name(world):
    group_label_set(member=world.member, group=world.addict_group, label=LABEL)
    session = SessionFactory(group=world.addict_group, starts_at=START)
    mine = render_notification(_reminder(world.member, session))
    assert [str(e["summary"]) for e in _events(_attachment(mine))] == [LABEL]
    # A co-member's and the facilitator-free neutral title: never the member's label.
    theirs = render_notification(_reminder(world.co_member, session))
    (event,) = _events(_attachment(theirs))
    assert LABEL not in str(event["summary"]) and LABEL not in theirs.outbound_text()


def test_the_calendar_file_is_in_the_members_language(world):
    world.member.language = "fr"
    world.member.save(update_fields=["language"])
    group_label_set(member=world.member, group=world.addict_group, label=LABEL)
    session = SessionFactory(group=world.addict_group, starts_at=START)
    (event,) = _events(_attachment(render_notification(_reminder(world.member, session))))
    assert str(event["summary"]) == LABEL
    assert str(event["description"]).startswith("Détails et lien")


def test_a_cancellation_and_a_series_notice_carry_the_label_too(world):
    group_label_set(member=world.member, group=world.addict_group, label=LABEL)
    session = SessionFactory(group=world.addict_group, starts_at=START)
    scheduling.session_cancel(session=session, actor=world.facilitator, reason="")
    row = Notification.objects.get(
        kind=Kind.SESSION_CANCELLED, recipient=world.member, channel=Channel.EMAIL
    )
    assert [str(e["summary"]) for e in _events(_attachment(render_notification(row)))] == [LABEL]
    later = SessionFactory(group=world.addict_group, starts_at=START + datetime.timedelta(weeks=1))
    was = {later.pk: (later.starts_at, later.ends_at)}
    later.starts_at += datetime.timedelta(minutes=15)
    later.ends_at += datetime.timedelta(minutes=15)
    later.save()
    api.series_changed(moved=was, cancelled_ids=[])
    for person, expected in ((world.member, True), (world.co_member, False)):
        row = Notification.objects.get(
            kind=Kind.SERIES_CHANGED, recipient=person, channel=Channel.EMAIL
        )
        (event,) = _events(_attachment(render_notification(row)))
        assert (str(event["summary"]) == LABEL) is expected


def test_a_label_that_is_not_discreet_gives_way_to_the_neutral_title(world):
    group_label_set(member=world.member, group=world.addict_group, label="Addiction group")
    session = SessionFactory(group=world.addict_group, starts_at=START)
    row = _reminder(world.member, session)
    (event,) = _events(_attachment(render_notification(row)))
    assert "Addiction" not in str(event["summary"])
    # ...so the email still goes.
    Notification.objects.filter(pk=row.pk).update(due_at=NOW)
    assert notification_deliver(row.pk) == "sent"
    row.refresh_from_db()
    assert row.status == Status.SENT
