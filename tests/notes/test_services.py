"""Notes' rules: starting from roll call, per-section merging, signing and locking, addenda,
co-signature."""

import json

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEvent
from notes import services
from notes.models import Note, NoteKind, SupervisedFacilitator
from tests.factories import UserFactory
from tests.factories.members import TEST_PASSWORD, totp_code
from tests.factories.notes import NoteFactory


def _group_note(held, world, **values):
    note = services.group_note_start(session=held, actor=world.facilitator)
    if values:
        services.note_save(note=note, values=values, base=None, actor=world.facilitator)
    note.refresh_from_db()
    return note


# --- starting --------------------------------------------------------------------------------


def test_a_progress_note_starts_with_attendance_and_the_group_notes_shared_parts(world, held):
    # GIVEN a group note with a topic and themes
    _group_note(held, world, themes="Loneliness at weekends", process="Warm, engaged")
    # WHEN a progress note starts for the member marked present (default format: DAP)
    note = services.progress_note_start(session=held, member=world.member, actor=world.facilitator)
    # THEN it is a progress note whose Data section carries attendance and the shared parts
    assert note.kind == NoteKind.PROGRESS
    assert note.attendance_mark == "present"
    data = note.values()["data"]
    assert "Attendance: present." in data
    assert "Topic: Handling weekends" in data
    assert "Themes: Loneliness at weekends" in data
    # ...but not the group's process, which is about the group, not this member
    assert "Warm, engaged" not in data


def test_an_absent_member_gets_a_missed_session_note_without_the_group_parts(world, held):
    _group_note(held, world, themes="Loneliness")
    note = services.progress_note_start(
        session=held, member=world.co_member, actor=world.facilitator, template_key="soap"
    )
    assert note.kind == NoteKind.MISSED
    assert note.template.key == "soap"
    assert note.values() == {}


def test_a_format_not_offered_is_refused(world, held):
    with pytest.raises(ValidationError):
        services.progress_note_start(
            session=held, member=world.member, actor=world.facilitator, template_key="group"
        )


def test_starting_twice_returns_the_same_draft(world, held):
    first = services.group_note_start(session=held, actor=world.facilitator)
    second = services.group_note_start(session=held, actor=world.other_facilitator)
    assert first.pk == second.pk
    assert Note.objects.filter(session=held).count() == 1


# --- co-facilitators editing the same draft --------------------------------------------------


def test_two_editors_of_different_sections_both_keep_their_text(world, held):
    # GIVEN a draft both co-facilitators opened at the same time
    co = UserFactory(facilitator=True, display_name="Cory")
    world.addict_group.facilitators.add(co)
    note = _group_note(held, world)
    base = services.digests(note)
    # WHEN Fran saves the themes and then Cory (from his stale page) saves the plan
    services.note_save(
        note=note, values={"themes": "Shame", "plan": ""}, base=base, actor=world.facilitator
    )
    result = services.note_save(
        note=note, values={"themes": "", "plan": "Check in on Alex"}, base=base, actor=co
    )
    # THEN both sections hold what was written, nothing was merged by hand
    values = Note.objects.get(pk=note.pk).values()
    assert values["themes"] == "Shame"
    assert values["plan"] == "Check in on Alex"
    assert result.merged == []


def test_two_editors_of_the_same_section_lose_neither_text(world, held):
    co = UserFactory(facilitator=True, display_name="Cory")
    world.addict_group.facilitators.add(co)
    note = _group_note(held, world, themes="Start")
    base = services.digests(Note.objects.get(pk=note.pk))
    services.note_save(
        note=note, values={"themes": "Fran's version"}, base=base, actor=world.facilitator
    )
    result = services.note_save(note=note, values={"themes": "Cory's version"}, base=base, actor=co)
    themes = Note.objects.get(pk=note.pk).values()["themes"]
    assert "Fran's version" in themes
    assert "Cory's version" in themes
    assert "also written by Cory" in themes
    assert result.merged == ["Themes"]


def test_an_editor_who_saw_the_latest_text_replaces_it(world, held):
    note = _group_note(held, world, themes="First words")
    base = services.digests(Note.objects.get(pk=note.pk))
    services.note_save(
        note=note, values={"themes": "Better words"}, base=base, actor=world.facilitator
    )
    assert Note.objects.get(pk=note.pk).values()["themes"] == "Better words"


def test_a_section_too_long_is_refused(world, held):
    note = _group_note(held, world)
    with pytest.raises(ValidationError):
        services.note_save(
            note=note,
            values={"themes": "x" * (services.SECTION_MAX + 1)},
            base=None,
            actor=world.facilitator,
        )


# --- signing and locking ---------------------------------------------------------------------


def test_signing_needs_the_password_and_then_the_note_refuses_edits(world, held):
    note = _group_note(held, world, themes="Shame")
    # WHEN the wrong password is given THEN nothing is signed and the text is still there
    with pytest.raises(ValidationError):
        services.note_sign(note=note, actor=world.facilitator, secret="wrong")
    note.refresh_from_db()
    assert not note.is_signed
    assert note.values()["themes"] == "Shame"
    # WHEN the right one is given THEN the note is signed by them
    signed = services.note_sign(note=note, actor=world.facilitator, secret=TEST_PASSWORD)
    assert signed.signed_by == world.facilitator
    assert signed.signed_at is not None
    # ...and an edit is refused, the text unchanged
    with pytest.raises(ValidationError, match="addendum"):
        services.note_save(
            note=signed, values={"themes": "Rewritten"}, base=None, actor=world.facilitator
        )
    assert Note.objects.get(pk=note.pk).values()["themes"] == "Shame"
    # ...and it cannot be signed twice
    with pytest.raises(ValidationError):
        services.note_sign(note=signed, actor=world.facilitator, secret=TEST_PASSWORD)


