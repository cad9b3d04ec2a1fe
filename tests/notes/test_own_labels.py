"""With open notes, a member reads their notes under their own name for the group (issue 14,
point 18); the facilitator reads the same note under the real name."""

from django.urls import reverse
from django.utils import timezone

from groups.services import group_label_set
from tests.factories.notes import NoteFactory

LABEL = "Wednesday walkers"


def _body(client, person, name, **kwargs) -> str:
    client.force_login(person)
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 200
    return response.content.decode()


def test_open_notes_name_the_group_as_the_member_does(client, world, held, settings):
    settings.NOTES_OPEN_TO_MEMBERS = True
    group_label_set(member=world.member, group=world.addict_group, label=LABEL)
    note = NoteFactory(
        session=held, member=world.member, signed_by=world.facilitator, signed_at=timezone.now()
    )
    for page in (
        _body(client, world.member, "notes:index"),
        _body(client, world.member, "notes:note", pk=note.pk),
    ):
        assert LABEL in page and "Tuesday evening" not in page
    theirs = _body(client, world.facilitator, "notes:note", pk=note.pk)
    assert "Tuesday evening" in theirs and LABEL not in theirs
