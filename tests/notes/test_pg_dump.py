"""A real PostgreSQL dump holds no note text: sections, addenda, nothing readable."""

import secrets
import shutil

import pytest
from django.utils import timezone

from core.crypto import is_encrypted
from notes.models import NoteKind
from tests.factories import SessionFactory
from tests.factories.notes import AddendumFactory, NoteFactory
from tests.security.test_pg_dump import _copy_rows, _pg_dump


@pytest.mark.service("postgres")
@pytest.mark.django_db(transaction=True)
def test_a_database_dump_holds_no_note_text():
    if shutil.which("pg_dump") is None:
        pytest.fail("pg_dump is not installed (apt-get install postgresql-client)")
    # GIVEN a group note, a signed progress note and its addendum, each with a unique phrase
    phrase = f"lantern-{secrets.token_hex(8)}"
    session = SessionFactory()
    group = NoteFactory(
        session=session, member=None, kind=NoteKind.GROUP, values={"themes": f"group {phrase}"}
    )
    note = NoteFactory(
        session=session,
        values={"data": f"progress {phrase}", "assessment": "relapse risk"},
        signed_at=timezone.now(),
    )
    note.signed_by = note.created_by
    note.save()
    AddendumFactory(note=note, text=f"addendum {phrase}")

    # WHEN the database is dumped
    dump = _pg_dump()

    # THEN the rows are there, but no phrase and no clinical word from the text
    rows = {row["id"]: row for row in _copy_rows(dump, "notes_note")}
    assert {str(group.pk), str(note.pk)} <= set(rows)
    assert phrase not in dump
    assert "relapse risk" not in dump
    for row in rows.values():
        assert is_encrypted(row["body"])
    (addendum,) = _copy_rows(dump, "notes_addendum")
    assert is_encrypted(addendum["text"])
