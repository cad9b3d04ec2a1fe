"""The member's preferences and in-app list, the one-click email link, and the
facilitator's delivery page."""

import datetime

import pytest
from django.urls import reverse

from notifications.models import Channel, Notification, Preference, Status
from notifications.rendering import unsubscribe_token
from sessions.models import Answer
from tests.factories import RSVPFactory, SessionFactory
from tests.factories.notifications import NotificationFactory

SENT_AT = datetime.datetime(2026, 11, 30, 19, tzinfo=datetime.UTC)

# Every signed-in request first runs these (session, user); allauth's user-session
# tracking runs at most once a minute per session (members.middleware), so not here.
MIDDLEWARE_QUERIES = 2


def in_app(recipient, **kwargs):
    kwargs.setdefault("title", "Reminder: your Tuesday 7 pm session")
    return NotificationFactory(
        recipient=recipient,
        channel=Channel.IN_APP,
        status=Status.SENT,
        sent_at=SENT_AT,
        body="This is a reminder.",
        **kwargs,
    )


class TestInbox:
    def test_lists_own_messages_newest_first_with_unread_count(
        self, client, world, django_assert_num_queries
    ):
        for _ in range(3):
            in_app(world.member, session__group=world.addict_group)
        in_app(world.co_member, title="Someone else's", session__group=world.addict_group)
        client.force_login(world.member)
        client.get(reverse("notifications:inbox"))  # warm the user-session row
        with django_assert_num_queries(MIDDLEWARE_QUERIES + 8):
            # paginator count, nav unread count, the page of rows (with session and group);
            # then, once for the page (notifications.inbox), to render each item now: which
            # of its sessions the reader may still see, their answers, their excusals, their
            # own group labels, and their meetings at the same times ("which meeting").
            response = client.get(reverse("notifications:inbox"))
        assert response.status_code == 200
        assert response.content.decode().count("Reminder: your Tuesday 7 pm session") == 3
        assert "Someone else" not in response.content.decode()
        # Read aloud as "Notifications, 3 unread"; the badge shows only the number.
        assert 'aria-label="Notifications, 3 unread"' in response.content.decode()

    def test_empty_state_says_what_comes_here(self, client, world):
        client.force_login(world.member)
        response = client.get(reverse("notifications:inbox"))
        assert "Nothing here yet" in response.content.decode()

    def test_mark_all_read_touches_only_own_rows(self, client, world):
        mine = in_app(world.member, session__group=world.addict_group)
        theirs = in_app(world.co_member, session__group=world.addict_group)
        client.force_login(world.member)
        response = client.post(reverse("notifications:mark_read"))
        assert response.status_code == 302
        mine.refresh_from_db()
        theirs.refresh_from_db()
        assert mine.read_at is not None and theirs.read_at is None

    def test_pending_and_email_rows_are_not_listed(self, client, world):
        NotificationFactory(recipient=world.member, channel=Channel.IN_APP, title="Later")
        NotificationFactory(recipient=world.member, status=Status.SENT, title="Mail")
        client.force_login(world.member)
        content = client.get(reverse("notifications:inbox")).content.decode()
        assert "Later" not in content and "Mail" not in content


class TestPreferences:
    def test_defaults_are_shown(self, client, world):
        client.force_login(world.member)
        response = client.get(reverse("notifications:preferences"))
        assert response.status_code == 200
        form = response.context["form"]
        assert form["channels"].value() == ["email", "in_app"]
        assert form["reminders_on"].value() is True
        assert "Usual times: 1 day, 2 hours before." in response.content.decode()

    def test_saving(self, client, world, django_capture_on_commit_callbacks):
        world.member.phone = "+447700900123"
        world.member.save()
        client.force_login(world.member)
        with django_capture_on_commit_callbacks() as callbacks:
            response = client.post(
                reverse("notifications:preferences"),
                {
                    "channels": ["email", "sms"],
                    "reminders_on": "on",
                    "reminder_offsets": "1 day, 3 hours and 30 min",
                    "quiet_start": "22:00",
                    "quiet_end": "07:00",
                },
            )
        assert response.status_code == 302
        preference = Preference.objects.get(user=world.member)
        assert preference.channels == ["email", "sms"]
        assert preference.reminder_offsets == [1440, 180, 30]
        assert (preference.quiet_start, preference.quiet_end) == (
            datetime.time(22),
            datetime.time(7),
        )
        assert callbacks  # upcoming reminders are re-derived after commit
        page = client.get(reverse("notifications:preferences")).content.decode()
        assert 'value="1 day, 3 hours, 30 minutes"' in page

    @pytest.mark.parametrize(
        "data, message",
        [
            ({"reminder_offsets": "soon"}, "is not a time we understand"),
            ({"reminder_offsets": "3 weeks"}, "from 1 minute to 2 weeks"),
            ({"quiet_start": "22:00"}, "Give both times"),
            ({"quiet_start": "25:99", "quiet_end": "07:00"}, "Enter a valid time"),
            ({"channels": ["pigeon"]}, "Select a valid choice"),
            # No phone number on the account: texts cannot be turned on.
            ({"channels": ["email", "sms"]}, "Add a mobile number on your account page"),
        ],
    )
    def test_bad_input_changes_nothing(self, client, world, data, message):
        client.force_login(world.member)
        response = client.post(reverse("notifications:preferences"), data)
        assert response.status_code == 200
        assert message in response.content.decode()
        assert not Preference.objects.filter(user=world.member).exists()


