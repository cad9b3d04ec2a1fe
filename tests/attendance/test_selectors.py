import datetime

import pytest

from attendance.models import Mark
from attendance.selectors import (
    absence_streak,
    attendance_streak,
    group_overview,
    member_summary,
    roll_for_session,
)
from groups.models import EnrollmentStatus
from groups.selectors import stints_active_on
from tests.attendance.conftest import NOW, TUESDAYS, at_seven
from tests.factories import EnrollmentFactory, RSVPFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_streaks_skip_excused_and_unmarked():
    marks = [(1, Mark.PRESENT), (2, Mark.ABSENT), (3, Mark.EXCUSED), (4, None), (5, Mark.ABSENT)]
    assert absence_streak(marks) == [2, 5]
    assert attendance_streak(marks) == 0
    assert attendance_streak([(1, Mark.LATE), (2, None), (3, Mark.LEFT_EARLY)]) == 2
    assert absence_streak([(1, Mark.ABSENT), (2, Mark.PRESENT)]) == []


def test_roll_lists_only_members_active_on_the_day(world, history):
    """GIVEN members who joined later, left earlier, are paused or only invited
    WHEN the roll of 27 January is built
    THEN only people active that day are listed."""
    group = world.addict_group
    late_joiner = EnrollmentFactory(group=group, joined_on=datetime.date(2026, 2, 10)).member
    paused = EnrollmentFactory(group=group, status=EnrollmentStatus.PAUSED).member
    invited = EnrollmentFactory(group=group, status=EnrollmentStatus.INVITED, joined_on=None).member
    left_early = EnrollmentFactory(
        group=group, status=EnrollmentStatus.LEFT, left_on=datetime.date(2026, 1, 26)
    ).member
    left_after = EnrollmentFactory(
        group=group, status=EnrollmentStatus.LEFT, left_on=datetime.date(2026, 1, 27)
    ).member
    other_group = EnrollmentFactory(group=world.partner_group).member

    listed = [row.member for row in roll_for_session(history.sessions[TUESDAYS[3]])]

    assert world.co_member in listed and left_after in listed
    for absent_that_day in (world.member, late_joiner, paused, invited, left_early, other_group):
        assert absent_that_day not in listed
    # After coming back, world.member is listed again, once.
    back = [row.member for row in roll_for_session(history.sessions[TUESDAYS[4]])]
    assert back.count(world.member) == 1
    assert late_joiner not in back


def test_active_on_uses_the_groups_calendar(world, frozen):
    """A session at 03:00 UTC on 3 Feb is on 2 Feb in New York: a 3 Feb joiner is not listed."""
    group = world.addict_group
    group.time_zone = "America/New_York"
    group.save()
    joiner = EnrollmentFactory(group=group, joined_on=datetime.date(2026, 2, 3)).member
    session = SessionFactory(
        group=group, starts_at=datetime.datetime(2026, 2, 3, 3, tzinfo=datetime.UTC)
    )
    assert joiner not in [row.member for row in roll_for_session(session)]
    assert joiner in [e.member for e in stints_active_on(group, datetime.date(2026, 2, 3))]


def test_member_summary_on_hand_built_history(world, history):
    summary = member_summary(world.addict_group, world.member, NOW)

    # 8 Tuesdays minus 27 Jan (between stints); cancelled and future sessions never count.
    assert summary.held == 7
    assert (summary.attended, summary.excused, summary.absent, summary.unmarked) == (3, 2, 2, 0)
    assert summary.rate == 60  # 3 attended of 5 expected (excused left out)
    assert summary.current_streak == 0
    assert summary.consecutive_unexcused == 1  # 24 Feb; 17 Feb excused; 10 Feb attended
    assert summary.last_attended == at_seven(TUESDAYS[5])
    assert [s.starts_at.date() for s, _ in summary.history][:2] == [TUESDAYS[7], TUESDAYS[6]]


def test_co_member_summary_counts_unmarked_and_skips_them_in_streaks(world, history):
    summary = member_summary(world.addict_group, world.co_member, NOW)

    assert summary.held == 8
    assert (summary.attended, summary.excused, summary.absent, summary.unmarked) == (5, 1, 1, 1)
    assert summary.rate == 71  # 5 of 7
    assert summary.current_streak == 4  # 24 Feb, 10 Feb, 3 Feb, 20 Jan (excused/unmarked skipped)
    assert summary.consecutive_unexcused == 0
    assert summary.last_attended == at_seven(TUESDAYS[7])


def test_group_overview_headcounts_and_member_rows(world, history):
    overview = group_overview(world.addict_group, NOW)

    headcounts = {row.local_date: row.headcount for row in overview.sessions}
    assert headcounts == dict(zip(TUESDAYS, [2, 0, 1, 0, 2, 2, 0, 1], strict=True))
    by_member = {s.member: s for s in overview.members}
    assert set(by_member) == {world.member, world.co_member}
    assert by_member[world.member].rate == 60
    assert by_member[world.co_member].current_streak == 4


def test_roll_row_shows_rsvp(world, history):
    session = history.sessions[TUESDAYS[7]]
    RSVPFactory(session=session, member=world.co_member)
    rows = {row.member: row for row in roll_for_session(session)}
    assert rows[world.co_member].answer == "going"
    assert rows[world.member].answer is None


def test_summary_ignores_other_groups(world, history):
    stranger = UserFactory()
    EnrollmentFactory(group=world.partner_group, member=stranger)
    assert member_summary(world.addict_group, stranger, NOW).held == 0
