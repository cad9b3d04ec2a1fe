"""Summary pages cost a fixed number of queries however long the history grows."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from attendance.models import Attendance, Mark
from attendance.selectors import group_overview, member_summary, roll_for_session
from tests.attendance.conftest import NOW, make_sessions
from tests.factories import EnrollmentFactory

pytestmark = pytest.mark.django_db


def _grow(world, weeks: int, start=datetime.date(2025, 1, 7)):
    """Add `weeks` more marked sessions (and a member) before the hand-built history."""
    days = [start + datetime.timedelta(weeks=i) for i in range(weeks)]
    extra = EnrollmentFactory(group=world.addict_group, joined_on=datetime.date(2024, 12, 1))
    for session in make_sessions(world.addict_group, days).values():
        for member in (world.co_member, extra.member):
            Attendance.objects.create(session=session, member=member, mark=Mark.PRESENT)


def test_group_overview_queries(world, history, django_assert_num_queries):
    for weeks in (0, 20):
        _grow(world, weeks)
        with django_assert_num_queries(4):
            # 1 sessions up to today, 2 stints with members, 3 marks, 4 open follow-ups
            group_overview(world.addict_group, NOW)


def test_member_summary_queries(world, history, django_assert_num_queries):
    for weeks in (0, 20):
        _grow(world, weeks)
        with django_assert_num_queries(4):
            # 1 held sessions, 2 the member's stints, 3 the member's marks, 4 open follow-up
            member_summary(world.addict_group, world.co_member, NOW)


def test_roll_queries(world, history, django_assert_num_queries):
    session = history.sessions[max(history.sessions)]
    for record in Attendance.objects.filter(session=session):
        record.changes.create(new_mark=record.mark, changed_by=world.facilitator)
    for extra_members in (0, 10):
        for _ in range(extra_members):
            EnrollmentFactory(group=world.addict_group)
        with django_assert_num_queries(6):
            # 1 stints active that day, 2 marks with who marked, 3 their changes, 4 who changed,
            # 5 RSVP answers, 6 open follow-ups
            rows = roll_for_session(session)
            assert [len(row.changes) for row in rows[:2]] == [1, 1]


def _page_queries(client, url) -> int:
    client.get(url)  # warm up: the first request records the browser session
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("page", ["group", "member", "member_as_self"])
def test_summary_pages_do_not_grow_with_history(world, history, client, page):
    """The whole page, middleware included, costs the same with 8 or 48 sessions."""
    viewer = world.member if page == "member_as_self" else world.facilitator
    client.force_login(viewer)
    if page == "group":
        url = reverse("attendance:group", args=[world.addict_group.pk])
    else:
        url = reverse("attendance:member", args=[world.addict_group.pk, world.member.pk])
    before = _page_queries(client, url)
    _grow(world, 40)
    assert _page_queries(client, url) == before
