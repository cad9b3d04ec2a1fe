"""Every read, write, signature and export of a note leaves an audit row naming the member;
and the text is ciphertext in the database (here on SQLite; test_pg_dump checks a real dump)."""

import secrets

from django.db import connection
from django.urls import reverse

from audit.models import AuditEvent
from core.crypto import is_encrypted
from notes import services
from notes.models import Note, SupervisedFacilitator
from tests.factories import UserFactory
from tests.factories.members import TEST_PASSWORD
from tests.factories.notes import AddendumFactory, NoteFactory


def test_read_write_sign_cosign_addendum_and_export_are_each_audited(client, world, held, frozen):
    # GIVEN Fran, supervised, and her co-facilitator Cory
    cory = UserFactory(facilitator=True, display_name="Cory")
    world.addict_group.facilitators.add(cory)
    SupervisedFacilitator.objects.create(facilitator=world.facilitator)
    client.force_login(world.facilitator)
    progress = reverse("notes:progress", args=[held.pk, world.member.pk])
    # WHEN Fran writes, signs, reads and amends Alex's note, and exports his notes
    client.post(progress, {"action": "save", "s_data": "Spoke about the week."})
    client.post(
        progress, {"action": "sign", "s_data": "Spoke about the week.", "secret": TEST_PASSWORD}
    )
    note = Note.objects.get(session=held, member=world.member)
    client.get(reverse("notes:note", args=[note.pk]))
    client.post(
        reverse("notes:addendum", args=[note.pk]), {"text": "Later.", "secret": TEST_PASSWORD}
    )
    client.get(reverse("notes:export_member", args=[world.member.pk]))
    # ...and Cory co-signs it
    client.force_login(cory)
    client.post(reverse("notes:cosign", args=[note.pk]), {"secret": TEST_PASSWORD})
    # THEN each left a row about Alex, by whoever did it
    rows = set(
        AuditEvent.objects.filter(subject_id=world.member.pk).values_list("action", "actor_id")
    )
    fran, c = world.facilitator.pk, cory.pk
    for expected in [
        ("notes.change", fran),
        ("notes.sign", fran),
        ("notes.read", fran),
        ("notes.addendum", fran),
        ("notes.export", fran),
        ("notes.cosign", c),
    ]:
        assert expected in rows, expected


def _raw(table: str, column: str, pk) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def test_note_and_addendum_text_are_ciphertext_in_the_database(world, held):
    phrase = f"lantern-{secrets.token_hex(8)}"
    note = NoteFactory(session=held, member=world.member, values={"data": f"progress {phrase}"})
    addendum = AddendumFactory(note=note, text=f"addendum {phrase}")
    body, text = _raw("notes_note", "body", note.pk), _raw("notes_addendum", "text", addendum.pk)
    assert is_encrypted(body) and is_encrypted(text)
    assert phrase not in body and phrase not in text
    # ...and read back through the model as written
    assert phrase in Note.objects.get(pk=note.pk).values()["data"]
    # the page's fingerprints never hold the text either
    assert phrase not in "".join(services.digests(note).values())
