"""The demo's notes: the last held sessions signed, last week's left to finish; once."""

import datetime

from attendance.models import Mark
from demo.notes import seed_demo_notes
from notes.models import Note, NoteKind
from notes.selectors import todo_for
from tests.factories import AttendanceFactory, SessionFactory
from tests.factories.members import TEST_PASSWORD


def _held_weeks(world, weeks=4):
    start = datetime.datetime(2026, 3, 3, 19, tzinfo=datetime.UTC)
    sessions = []
    for n in range(weeks):
        session = SessionFactory(
            group=world.addict_group, starts_at=start - datetime.timedelta(weeks=n)
        )
        AttendanceFactory(session=session, member=world.member, mark=Mark.PRESENT)
        AttendanceFactory(session=session, member=world.co_member, mark=Mark.LATE)
        sessions.append(session)
    return sessions[::-1]  # oldest first


def test_the_demo_gets_signed_notes_and_a_week_left_to_finish(world, frozen):
    oldest, *signed, latest = _held_weeks(world)
    # WHEN the demo's notes are seeded twice
    written = seed_demo_notes(world.addict_group, world.facilitator, secret=TEST_PASSWORD)
    assert seed_demo_notes(world.addict_group, world.facilitator, secret=TEST_PASSWORD) == 0
    # THEN the two sessions before last have a signed group note and a signed note per member
    assert written == Note.objects.count() == 2 * 3 + 2
    for session in signed:
        notes = Note.objects.filter(session=session)
        assert notes.count() == 3 and all(n.is_signed for n in notes)
        assert all(n.signed_at > session.ends_at for n in notes)  # on the night
        assert "Attendance:" in notes.get(member=world.member).values()["data"]
    # ...last week's has a draft group note and one draft progress note
    drafts = Note.objects.filter(session=latest)
    assert {n.kind for n in drafts} == {NoteKind.GROUP, NoteKind.PROGRESS}
    assert not any(n.is_signed for n in drafts)
    # ...the oldest is left alone, and the home list has last week to finish
    assert not Note.objects.filter(session=oldest).exists()
    [todo] = [t for t in todo_for(world.facilitator) if t.session == latest]
    assert todo.outstanding == 3  # the group note, a draft and a missing note
