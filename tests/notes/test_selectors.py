"""What is left to write, per facilitator, and a member's timeline."""

import datetime

from django.utils import timezone

from attendance.models import Mark
from notes import selectors
from notes.models import Note, NoteKind
from sessions.models import SessionStatus
from tests.factories import AttendanceFactory, SessionFactory
from tests.factories.groups import IntakeFactory
from tests.factories.notes import NoteFactory


def _signed(**kwargs):
    return NoteFactory(signed_at=timezone.now(), **kwargs)


def test_unsigned_and_missing_notes_are_listed_per_facilitator(world, held, frozen):
    # GIVEN tonight's session with no notes yet, and a session of Olly's group
    SessionFactory(
        group=world.partner_group, starts_at=datetime.datetime(2026, 3, 2, 19, tzinfo=datetime.UTC)
    )
    # THEN Fran sees her session: group note not started, Alex's note missing
    (todo,) = selectors.todo_for(world.facilitator)
    assert todo.session == held
    assert (todo.group_note, todo.missing, todo.drafts) == ("missing", 1, 0)
    # ...and Olly sees only his own group's session
    assert [t.session.group for t in selectors.todo_for(world.other_facilitator)] == [
        world.partner_group
    ]
    # ...and a member sees nothing
    assert selectors.todo_for(world.member) == []


def test_the_list_follows_drafts_and_signatures(world, held, frozen):
    NoteFactory(session=held, member=None, kind=NoteKind.GROUP)
    NoteFactory(session=held, member=world.member)
    (todo,) = selectors.todo_for(world.facilitator)
    assert (todo.group_note, todo.missing, todo.drafts) == ("draft", 0, 1)
    # WHEN everything is signed THEN the session leaves the list
    Note.objects.filter(session=held).update(signed_at=timezone.now(), signed_by=world.facilitator)
    assert selectors.todo_for(world.facilitator) == []


def test_future_cancelled_and_old_sessions_are_not_listed(world, frozen):
    now = timezone.now()
    future = SessionFactory(group=world.addict_group, starts_at=now + datetime.timedelta(days=1))
    cancelled = SessionFactory(
        group=world.addict_group,
        starts_at=now - datetime.timedelta(days=2),
        status=SessionStatus.CANCELLED,
    )
    old = SessionFactory(
        group=world.addict_group,
        starts_at=now - datetime.timedelta(days=selectors.TODO_DAYS + 2),
    )
    listed = {t.session for t in selectors.todo_for(world.facilitator)}
    assert not listed & {future, cancelled, old}


def test_the_timeline_shows_attendance_notes_and_screenings(world, held, frozen):
    intake = IntakeFactory(
        member=world.member, recorded_by=world.facilitator, group=world.addict_group
    )
    note = _signed(session=held, member=world.member, signed_by=world.facilitator)
    group_note = NoteFactory(session=held, member=None, kind=NoteKind.GROUP)
    AttendanceFactory(
        session=SessionFactory(
            group=world.addict_group,
            starts_at=datetime.datetime(2026, 2, 24, 19, tzinfo=datetime.UTC),
        ),
        member=world.member,
        mark=Mark.LEFT_EARLY,
    )
    data = selectors.timeline(world.facilitator, world.member, [world.addict_group.pk])
    sessions = [e for e in data.entries if e.kind == "session"]
    assert [(e.session, e.mark_label) for e in sessions][0] == (held, "present")
    assert sessions[0].note == note and sessions[0].group_note == group_note
    assert sessions[1].mark_label == "left early" and sessions[1].note is None
    assert [e.intake for e in data.entries if e.kind == "intake"] == [intake]
