"""Journey: after the group, a facilitator on a phone takes roll, writes the group note and a
progress note for each member present, signs (a wrong password first: nothing is lost), and
adds a signed addendum."""

import datetime

import pytest
from django.utils import timezone

from notes.models import Note, NoteKind
from tests.browser.helpers import action, check_page, log_in
from tests.factories import RSVPFactory, SessionFactory
from tests.factories.members import TEST_PASSWORD

pytestmark = pytest.mark.browser


def test_roll_call_then_notes_on_a_phone_sign_and_addendum(new_page, world):
    session = SessionFactory(
        group=world.addict_group, starts_at=timezone.now() - datetime.timedelta(minutes=95)
    )
    RSVPFactory(session=session, member=world.member)
    phone = new_page("phone")
    log_in(phone, world.facilitator.email)

    # Roll call: Alex present, Casey absent
    phone.goto(phone.live_url + f"/attendance/sessions/{session.pk}/")
    action(phone, "Mark everyone who said they're going as present").click()
    phone.locator(f"#member-{world.co_member.pk}").get_by_role("button", name="Absent").click()
    check_page(phone, "roll-taken")

    # From roll call to the session's notes
    action(phone, "Write notes").click()
    check_page(phone, "session-notes")
    assert "Casey" in (
        phone.locator("main details").text_content() or ""
    )  # absent: no note unless added

    # The group note: autosaved as she types
    action(phone, "Write the group note").click()
    check_page(phone, "group-note")
    phone.get_by_label("Themes").fill("Weekends alone; what helps")
    phone.wait_for_selector("#autosave-status:has-text('Saved at')", timeout=15_000)
    group_note = Note.objects.get(session=session, kind=NoteKind.GROUP)
    assert group_note.values()["themes"] == "Weekends alone; what helps"
    phone.get_by_label("Your password or a code from your authenticator app").fill(TEST_PASSWORD)
    phone.get_by_role("button", name="Sign", exact=True).click()
    check_page(phone, "group-note-signed")

    # A progress note for each member present: Alex
    phone.locator(f"#member-{world.member.pk}").get_by_role("link").click()
    check_page(phone, "progress-note")
    data = phone.get_by_label("Data")
    assert "Attendance: present." in data.input_value()
    assert "Themes: Weekends alone" in data.input_value()
    phone.get_by_label("Assessment").fill("Engaged, named a plan for Saturday")
    # A wrong password: the page says so and keeps every word
    phone.get_by_label("Your password or a code from your authenticator app").fill("not it")
    phone.get_by_role("button", name="Sign", exact=True).click()
    assert "not right" in phone.locator("main").inner_text()
    assert phone.get_by_label("Assessment").input_value() == "Engaged, named a plan for Saturday"
    check_page(phone, "progress-note-wrong-password")
    phone.get_by_label("Your password or a code from your authenticator app").fill(TEST_PASSWORD)
    phone.get_by_role("button", name="Sign", exact=True).click()
    note = Note.objects.get(session=session, member=world.member)
    assert note.is_signed and note.values()["assessment"] == "Engaged, named a plan for Saturday"
    assert "signed" in phone.locator(f"#member-{world.member.pk}").inner_text()

    # The signed note cannot be edited; an addendum, signed, shows beside it
    phone.locator(f"#member-{world.member.pk}").get_by_role("link").click()
    check_page(phone, "signed-note")
    assert phone.locator("textarea[name=s_assessment]").count() == 0
    phone.get_by_label("Addendum", exact=True).fill("She texted later: the plan held.")
    phone.locator("#addendum-secret").fill(TEST_PASSWORD)
    phone.get_by_role("button", name="Sign and add").click()
    check_page(phone, "addendum-added")
    assert "She texted later: the plan held." in phone.locator("main").inner_text()
    assert note.addenda.count() == 1
