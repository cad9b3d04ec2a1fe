"""Query counts pinned: the facilitator's notes list and a member's timeline cost the same
on a small clinic and a large one."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from attendance.models import Mark
from notes.models import NoteKind
from tests.factories import AttendanceFactory, EnrollmentFactory, SessionFactory, UserFactory
from tests.factories.groups import IntakeFactory
from tests.factories.notes import AddendumFactory, NoteFactory


def _clinic(world, sessions: int, members: int):
    """`sessions` held sessions in the last fortnight, `members` more members present at
    each, half of them with a signed note (one addendum each) and a group note per session."""
    people = [world.member] + [UserFactory() for _ in range(members - 1)]
    for person in people[1:]:
        EnrollmentFactory(group=world.addict_group, member=person)
    IntakeFactory(member=world.member, recorded_by=world.facilitator, group=world.addict_group)
    start = datetime.datetime(2026, 3, 2, 19, tzinfo=datetime.UTC)
    for i in range(sessions):
        session = SessionFactory(
            group=world.addict_group, starts_at=start - datetime.timedelta(hours=6 * i)
        )
        NoteFactory(session=session, member=None, kind=NoteKind.GROUP)
        for j, person in enumerate(people):
            AttendanceFactory(session=session, member=person, mark=Mark.PRESENT)
            if j % 2 == 0:
                note = NoteFactory(
                    session=session,
                    member=person,
                    signed_by=world.facilitator,
                    signed_at=timezone.now(),
                )
                AddendumFactory(note=note, signed_by=world.facilitator)


def _count(client, url) -> int:
    client.get(url)  # the first request of a sign-in also records the browser session
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("size", [(1, 2), (12, 15)], ids=["small", "large"])
def test_notes_list_queries(client, world, frozen, size):
    _clinic(world, *size)
    client.force_login(world.facilitator)
    # Same count whatever the size (request and page furniture included).
    assert _count(client, reverse("notes:index")) == NOTES_LIST_QUERIES


@pytest.mark.parametrize("size", [(1, 2), (12, 15)], ids=["small", "large"])
def test_timeline_queries(client, world, frozen, size):
    _clinic(world, *size)
    client.force_login(world.facilitator)
    assert _count(client, reverse("notes:timeline", args=[world.member.pk])) == TIMELINE_QUERIES


# Every page: the session, the user and the menu's unread count (the browser-session row is
# written at most every few minutes: members.middleware.ThrottledUserSessionsMiddleware).
PAGE = 3
NOTES_LIST_QUERIES = PAGE + (
    1  # held sessions of my groups in the last TODO_DAYS
    + 1  # who attended them and their notes (ids, kinds, signed or not), in one UNION
    + 1  # notes waiting for my co-signature
)
TIMELINE_QUERIES = PAGE + (
    1  # the member's stints in my groups (the 404 wall)
    + 1  # their first joined date
    + 1  # sessions of my groups since then, each with their mark
    + 1  # their notes and the group notes
    + 1  # addenda of those notes
    + 1  # screenings I may read, with their group
    + 3  # the audit row (insert in a savepoint)
)
