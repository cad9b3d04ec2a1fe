"""The facilitators' next-day digest: one discreet message a day to each facilitator whose
past sessions still have notes missing or unsigned."""

import datetime
import re

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from attendance.models import Mark
from notes.digest import notes_outstanding_digest
from notes.models import NoteKind
from notes.selectors import outstanding_count
from notes.tasks import send_notes_outstanding
from notifications import api as notifications
from notifications.discretion import forbidden_words_in
from notifications.models import Channel, Kind, Notification, Preference
from notifications.rendering import render_notification
from tests.factories import AttendanceFactory, EnrollmentFactory, UserFactory
from tests.factories.notes import NoteFactory

# The morning after the `held` session (Tuesday 3 March, 19:00-20:30 in London).
MORNING = datetime.datetime(2026, 3, 4, 9, tzinfo=datetime.UTC)


def _digests(user=None):
    rows = Notification.objects.filter(kind=Kind.NOTES_OUTSTANDING)
    return rows.filter(recipient=user) if user is not None else rows


@pytest.fixture
def three_left(world, held):
    """A draft group note, a draft progress note for the member, and a late arrival with none."""
    late = UserFactory(display_name="Robin")
    EnrollmentFactory(group=world.addict_group, member=late)
    AttendanceFactory(session=held, member=late, mark=Mark.LATE)
    NoteFactory(session=held, member=None, kind=NoteKind.GROUP)
    NoteFactory(session=held, member=world.member)
    return held


def test_a_facilitator_with_notes_left_hears_once_a_day(world, three_left):
    with time_machine.travel(MORNING, tick=False):
        # WHEN the hourly task runs, twice (a second worker, or the next hour)
        assert send_notes_outstanding() == 1
        notes_outstanding_digest()
        # THEN the group's facilitator has one message per channel (email and in the app)
        rows = _digests()
        assert set(rows.values_list("recipient", flat=True)) == {world.facilitator.pk}
        assert sorted(rows.values_list("channel", flat=True)) == [Channel.EMAIL, Channel.IN_APP]
        # ...counting the unsigned group note, the unsigned progress note and the missing one
        assert outstanding_count(world.facilitator) == 3
        email = render_notification(rows.get(channel=Channel.EMAIL))
    assert email.subject == f"3 items to finish in {settings.CLINIC_NAME}"
    assert "/notes/" in email.text and "/notes/" in email.html
    # AND the next day brings a new one
    with time_machine.travel(MORNING + datetime.timedelta(days=1), tick=False):
        notes_outstanding_digest()
    assert _digests().count() == 4


def test_the_message_names_no_group_member_or_clinical_word(world, three_left):
    with time_machine.travel(MORNING, tick=False):
        notes_outstanding_digest()
        # What leaves the app: the email (the in-app copy stays inside and may say more)
        rows = _digests().exclude(channel=Channel.IN_APP)
        texts = [render_notification(row).outbound_text() for row in rows]
    assert texts
    for text in texts:
        assert not forbidden_words_in(text)
        words = re.sub(r"https?://\S+", "", text)  # the link may name the page; the words not
        assert "item" in words
        for telling in (world.addict_group.name, "Alex", "Robin", "note", "Handling weekends"):
            assert telling.lower() not in words.lower()


def test_signed_notes_leave_nothing_to_tell(world, held):
    # GIVEN the group note and the present member's note, both signed (the absent member
    # needs none)
    signed = {"signed_by": world.facilitator, "signed_at": timezone.now()}
    NoteFactory(session=held, member=None, kind=NoteKind.GROUP, **signed)
    NoteFactory(session=held, member=world.member, **signed)
    with time_machine.travel(MORNING, tick=False):
        assert notes_outstanding_digest() == 0
    assert not _digests().exists()


def test_only_facilitators_of_groups_with_notes_left(world, three_left):
    # Olly runs other groups, whose sessions are all noted; staff run none by name.
    with time_machine.travel(MORNING, tick=False):
        notes_outstanding_digest()
    assert not _digests(world.other_facilitator).exists()
    assert not _digests(world.staff).exists()
    assert _digests(world.facilitator).exists()


def test_an_inactive_facilitator_hears_nothing(world, three_left):
    world.facilitator.is_active = False
    world.facilitator.save()
    with time_machine.travel(MORNING, tick=False):
        notes_outstanding_digest()
    assert not _digests().exists()


def test_not_on_the_night_itself_nor_before_the_morning(world, three_left):
    # The session ended at 20:30: at 23:00 that night its notes are not late yet.
    with time_machine.travel(datetime.datetime(2026, 3, 3, 23, tzinfo=datetime.UTC), tick=False):
        assert notes_outstanding_digest() == 0
    # At 6 am the next day it is too early to write to anyone.
    with time_machine.travel(datetime.datetime(2026, 3, 4, 6, tzinfo=datetime.UTC), tick=False):
        assert notes_outstanding_digest() == 0
    # A facilitator in New York hears in their own morning, not at 4 am.
    world.facilitator.time_zone = "America/New_York"
    world.facilitator.save()
    with time_machine.travel(MORNING, tick=False):
        assert notes_outstanding_digest() == 0
    with time_machine.travel(MORNING + datetime.timedelta(hours=5), tick=False):
        assert notes_outstanding_digest() == 1
    assert not _digests().filter(due_at__lt=MORNING + datetime.timedelta(hours=5)).exists()


def test_the_entry_point_is_idempotent_per_facilitator_and_day(world):
    day = datetime.date(2026, 3, 4)
    notifications.notes_outstanding(world.facilitator.pk, 2, day)
    notifications.notes_outstanding(world.facilitator.pk, 5, day)
    assert _digests().count() == 2  # email and in the app, once
    notifications.notes_outstanding(world.facilitator.pk, 0, day + datetime.timedelta(days=1))
    assert _digests().count() == 2  # nothing left: nothing sent


def test_by_text_message_too_and_just_as_discreet(world, three_left):
    world.facilitator.phone = "+447700900123"
    world.facilitator.save()
    Preference.objects.create(user=world.facilitator, channels=[Channel.SMS])
    with time_machine.travel(MORNING, tick=False):
        notes_outstanding_digest()
        sms = render_notification(_digests().get(channel=Channel.SMS)).sms
    assert sms.startswith(f"{settings.CLINIC_NAME}: 3 items from past sessions to finish.")
    assert not forbidden_words_in(sms) and world.addict_group.name not in sms


def test_the_in_app_copy_says_what_is_left_inside_the_app(world, three_left):
    with time_machine.travel(MORNING, tick=False):
        notes_outstanding_digest()
        rendered = render_notification(_digests().get(channel=Channel.IN_APP))
    assert rendered.subject == f"3 items to finish in {settings.CLINIC_NAME}"
    assert rendered.text == "3 notes of past sessions are still to write or sign."
