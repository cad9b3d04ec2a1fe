"""Who reads notes: the group's facilitators and staff. Members only their own signed
progress notes, and only with open notes on; partners never, even with sharing consent."""

import pytest
from django.urls import reverse
from django.utils import timezone

from members.models import SharingConsent
from notes import selectors
from notes.models import NoteKind
from tests.factories.notes import NoteFactory


@pytest.fixture
def notes(world, held):
    signed = {"signed_by": world.facilitator, "signed_at": timezone.now()}
    return {
        "mine": NoteFactory(
            session=held, member=world.member, values={"data": "Alex-secret-words"}, **signed
        ),
        "co_member": NoteFactory(
            session=held, member=world.co_member, kind=NoteKind.MISSED, **signed
        ),
        "group": NoteFactory(
            session=held,
            member=None,
            kind=NoteKind.GROUP,
            values={"themes": "Group-words"},
            **signed,
        ),
    }


@pytest.fixture
def consent(world):
    return SharingConsent.objects.create(
        owner=world.member, viewer=world.partner, group=world.addict_group, granted_by=world.member
    )


def _status(client, user, name, **kwargs):
    client.force_login(user) if user else client.logout()
    return client.get(reverse(name, kwargs=kwargs)).status_code


def test_with_open_notes_off_a_member_reads_no_note_not_even_their_own(client, world, notes):
    assert _status(client, world.member, "notes:note", pk=notes["mine"].pk) == 404
    assert _status(client, world.member, "notes:index") == 404


def test_a_partner_with_sharing_consent_reads_nothing(client, world, notes, consent, settings):
    for open_notes in (False, True):
        settings.NOTES_OPEN_TO_MEMBERS = open_notes
        for note in notes.values():
            assert _status(client, world.partner, "notes:note", pk=note.pk) == 404
        assert _status(client, world.partner, "notes:timeline", member_pk=world.member.pk) == 404
        assert (
            _status(client, world.partner, "notes:export_member", member_pk=world.member.pk) == 404
        )


def test_facilitators_of_other_groups_and_strangers_read_nothing(client, world, notes):
    for user in (world.other_facilitator, world.outsider, world.co_member, world.other_kind_member):
        for note in notes.values():
            assert _status(client, user, "notes:note", pk=note.pk) == 404, user


def test_anonymous_visitors_are_sent_to_sign_in(client, world, notes):
    response = client.get(reverse("notes:note", kwargs={"pk": notes["mine"].pk}))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_the_groups_facilitator_and_staff_read_every_note(client, world, notes):
    for user in (world.facilitator, world.staff):
        for note in notes.values():
            assert _status(client, user, "notes:note", pk=note.pk) == 200


def test_open_notes_shows_a_member_only_their_own_signed_progress_notes(
    client, world, notes, held, settings
):
    # GIVEN open notes on, and also an unsigned draft about the member in another session
    settings.NOTES_OPEN_TO_MEMBERS = True
    draft = NoteFactory(member=world.member, session__group=world.addict_group)
    # THEN the member reads their own signed note
    client.force_login(world.member)
    response = client.get(reverse("notes:note", kwargs={"pk": notes["mine"].pk}))
    assert response.status_code == 200
    assert "Alex-secret-words" in response.content.decode()
    # ...but not the group note, a co-member's note, or a draft about them
    for other in (notes["group"], notes["co_member"], draft):
        assert _status(client, world.member, "notes:note", pk=other.pk) == 404
    # ...and their list shows exactly their own signed note
    response = client.get(reverse("notes:index"))
    assert response.status_code == 200
    assert [n.pk for n in response.context["notes"]] == [notes["mine"].pk]
    # ...while the co-member sees only theirs
    assert [n.pk for n in selectors.own_notes(world.co_member)] == [notes["co_member"].pk]
    # ...and members may still not write, co-sign, or see a timeline
    assert _status(client, world.member, "notes:timeline", member_pk=world.member.pk) == 404
    assert (
        client.post(
            reverse("notes:addendum", kwargs={"pk": notes["mine"].pk}), {"text": "x", "secret": "y"}
        ).status_code
        == 404
    )


def test_the_member_data_export_holds_own_notes_only_with_open_notes(world, notes, settings):
    assert selectors.export_member(world.member.pk) == {"progress_notes": []}
    settings.NOTES_OPEN_TO_MEMBERS = True
    exported = selectors.export_member(world.member.pk)["progress_notes"]
    assert len(exported) == 1
    assert exported[0]["sections"]["Data"] == "Alex-secret-words"
    assert "Group-words" not in str(selectors.export_member(world.member.pk))