def test_a_totp_code_signs_too(world, held):
    note = _group_note(held, world, themes="Shame")
    signed = services.note_sign(note=note, actor=world.facilitator, secret=totp_code())
    assert signed.is_signed


def test_an_empty_note_cannot_be_signed(world, held):
    note = services.group_note_start(session=held, actor=world.facilitator)
    services.note_save(note=note, values={"topic": ""}, base=None, actor=world.facilitator)
    with pytest.raises(ValidationError, match="Write something"):
        services.note_sign(note=note, actor=world.facilitator, secret=TEST_PASSWORD)


def test_a_signed_note_accepts_a_signed_addendum(world, held):
    note = NoteFactory(session=held, member=world.member)
    services.note_sign(note=note, actor=world.facilitator, secret=TEST_PASSWORD)
    note.refresh_from_db()
    # An addendum needs the password too
    with pytest.raises(ValidationError):
        services.addendum_add(note=note, text="Correction", actor=world.facilitator, secret="no")
    addendum = services.addendum_add(
        note=note, text="Correction: she was late.", actor=world.facilitator, secret=TEST_PASSWORD
    )
    assert addendum.signed_by == world.facilitator
    assert list(note.addenda.values_list("pk", flat=True)) == [addendum.pk]
    # ...and the note's own text did not change
    assert note.values() == Note.objects.get(pk=note.pk).values()


def test_a_draft_takes_no_addendum(world, held):
    note = NoteFactory(session=held, member=world.member)
    with pytest.raises(ValidationError):
        services.addendum_add(note=note, text="x", actor=world.facilitator, secret=TEST_PASSWORD)


# --- co-signature ----------------------------------------------------------------------------


def test_a_supervised_facilitators_note_waits_for_a_co_signature(world, held):
    # GIVEN Fran is supervised, and a co-facilitator Cory
    SupervisedFacilitator.objects.create(facilitator=world.facilitator, marked_by=world.staff)
    cory = UserFactory(facilitator=True)
    world.addict_group.facilitators.add(cory)
    note = NoteFactory(session=held, member=world.member)
    # WHEN Fran signs
    note = services.note_sign(note=note, actor=world.facilitator, secret=TEST_PASSWORD)
    # THEN it awaits a co-signature
    assert note.awaits_cosign and note.status == "awaiting co-signature"
    # ...which Fran herself cannot give, nor someone not allowed
    with pytest.raises(ValidationError):
        services.note_cosign(
            note=note, actor=world.facilitator, secret=TEST_PASSWORD, allowed=False
        )
    # ...nor Cory with a wrong password
    with pytest.raises(ValidationError):
        services.note_cosign(note=note, actor=cory, secret="wrong", allowed=True)
    # ...but Cory with his password can
    note = services.note_cosign(note=note, actor=cory, secret=TEST_PASSWORD, allowed=True)
    assert note.cosigned_by == cory and not note.awaits_cosign and note.status == "signed"
    with pytest.raises(ValidationError):
        services.note_cosign(note=note, actor=world.staff, secret=TEST_PASSWORD, allowed=True)


def test_an_unsupervised_facilitators_note_needs_no_co_signature(world, held):
    note = NoteFactory(session=held, member=world.member)
    note = services.note_sign(note=note, actor=world.facilitator, secret=TEST_PASSWORD)
    assert not note.cosign_required and note.status == "signed"


# --- audit -----------------------------------------------------------------------------------


def test_write_sign_and_refused_sign_leave_audit_rows(world, held):
    note = _group_note(held, world, themes="Shame")
    with pytest.raises(ValidationError):
        services.note_sign(note=note, actor=world.facilitator, secret="wrong")
    services.note_sign(note=note, actor=world.facilitator, secret=TEST_PASSWORD)
    rows = list(AuditEvent.objects.filter(target_id=str(note.pk)).values_list("action", "outcome"))
    assert ("notes.change", "ok") in rows
    assert ("notes.sign", "denied") in rows
    assert ("notes.sign", "ok") in rows
    # ids and codes only: no note text in any detail
    for detail in AuditEvent.objects.values_list("detail", flat=True):
        assert "Shame" not in json.dumps(detail)


def test_too_many_wrong_passwords_stop_signing_for_a_while(world, held):
    note = _group_note(held, world, themes="Shame")
    for _ in range(services.SECRET_TRIES):
        with pytest.raises(ValidationError, match="not right"):
            services.note_sign(note=note, actor=world.facilitator, secret="guess")
    # THEN even the right password is refused until the wait is over, and the text is kept
    with pytest.raises(ValidationError, match="Too many"):
        services.note_sign(note=note, actor=world.facilitator, secret=TEST_PASSWORD)
    note.refresh_from_db()
    assert not note.is_signed and note.values()["themes"] == "Shame"
