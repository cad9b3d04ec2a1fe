"""What moved and cancelled notices say (issue 14, point 3) and the in-app copy (point 4)."""

import datetime

import pytest
import time_machine

from groups.models import GroupKind, GroupLabel
from notifications import api
from notifications.discretion import forbidden_words_in
from notifications.models import Channel, Kind, Notification, Preference
from notifications.rendering import render_notification
from notifications.selectors import inbox_link
from sessions import services as scheduling
from sessions.models import RSVP, Answer
from tests.factories import (
    EnrollmentFactory,
    GroupFactory,
    MaterialFactory,
    RSVPFactory,
    SessionFactory,
    UserFactory,
)

NOW = datetime.datetime(2026, 11, 25, 12, tzinfo=datetime.UTC)
START = datetime.datetime(2026, 12, 1, 19, tzinfo=datetime.UTC)  # Tuesday 7 pm London


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def notice(person, kind, channel=Channel.EMAIL):
    row = Notification.objects.filter(recipient=person, kind=kind, channel=channel).latest("pk")
    return render_notification(row)


def move(session, local_start, minutes=90):
    scheduling.session_update(
        session=session,
        actor=session.group.facilitators.first(),
        starts_local=local_start,
        duration_minutes=minutes,
    )
    session.refresh_from_db()


def test_a_move_says_from_when_to_when(world):
    session = SessionFactory(group=world.addict_group, starts_at=START)
    move(session, datetime.datetime(2026, 12, 1, 19, 15))
    email = notice(world.member, Kind.SESSION_MOVED)
    assert email.subject == (
        "Moved: your session on Tuesday 1 December, 7 pm is now on Tuesday 1 December, 7:15 pm"
    )
    assert "Tuesday 1 December, 7 pm has moved to Tuesday 1 December, 7:15 pm" in email.text


def test_a_move_to_another_day_asks_everyone_again(world):
    session = SessionFactory(group=world.addict_group, starts_at=START)
    RSVPFactory(session=session, member=world.member, answer=Answer.GOING)
    move(session, datetime.datetime(2026, 12, 3, 19))
    # "Going" for Tuesday is not carried to Thursday: the answer is asked for again.
    assert not RSVP.objects.filter(session=session).exists()
    email = notice(world.member, Kind.SESSION_MOVED)
    assert "Please tell us again whether you will be there" in email.text
    assert "I'm going" in email.html


def test_a_move_on_the_same_day_keeps_going_and_says_so(world):
    session = SessionFactory(group=world.addict_group, starts_at=START)
    RSVPFactory(session=session, member=world.member, answer=Answer.GOING)
    move(session, datetime.datetime(2026, 12, 1, 19, 30))
    assert RSVP.objects.get(session=session, member=world.member).answer == Answer.GOING
    email = notice(world.member, Kind.SESSION_MOVED)
    assert "You said you are going. If the new time does not suit you" in email.text
    assert "Will you be there" not in email.text
    # Casey had not answered: asked.
    assert (
        "Please check that the new time suits you"
        not in notice(world.co_member, Kind.SESSION_MOVED).text
    )
    assert "Please tell us again" in notice(world.co_member, Kind.SESSION_MOVED).text


def test_a_cancellation_gives_the_facilitators_reason(world):
    session = SessionFactory(group=world.addict_group, starts_at=START)
    scheduling.session_cancel(session=session, actor=world.facilitator, reason="Fran is ill")
    email = notice(world.member, Kind.SESSION_CANCELLED)
    assert "The reason: Fran is ill" in email.text
    assert "Fran is ill" in email.html
    assert "Fran is ill" in notice(world.member, Kind.SESSION_CANCELLED, Channel.IN_APP).text


def test_a_reason_that_would_not_be_discreet_stays_in_the_app(world):
    session = SessionFactory(group=world.addict_group, starts_at=START)
    reason = "Our therapist is away"
    scheduling.session_cancel(session=session, actor=world.facilitator, reason=reason)
    email = notice(world.member, Kind.SESSION_CANCELLED)
    assert reason not in email.text and not forbidden_words_in(email.outbound_text())
    assert reason in notice(world.member, Kind.SESSION_CANCELLED, Channel.IN_APP).text


@pytest.fixture
def two_meetings_at_seven(world):
    """Alex is also in a second group that meets at the same hour on Tuesday."""
    other = GroupFactory(name="Recovery circle B", facilitators=[world.other_facilitator])
    EnrollmentFactory(group=other, member=world.member)
    SessionFactory(group=other, starts_at=START + datetime.timedelta(minutes=30))
    return other


def test_no_group_is_named_when_the_member_has_one_meeting_at_that_hour(world):
    session = SessionFactory(group=world.addict_group, starts_at=START)
    scheduling.session_cancel(session=session, actor=world.facilitator, reason="Holiday")
    email = notice(world.member, Kind.SESSION_CANCELLED)
    assert "Tuesday evening" not in email.subject + email.text + email.html
    assert "7 pm (Europe/London time) is cancelled" in email.text


def test_the_members_own_label_says_which_meeting(world, two_meetings_at_seven):
    GroupLabel.objects.create(member=world.member, group=world.addict_group, label="Tuesdays")
    session = SessionFactory(group=world.addict_group, starts_at=START)
    scheduling.session_cancel(session=session, actor=world.facilitator, reason="Holiday")
    email = notice(world.member, Kind.SESSION_CANCELLED)
    assert "7 pm (Europe/London time) is cancelled. This is about Tuesdays." in email.text
    # Casey has one meeting at that hour: no name.
    assert "Tuesdays" not in notice(world.co_member, Kind.SESSION_CANCELLED).text


