"""Queries per page, pinned for every page the bench measures (bench/README.md): the same on a
small clinic and a larger one, none above 12. Counted on a second request, as a running
server sees it (the first of a sign-in records the browser session)."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from attendance.models import Mark
from sessions.services import calendar_feed_make
from tests.core.page_queries import second_request
from tests.factories import (
    AttendanceFactory,
    EnrollmentFactory,
    RSVPFactory,
    SessionFactory,
    UserFactory,
)
from tests.factories.materials import MaterialFactory

NOW = datetime.datetime(2026, 11, 30, 12, tzinfo=datetime.UTC)
GOAL = 12


def _clinic(world, weeks: int, members: int) -> dict:
    """`weeks` past and coming weekly sessions of the member's group, `members` more members
    with answers and marks, `weeks` readings (one a file)."""
    group = world.addict_group
    people = [world.member, world.co_member] + [UserFactory() for _ in range(members)]
    for person in people[2:]:
        EnrollmentFactory(group=group, member=person)
    past, coming = [], []
    for week in range(1, weeks + 1):
        for sessions, sign in ((past, -1), (coming, 1)):
            start = NOW + sign * datetime.timedelta(weeks=week, hours=7)
            session = SessionFactory(group=group, starts_at=start)
            sessions.append(session)
            for person in people:
                RSVPFactory(session=session, member=person, answer="going")
                if sign < 0:
                    AttendanceFactory(session=session, member=person, mark=Mark.PRESENT)
    readings = [MaterialFactory(group=group) for _ in range(weeks - 1)]
    readings.append(MaterialFactory(group=group, with_file=True))
    return {"past": past[0], "coming": coming[0], "file": readings[-1]}


def _pages(world, built) -> list[tuple[str, object, str]]:
    feed = reverse("scheduling:feed", kwargs={"token": calendar_feed_make(user=world.member)})
    return [
        ("member home", world.member, "/"),
        ("upcoming sessions", world.member, reverse("scheduling:upcoming")),
        ("session page", world.member, f"/sessions/{built['coming'].pk}/"),
        ("group page", world.member, f"/groups/{world.addict_group.pk}/"),
        ("reading list", world.member, reverse("materials:list")),
        ("calendar feed", None, feed),
        ("facilitator dashboard", world.facilitator, "/"),
        ("staff home", world.staff, "/"),
        ("roll call", world.facilitator, f"/attendance/sessions/{built['past'].pk}/"),
        ("attendance summary", world.facilitator, f"/attendance/groups/{world.addict_group.pk}/"),
        ("material download", world.member, f"/reading/{built['file'].pk}/file/"),
    ]


def _counts(world, weeks, members) -> dict[str, int]:
    with time_machine.travel(NOW, tick=False):
        built = _clinic(world, weeks, members)
        counts = {}
        for name, who, path in _pages(world, built):
            _response, counts[name] = second_request(who, name, path)
    return counts


# On SQLite inside a test's transaction (an audited read adds SAVEPOINT and RELEASE, which
# PostgreSQL in production does not run). Every signed-in page starts with the same two:
# the session and the user. allauth's record of the browser session is written at most once
# a minute and the MFA check of staff and facilitators is cached (members.middleware).
PAGE = 2
UNREAD = 1  # the menu's unread notifications (counted once per request)
AUDITED = 3  # SAVEPOINT, INSERT of the audit event, RELEASE
PAGE_QUERIES = {
    "member home": PAGE
    + UNREAD
    + 1  # questionnaires waiting (measures panel)
    + 1  # unread reading (materials panel)
    + 1  # my groups (groups panel)
    + 1  # my groups with may-answer / may-run flags (upcoming_for)
    + 1,  # the coming sessions of those groups, with my answers
    "upcoming sessions": PAGE
    + 1  # my groups with flags
    + 1  # coming sessions with my answers
    + UNREAD
    + 1,  # my own names for the groups (labels)
    "session page": PAGE
    + 1  # agreement gate: the session with its group
    + 1  # agreement gate: am I in the group
    + 1  # agreement gate: which scopes have an agreement (one query for the three)
    + 1  # the session, if I may see it
    + 1  # the session with my answer and seats taken
    + 1  # groups I may answer in
    + 1  # may I run this group
    + UNREAD,
    "group page": PAGE
    + 1  # the group, if I may see it
    + 1  # may I run it (asked once)
    + 1  # am I enrolled (asked once)
    + 1  # my own name for it
    + 1  # co-members' names
    + 1  # facilitators' names
    + UNREAD
    + 1,  # its coming sessions
    "reading list": PAGE
    + UNREAD
    + 1  # the items with whether I read them
    + 1  # my own names for their groups
    + 1,  # the groups
    "calendar feed": 1  # the feed token with its owner
    + 1  # the owner's groups
    + 1  # their sessions
    + 1,  # the owner's own names for the groups
    "facilitator dashboard": PAGE
    + UNREAD
    + 1  # safety alerts (measures panel)
    + 1  # unread reading
    + 1  # groups panel
    + 1  # my groups with flags
    + 1  # coming sessions with my answers
    + 1  # failed deliveries (notifications panel)
    + 1  # absence follow-ups (attendance panel)
    + 1  # held sessions of my groups (notes panel)
    + 1,  # who attended them and their notes (one UNION)
    "staff home": PAGE
    + UNREAD
    + 1  # safety alerts
    + 1  # unread reading
    + 1  # groups panel
    + 1  # my groups with flags
    + 1  # coming sessions with my answers
    + 1  # failed deliveries
    + 1  # absence follow-ups
    + 1,  # held sessions of groups I run (none: the notes panel stops there)
    "roll call": PAGE
    + 1  # the session, if I run its group
    + 1  # the roster on the day
    + 1  # marks
    + 1  # their changes
    + 1  # answers
    + 1  # open follow-ups
    + AUDITED  # reading the roll is recorded
    + UNREAD,
    "attendance summary": PAGE
    + 1  # the group, if I run it
    + 1  # sessions up to today
    + 1  # stints with members
    + 1  # marks
    + 1  # open follow-ups
    + AUDITED
    + UNREAD,
    "material download": PAGE
    + 1  # the item, if I may see it
    + AUDITED,  # the download is recorded; the file is streamed from disk
}


@pytest.mark.django_db
def test_queries_per_page_are_flat_and_at_most_twelve(world):
    # GIVEN a small clinic, then a larger one (three times the weeks, eight times the people)
    small = _counts(world, weeks=2, members=1)
    large = _counts(world, weeks=6, members=8)
    # THEN each page runs the pinned queries on both, and none more than twelve
    assert small == PAGE_QUERIES
    assert large == PAGE_QUERIES
    assert {name: n for name, n in PAGE_QUERIES.items() if n > GOAL} == {}
