"""A batch renders a message it sends alike to a session's members once, and fills in each
recipient's name and links (notifications.shared): byte for byte what rendering each message
on its own writes, for every kind it is used for, in every language, whatever the name holds."""

import datetime
import random

import pytest
import time_machine

from groups.models import GroupLabel
from notifications import rendering
from notifications.lookups import BatchLookups
from notifications.models import Channel, Kind, Notification
from notifications.shared import mark
from sessions.models import Answer
from tests.factories.groups import EnrollmentFactory
from tests.factories.members import UserFactory
from tests.factories.notifications import NotificationFactory
from tests.factories.sessions import RSVPFactory, SessionFactory

UTC = datetime.UTC
NOW = datetime.datetime(2026, 11, 28, 9, tzinfo=UTC)
START = datetime.datetime(2026, 12, 1, 19, tzinfo=UTC)
pytestmark = pytest.mark.django_db

NAMES = [
    "Alex",
    'Zoë & <Sam> "O\'Neil"',
    "José  Luis",  # two spaces: the subject folds whitespace, the body keeps it
    "  Ana ",
    "Ünal <b>bold</b>",
    "Ƨam &amp; co",
    "名前",
]
LANGUAGES = ["en", "fr", "es"]
ZONES = ["Europe/London", "America/New_York", "Europe/Madrid", "Asia/Kolkata"]
ANSWERS = ["", Answer.GOING, Answer.MAYBE, Answer.NOT_GOING]


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _members(world, count: int, seed: int):
    rng = random.Random(seed)
    group = world.addict_group
    session = SessionFactory(group=group, starts_at=START)
    other = SessionFactory(group=world.partner_group, starts_at=START)  # a clash for some
    people = []
    for _ in range(count):
        person = UserFactory(
            display_name=rng.choice(NAMES),
            language=rng.choice(LANGUAGES),
            time_zone=rng.choice(ZONES),
        )
        EnrollmentFactory(group=group, member=person)
        if answer := rng.choice(ANSWERS):
            RSVPFactory(session=session, member=person, answer=answer)
        if rng.random() < 0.3:  # another meeting at that hour: the message names the group
            EnrollmentFactory(group=other.group, member=person)
            if rng.random() < 0.5:
                GroupLabel.objects.create(member=person, group=group, label="Book & <club>")
        people.append(person)
    return session, people


def _rows(session, people, kind) -> list[Notification]:
    details = {"from": (START - datetime.timedelta(days=1)).isoformat()}
    return [
        NotificationFactory(
            recipient=person,
            kind=kind,
            channel=Channel.EMAIL,
            session=session,
            details=details if kind == Kind.SESSION_MOVED else {},
        )
        for person in people
    ]


def _rendered(rows) -> list[tuple]:
    rows = list(
        Notification.objects.filter(pk__in=[r.pk for r in rows])
        .select_related("recipient", "session__group")
        .order_by("pk")
    )
    lookups = BatchLookups(rows, now=NOW)
    out = []
    for row in rows:
        r = rendering.render_notification(row, lookups)
        out.append((r.subject, r.text, r.html, r.sms, r.headers, r.attachments))
    return out


@pytest.mark.parametrize("kind", sorted(rendering.SHARED_KINDS))
def test_shared_rendering_writes_what_each_message_alone_writes(world, kind, monkeypatch):
    session, people = _members(world, 24, seed=sum(map(ord, kind)))
    if kind == Kind.SESSION_CANCELLED:
        session.status, session.cancel_reason = "cancelled", "Room & <flooding>"
        session.save()
    rows = _rows(session, people, kind)
    calls = []
    build = rendering._email_parts
    monkeypatch.setattr(
        rendering, "_email_parts", lambda *a: calls.append(a) or build(*a), raising=True
    )
    shared = _rendered(rows)
    # Fewer renderings than messages: one per language, zone and answer seen in the batch.
    assert 0 < len(calls) < len(rows)

    monkeypatch.setattr(rendering, "SHARED_KINDS", frozenset())
    alone = _rendered(rows)
    assert shared == alone
    assert any("&lt;" in html for _s, _t, html, *_ in shared)  # a name that needed escaping


def test_what_a_template_could_test_or_filter_is_never_shared():
    # A personal value that is not text (or empty) is rendered message by message.
    assert mark({"recipient_name": "", "when": "Tuesday"}) is None
    assert mark({"recipient_name": None}) is None
    assert mark({"rsvp_urls": {"going": ""}}) is None
    # Text that holds a mark's own characters (typed into a name or a label): likewise.
    assert mark({"recipient_name": "Al\ue0000\ue001ex"}) is None
    assert mark({"recipient_name": "Alex", "group_name": "Book \ue0000\ue001 club"}) is None
    # A model or anything else a key cannot name exactly: likewise.
    assert mark({"recipient_name": "Alex", "session": object()}) is None
    marked = mark({"recipient_name": "Alex", "rsvp_urls": {}, "when": "Tuesday", "ask": False})
    assert marked is not None
    assert "Alex" not in repr(marked.key)  # the key names the shape, not the person
    assert list(marked.values.values()) == ["Alex"]