class TestEmailLink:
    def test_get_asks_and_post_stops_email(self, client, world):
        url = reverse(
            "notifications:email_preferences", kwargs={"token": unsubscribe_token(world.member)}
        )
        assert "Stop emails" in client.get(url).content.decode()
        assert not Preference.objects.filter(user=world.member).exists()  # GET changes nothing
        response = client.post(url)
        assert "we won't email you any more" in response.content.decode()
        assert Preference.objects.get(user=world.member).channels == ["in_app"]

    def test_tampered_link_is_404(self, client, world):
        token = unsubscribe_token(world.member)
        url = reverse("notifications:email_preferences", kwargs={"token": token[:-2] + "xx"})
        assert client.post(url).status_code == 404
        other = unsubscribe_token(world.member).replace(
            str(world.member.pk), str(world.co_member.pk), 1
        )
        url = reverse("notifications:email_preferences", kwargs={"token": other})
        assert client.get(url).status_code == 404


class TestSessionStatus:
    def test_facilitator_sees_answers_and_delivery_with_reasons(
        self, client, world, django_assert_num_queries
    ):
        session = SessionFactory(group=world.addict_group)
        RSVPFactory(session=session, member=world.member, answer=Answer.NOT_GOING)
        NotificationFactory(recipient=world.co_member, session=session, status=Status.SENT)
        NotificationFactory(
            recipient=world.member,
            session=session,
            status=Status.SKIPPED,
            last_error="they answered not going",
        )
        NotificationFactory(
            recipient=world.co_member,
            session=session,
            channel=Channel.SMS,
            status=Status.FAILED,
            last_error="SMS provider said 400",
        )
        url = reverse("notifications:session_status", kwargs={"session_id": session.pk})
        client.force_login(world.facilitator)
        client.get(url)
        with django_assert_num_queries(MIDDLEWARE_QUERIES + 6):
            # the session (with its group), its active members, RSVPs, status counts, nav
            # unread count, the delivery rows (the MFA check is remembered since the first)
            response = client.get(url)
        content = response.content.decode()
        assert "Not going (1)" in content and "Not answered yet (1)" in content
        assert "they answered not going" in content and "SMS provider said 400" in content
        assert world.addict_group.name not in content

    def test_failures_show_on_the_facilitators_home(self, client, world):
        session = SessionFactory(group=world.addict_group)
        NotificationFactory(
            recipient=world.member,
            session=session,
            status=Status.FAILED,
            last_error="the address was refused",
            due_at=datetime.datetime.now(datetime.UTC),
        )
        client.force_login(world.facilitator)
        content = client.get(reverse("home")).content.decode()
        assert "the address was refused" in content
        client.force_login(world.other_facilitator)
        assert "the address was refused" not in client.get(reverse("home")).content.decode()
        client.force_login(world.member)
        assert "the address was refused" not in client.get(reverse("home")).content.decode()


def test_no_view_creates_rows_for_outsiders(client, world):
    client.force_login(world.outsider)
    session = SessionFactory(group=world.addict_group)
    url = reverse("notifications:session_status", kwargs={"session_id": session.pk})
    assert client.get(url).status_code == 404
    assert not Notification.objects.exists()