def test_without_a_label_the_group_name_is_used_if_discreet(world, two_meetings_at_seven):
    session = SessionFactory(group=world.addict_group, starts_at=START)
    move(session, datetime.datetime(2026, 12, 1, 19, 15))
    assert "This is about Tuesday evening." in notice(world.member, Kind.SESSION_MOVED).text


def test_a_telling_group_name_gives_way_to_its_facilitator_outbound(world, two_meetings_at_seven):
    world.addict_group.name = "Sex addiction group"
    world.addict_group.save()
    session = SessionFactory(group=world.addict_group, starts_at=START)
    scheduling.session_cancel(session=session, actor=world.facilitator, reason="Holiday")
    email = notice(world.member, Kind.SESSION_CANCELLED)
    assert "This is about the group with Fran." in email.text
    assert not forbidden_words_in(email.outbound_text())
    # The app may say the name the member sees.
    assert "Sex addiction group" in notice(world.member, Kind.SESSION_CANCELLED, "in_app").text


def test_every_new_notice_is_discreet_for_a_telling_group(db):
    """Moved (with the old time), cancelled (with a typed reason) and series notices, by
    email and text, for a group whose every free-text field would give it away."""
    facilitator = UserFactory(facilitator=True, display_name="Fran")
    group = GroupFactory(
        name="Sex addiction recovery group", kind=GroupKind.ADDICT, facilitators=[facilitator]
    )
    member = UserFactory(phone="+447700900123")
    EnrollmentFactory(group=group, member=member)
    other = GroupFactory(name="Porn recovery", facilitators=[facilitator])
    EnrollmentFactory(group=other, member=member)
    SessionFactory(group=other, starts_at=START)
    SessionFactory(group=other, starts_at=START + datetime.timedelta(days=1))
    Preference.objects.create(user=member, channels=[Channel.EMAIL, Channel.SMS])
    moving, cancelling = (
        SessionFactory(group=group, starts_at=START + datetime.timedelta(days=i)) for i in (0, 1)
    )
    move(moving, datetime.datetime(2026, 12, 1, 19, 15))
    scheduling.session_cancel(session=cancelling, actor=facilitator, reason="Therapy room flooded")
    api.series_changed(moved={moving.pk: (START, START)}, cancelled_ids=[cancelling.pk])
    for kind in (Kind.SESSION_MOVED, Kind.SESSION_CANCELLED, Kind.SERIES_CHANGED):
        for channel in (Channel.EMAIL, Channel.SMS):
            text = notice(member, kind, channel).outbound_text()
            assert "Fran" in text or channel == Channel.SMS, text  # which meeting: the clash
            assert not forbidden_words_in(text), text


def test_in_app_copy_is_short_and_has_no_email_furniture(world):
    session = SessionFactory(group=world.addict_group, starts_at=START)
    move(session, datetime.datetime(2026, 12, 1, 19, 15))
    in_app = notice(world.member, Kind.SESSION_MOVED, Channel.IN_APP)
    assert in_app.text.startswith("Moved from Tuesday 1 December, 7 pm to Tuesday 1 December")
    for furniture in ("calendar file", "Stop these emails", "http", "Hello"):
        assert furniture not in in_app.text
    assert not in_app.attachments and not in_app.html


@pytest.mark.parametrize("kind", [k for k in Kind.values if k != Kind.INVITATION])
def test_every_kind_has_a_short_in_app_copy(world, kind):
    session = SessionFactory(group=world.addict_group, starts_at=START)
    row = Notification.objects.create(
        recipient=world.member,
        kind=kind,
        channel=Channel.IN_APP,
        session=session,
        key=f"sample:{kind}",
        due_at=NOW,
    )
    text = render_notification(row).text
    assert "Stop these emails" not in text and "http" not in text and len(text) < 400


def test_in_app_items_link_to_what_they_are_about(world):
    session = SessionFactory(group=world.addict_group, starts_at=START)
    material = MaterialFactory(group=world.addict_group)
    about_session = Notification(kind=Kind.REMINDER, session=session)
    about_reading = Notification(kind=Kind.MATERIAL_PUBLISHED, session=None, object_id=material.pk)
    assert inbox_link(about_session) == f"/sessions/{session.pk}/"
    assert inbox_link(about_reading).endswith(f"/{material.pk}/")
    assert inbox_link(Notification(kind=Kind.SERIES_CHANGED, session=session)) == "/sessions/"


def test_the_inbox_shows_the_short_copy_a_separate_new_mark_and_a_link(
    world, client, django_capture_on_commit_callbacks
):
    session = SessionFactory(group=world.addict_group, starts_at=START)
    with django_capture_on_commit_callbacks(execute=True):
        move(session, datetime.datetime(2026, 12, 1, 19, 15))
    client.force_login(world.member)
    html = client.get("/notifications/").content.decode()
    assert "<p><mark>New</mark></p>" in html
    assert f'<h2><a href="/sessions/{session.pk}/">Moved: your session' in html
    assert "calendar file" not in html and "Stop these emails" not in html


def test_telling_twice_about_one_series_edit_sends_one_notice(world):
    sessions = [
        SessionFactory(group=world.addict_group, starts_at=START + datetime.timedelta(weeks=i))
        for i in range(3)
    ]
    was = {s.pk: (s.starts_at, s.ends_at) for s in sessions}
    for s in sessions:
        s.starts_at += datetime.timedelta(minutes=15)
        s.ends_at += datetime.timedelta(minutes=15)
        s.save()
    api.series_changed(moved=was)
    api.series_changed(moved=was)
    rows = Notification.objects.filter(kind=Kind.SERIES_CHANGED, recipient=world.member)
    assert rows.count() == 2  # email and in-app, once each
