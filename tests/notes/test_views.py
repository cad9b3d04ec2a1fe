"""The notes pages as a facilitator uses them after a group, on any device."""

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from notes import services
from notes.models import Note, NoteKind
from tests.factories.members import TEST_PASSWORD
from tests.factories.notes import AddendumFactory, NoteFactory


@pytest.fixture
def fran(client, world):
    client.force_login(world.facilitator)
    return client


def _actions(**filters):
    return set(AuditEvent.objects.filter(**filters).values_list("action", flat=True))


def test_the_group_note_page_starts_nothing_until_saved(fran, held):
    response = fran.get(reverse("notes:group_note", args=[held.pk]))
    assert response.status_code == 200
    # The topic is pre-filled from the session
    assert "Handling weekends" in response.content.decode()
    assert not Note.objects.exists()


def test_save_then_sign_with_a_wrong_password_keeps_the_text(fran, world, held):
    url = reverse("notes:group_note", args=[held.pk])
    # WHEN Fran signs with a wrong password
    response = fran.post(url, {"action": "sign", "s_themes": "Weekends alone", "secret": "nope"})
    # THEN the page comes back with the error and her text, and the draft is saved
    assert response.status_code == 200
    body = response.content.decode()
    assert "not right" in body
    assert "Weekends alone" in body
    note = Note.objects.get(session=held, kind=NoteKind.GROUP)
    assert note.values()["themes"] == "Weekends alone"
    assert not note.is_signed
    # WHEN she signs with her password THEN it is signed and she is back on the session's notes
    response = fran.post(
        url, {"action": "sign", "s_themes": "Weekends alone", "secret": TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("notes:session", args=[held.pk])
    note.refresh_from_db()
    assert note.signed_by == world.facilitator
    # ...and the page now shows the signed note, read-only
    assert fran.get(url)["Location"] == reverse("notes:note", args=[note.pk])


def test_a_signed_note_refuses_an_edit_through_the_page(fran, world, held):
    note = NoteFactory(
        session=held, member=world.member, signed_by=world.facilitator, signed_at=timezone.now()
    )
    before = note.values()
    url = reverse("notes:progress", args=[held.pk, world.member.pk])
    response = fran.post(url, {"action": "save", "s_data": "Rewritten"})
    assert response.status_code == 302
    assert Note.objects.get(pk=note.pk).values() == before
    autosave = fran.post(url, {"action": "autosave", "s_data": "Rewritten"})
    assert autosave.status_code == 409
    assert Note.objects.get(pk=note.pk).values() == before


def test_autosave_answers_json_with_the_merged_text(fran, world, held):
    note = services.group_note_start(session=held, actor=world.facilitator)
    base = services.digests(note)
    services.note_save(note=note, values={"plan": "Olly's plan"}, base=base, actor=world.staff)
    response = fran.post(
        reverse("notes:group_note", args=[held.pk]),
        {"action": "autosave", "s_plan": "Fran's plan", "b_plan": base["plan"]},
    )
    data = response.json()
    assert data["ok"] is True
    assert "Olly's plan" in data["values"]["plan"] and "Fran's plan" in data["values"]["plan"]
    assert data["merged"] == ["Plan for next session"]
    assert data["digests"]["plan"] == services.digest(data["values"]["plan"])


def test_a_progress_note_page_offers_the_formats_and_prefills(fran, world, held):
    response = fran.get(reverse("notes:progress", args=[held.pk, world.member.pk]) + "?format=birp")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Behaviour" in body and "Attendance: present." in body
    fran.post(
        reverse("notes:progress", args=[held.pk, world.member.pk]),
        {"action": "save", "format": "birp", "s_behavior": "Quiet"},
    )
    note = Note.objects.get(member=world.member)
    assert note.template.key == "birp" and note.values()["behavior"] == "Quiet"


def test_a_member_not_on_the_roll_has_no_note_page(fran, world, held):
    url = reverse("notes:progress", args=[held.pk, world.partner.pk])
    assert fran.get(url).status_code == 404


def test_the_session_page_lists_present_members_and_offers_missed_notes(fran, world, held):
    response = fran.get(reverse("notes:session", args=[held.pk]))
    overview = response.context["overview"]
    assert [row.member for row in overview.attended] == [world.member]
    assert [row.member for row in overview.others] == [world.co_member]
    assert "Add a missed-session note" in response.content.decode()


def test_roll_call_links_to_the_notes(fran, held, frozen):
    response = fran.get(reverse("attendance:roll", args=[held.pk]))
    assert reverse("notes:session", args=[held.pk]) in response.content.decode()


def test_addendum_and_cosign_pages(fran, world, held):
    note = NoteFactory(
        session=held, member=world.member, signed_by=world.facilitator, signed_at=timezone.now()
    )
    url = reverse("notes:addendum", args=[note.pk])
    # A wrong password: a form error, nothing added
    response = fran.post(url, {"text": "Late, in fact.", "secret": "no"})
    assert response.status_code == 400 and not note.addenda.exists()
    response = fran.post(url, {"text": "Late, in fact.", "secret": TEST_PASSWORD})
    assert response.status_code == 302
    page = fran.get(reverse("notes:note", args=[note.pk])).content.decode()
    assert "Late, in fact." in page and "Signed by Fran" in page
    # No co-signature is needed: the co-sign form refuses
    assert (
        fran.post(reverse("notes:cosign", args=[note.pk]), {"secret": TEST_PASSWORD}).status_code
        == 400
    )


def test_the_home_page_lists_sessions_with_missing_or_unsigned_notes(fran, world, held, frozen):
    response = fran.get(reverse("home"))
    body = response.content.decode()
    assert "Notes to finish" in body
    assert "group note not started" in body
    assert "1 progress note missing" in body


def test_exports_are_pdfs_with_neutral_names_and_audited(fran, world, held, frozen):
    note = NoteFactory(
        session=held, member=world.member, signed_by=world.facilitator, signed_at=timezone.now()
    )
    AddendumFactory(note=note, signed_by=world.facilitator)
    response = fran.get(reverse("notes:export_member", args=[world.member.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == 'attachment; filename="records-2026-03-03.pdf"'
    response = fran.get(
        reverse("notes:export_group", args=[world.addict_group.pk]),
        {"date_from": "2026-03-01", "date_to": "2026-03-31"},
    )
    assert response.content.startswith(b"%PDF")
    assert "records-" in response["Content-Disposition"]
    exports = AuditEvent.objects.filter(action="notes.export")
    assert exports.count() == 2
    assert exports.filter(subject_id=world.member.pk).exists()


def test_a_group_export_with_a_bad_range_says_so(fran, world):
    response = fran.get(
        reverse("notes:export_group", args=[world.addict_group.pk]),
        {"date_from": "2026-03-31", "date_to": "2026-03-01"},
        follow=True,
    )
    assert "start date must be on or before" in response.content.decode()


def test_search_finds_text_in_my_groups_only(fran, world, held):
    NoteFactory(session=held, member=world.member, values={"data": "Talked about the lighthouse"})
    NoteFactory(
        session__group=world.partner_group, member=world.partner, values={"data": "lighthouse too"}
    )
    response = fran.get(reverse("notes:index"), {"q": "LIGHTHOUSE"})
    hits = response.context["hits"]
    assert [hit.note.member for hit in hits] == [world.member]
    assert "lighthouse" in hits[0].snippet
    assert "notes.search" in _actions(actor_id=world.facilitator.pk)


def test_reads_and_the_timeline_are_audited(fran, world, held):
    note = NoteFactory(session=held, member=world.member)
    fran.get(reverse("notes:note", args=[note.pk]))
    fran.get(reverse("notes:timeline", args=[world.member.pk]))
    assert {"notes.read", "notes.timeline"} <= _actions(subject_id=world.member.pk)
