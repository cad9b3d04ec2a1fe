import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from attendance.selectors import roll_is_open
from sessions import permissions, selectors, services
from sessions.models import RSVP, Seat, Session
from tests.factories import EnrollmentFactory, RSVPFactory, SessionFactory, UserFactory

UTC = datetime.UTC
NOW = datetime.datetime(2026, 11, 21, 12, tzinfo=UTC)
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _sessions(group, n):
    start = datetime.datetime(2026, 11, 24, 19, tzinfo=UTC)
    return Session.objects.bulk_create(
        Session(
            group=group,
            starts_at=start + datetime.timedelta(hours=6 * i),
            ends_at=start + datetime.timedelta(hours=6 * i, minutes=90),
        )
        for i in range(n)
    )


def test_member_sees_upcoming_in_their_own_time_zone_and_answers(client, world):
    world.member.time_zone = "America/New_York"
    world.member.save()
    session = SessionFactory(
        group=world.addict_group, starts_at=datetime.datetime(2026, 11, 24, 19, tzinfo=UTC)
    )
    client.force_login(world.member)
    page = client.get(reverse("scheduling:upcoming"))
    assert page.status_code == 200
    assert "2 pm" in page.content.decode()
    response = client.post(
        reverse("scheduling:rsvp", kwargs={"pk": session.pk}), {"answer": "going"}
    )
    assert response.status_code == 302
    assert RSVP.objects.get(session=session, member=world.member).seat == Seat.CONFIRMED
    assert "You're going" in client.get(reverse("scheduling:upcoming")).content.decode()


def test_partner_cannot_see_or_answer_the_addict_groups_session(client, world):
    session = SessionFactory(group=world.addict_group)
    client.force_login(world.partner)
    assert client.get(reverse("scheduling:detail", kwargs={"pk": session.pk})).status_code == 404
    response = client.post(
        reverse("scheduling:rsvp", kwargs={"pk": session.pk}), {"answer": "going"}
    )
    assert response.status_code == 404
    assert not RSVP.objects.exists()
    page = client.get(reverse("scheduling:upcoming")).content.decode()
    assert reverse("scheduling:detail", kwargs={"pk": session.pk}) not in page


def test_join_link_appears_only_shortly_before(client, world, settings):
    settings.SESSION_JOIN_OPENS_MINUTES = 10
    session = SessionFactory(
        group=world.addict_group,
        video_url="https://video.example.org/room",
        starts_at=NOW + datetime.timedelta(minutes=30),
    )
    client.force_login(world.member)
    url = reverse("scheduling:detail", kwargs={"pk": session.pk})
    assert "video.example.org" not in client.get(url).content.decode()
    with time_machine.travel(NOW + datetime.timedelta(minutes=21), tick=False):
        assert "video.example.org" in client.get(url).content.decode()


def test_group_page_shows_the_video_link_only_while_a_session_is_open_to_join(
    client, world, settings
):
    # GIVEN an online group whose next session starts in 30 minutes; joining opens 10 before
    settings.SESSION_JOIN_OPENS_MINUTES = 10
    group = world.addict_group
    group.video_url = "https://video.example.org/group-room"
    group.format = "online"
    group.save()
    SessionFactory(group=group, starts_at=NOW + datetime.timedelta(minutes=30))
    client.force_login(world.member)
    url = reverse("groups:detail", kwargs={"pk": group.pk})
    # WHEN the member opens the group page now, THEN the link is not there, only when it comes
    body = client.get(url).content.decode()
    assert "group-room" not in body
    assert "10 minutes before it starts" in body
    # WHEN they open it 9 minutes before the start (and during the session)
    for minutes in (21, 60):
        with time_machine.travel(NOW + datetime.timedelta(minutes=minutes), tick=False):
            # THEN the link is there
            assert "video.example.org/group-room" in client.get(url).content.decode()


def test_cancelled_session_shows_the_reason(client, world):
    session = SessionFactory(group=world.addict_group)
    services.session_cancel(session=session, actor=world.facilitator, reason="Fran is unwell")
    client.force_login(world.member)
    body = client.get(reverse("scheduling:detail", kwargs={"pk": session.pk})).content.decode()
    assert "Fran is unwell" in body


def test_facilitator_session_page_shows_counts_waitlist_and_not_answered(client, world):
    session = SessionFactory(group=world.addict_group, capacity=1)
    RSVPFactory(session=session, member=world.member)
    waiting = UserFactory(display_name="Robin")
    EnrollmentFactory(group=world.addict_group, member=waiting)
    RSVPFactory(session=session, member=waiting, seat=Seat.WAITLISTED, waitlisted_at=NOW)
    client.force_login(world.facilitator)
    body = client.get(reverse("scheduling:detail", kwargs={"pk": session.pk})).content.decode()
    assert "Robin" in body and "Casey" in body  # waitlisted, not answered
    assert "1 seat confirmed of 1" in body


def test_bad_series_input_shows_a_message_and_saves_nothing(client, world):
    client.force_login(world.facilitator)
    url = reverse("scheduling:series_create", kwargs={"group_pk": world.addict_group.pk})
    response = client.post(
        url,
        {
            "frequency": "weekly",
            "weekday": "TU",
            "starts_on": "2026-12-02",
            "start_time": "19:00",
            "duration_minutes": "90",
            "end": "until",
            "until": "2026-12-01",
        },
    )
    assert response.status_code == 200
    assert "before the first date" in response.content.decode()
    assert not world.addict_group.series.exists()


def test_series_create_and_edit_through_the_pages(client, world):
    client.force_login(world.facilitator)
    url = reverse("scheduling:series_create", kwargs={"group_pk": world.addict_group.pk})
    data = {
        "frequency": "weekly",
        "weekday": "TU",
        "starts_on": "2026-11-24",
        "start_time": "19:00",
        "duration_minutes": "90",
        "end": "count",
        "count": "4",
    }
    assert client.post(url, data).status_code == 302
    series = world.addict_group.series.get()
    assert series.sessions.count() == 4
    edit = reverse("scheduling:series_edit", kwargs={"pk": series.pk})
    assert client.get(edit).status_code == 200
    data.update(start_time="01:30", weekday="SU", end="never")
    world.addict_group.time_zone = "Europe/London"
    world.addict_group.save()
    response = client.post(edit, data)
    assert "does not exist" in response.content.decode()
    series.refresh_from_db()
    assert series.start_time == datetime.time(19, 0)


def test_move_page_rejects_end_before_start(client, world):
    session = SessionFactory(group=world.addict_group)
    client.force_login(world.facilitator)
    response = client.post(
        reverse("scheduling:change", kwargs={"pk": session.pk}),
        {"date": "2026-12-02", "start_time": "19:00", "end_time": "18:00"},
    )
    assert "end is before the start" in response.content.decode()
    session.refresh_from_db()
    assert session.sequence == 0


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_upcoming_page_query_count_does_not_grow_with_sessions(
    client, world, django_assert_num_queries
):
    """GIVEN a member with 3, then 300 upcoming sessions THEN the page runs the same
    number of queries, and the sessions part of it is pinned."""
    client.force_login(world.member)
    url = reverse("scheduling:upcoming")
    client.get(url)  # warm the session and the other apps' per-login caches
    counts = []
    for n in (3, 300):
        Session.objects.all().delete()
        for s in _sessions(world.addict_group, n):
            if s.pk % 2:
                RSVPFactory(session=s, member=world.co_member)
        counts.append(_count(client, url))
        # 1 my groups, each with whether I may answer (active enrollment) and run it,
        # 2 sessions in those groups + group + confirmed seat count + my RSVP and place
        with django_assert_num_queries(2):
            assert len(selectors.upcoming_for(world.member)) == n
    assert counts[0] == counts[1]


def test_facilitator_session_page_query_count_does_not_grow(
    client, world, django_assert_num_queries
):
    client.force_login(world.facilitator)
    client.get(reverse("scheduling:upcoming"))
    counts = []
    for n in (3, 300):
        Session.objects.all().delete()
        session = _sessions(world.addict_group, n)[0]
        for person in UserFactory.create_batch(n // 10):
            EnrollmentFactory(group=world.addict_group, member=person)
            RSVPFactory(session=session, member=person)
        counts.append(_count(client, reverse("scheduling:detail", kwargs={"pk": session.pk})))
        # 1 the session, visible to me (+ group); 2 it again with seats and my RSVP;
        # 3 groups I may answer in; 4 may I run it; 5 RSVPs + members;
        # 6 active members who have not answered
        with django_assert_num_queries(6):
            found = permissions.get_session_for_user(world.facilitator, session.pk)
            found = selectors.session_for_member(found, world.facilitator)
            selectors.session_roster(found.session)
    assert counts[0] == counts[1]


def test_home_panel_lists_the_next_sessions(client, world):
    session = SessionFactory(group=world.addict_group, topic="")
    client.force_login(world.member)
    body = client.get(reverse("home")).content.decode()
    assert "Your next sessions" in body
    assert reverse("scheduling:detail", kwargs={"pk": session.pk}) in body
    # Two groups can meet at the same hour, so each row names its group.
    panel = body.split('id="next-sessions"', 1)[1].split("</section>", 1)[0]
    assert world.addict_group.name in panel


def test_schedule_page_describes_the_rule_in_plain_words(client, world):
    services.series_create(
        group=world.addict_group,
        actor=world.facilitator,
        rrule="FREQ=WEEKLY;INTERVAL=2;BYDAY=TU",
        starts_on=datetime.date(2026, 11, 24),
        start_time=datetime.time(19),
        duration_minutes=90,
    )
    client.force_login(world.facilitator)
    url = reverse("scheduling:schedule", kwargs={"group_pk": world.addict_group.pk})
    assert "Every other Tuesday, 7 pm" in client.get(url).content.decode()


def test_waitlisted_member_sees_their_place(client, world):
    session = SessionFactory(group=world.addict_group, capacity=1)
    RSVPFactory(session=session, member=world.co_member)
    client.force_login(world.member)
    url = reverse("scheduling:rsvp", kwargs={"pk": session.pk})
    response = client.post(url, {"answer": "going", "note": "Can I join?"}, follow=True)
    body = response.content.decode()
    assert "on the waitlist" in body
    assert "on the waitlist: number 1." in body
    assert RSVP.objects.get(member=world.member).note == "Can I join?"


def test_paused_member_sees_the_session_but_cannot_answer(client, world):
    world.member.enrollments.update(status="paused")
    session = SessionFactory(group=world.addict_group)
    client.force_login(world.member)
    body = client.get(reverse("scheduling:detail", kwargs={"pk": session.pk})).content.decode()
    assert 'value="going"' not in body
    response = client.post(
        reverse("scheduling:rsvp", kwargs={"pk": session.pk}), {"answer": "going"}, follow=True
    )
    assert "Only active members" in response.content.decode()
    assert not RSVP.objects.exists()


def test_cancelling_asks_first_then_can_be_undone(client, world, notify):
    # GIVEN a facilitator on a coming session's page
    session = SessionFactory(group=world.addict_group)
    client.force_login(world.facilitator)
    url = reverse("scheduling:cancel", kwargs={"pk": session.pk})
    # WHEN they ask to cancel it, THEN they are shown what will happen, and nothing happens yet
    page = client.post(url, {"reason": "Room flooded"})
    assert page.status_code == 200
    body = page.content.decode()
    assert "Room flooded" in body and "Yes, cancel this session" in body
    session.refresh_from_db()
    assert not session.is_cancelled
    # WHEN they confirm, THEN it is cancelled
    client.post(url, {"reason": "Room flooded", "confirmed": "1"})
    session.refresh_from_db()
    assert session.is_cancelled
    # WHEN they put it back on, THEN it is scheduled again, changed, and members are told
    notify.reset_mock()
    response = client.post(reverse("scheduling:restore", kwargs={"pk": session.pk}))
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.status == "scheduled" and session.cancel_reason == "" and session.edited
    notify.assert_called_once()
    assert notify.call_args.kwargs["change"] == "scheduled"


def test_a_session_whose_time_passed_cannot_be_put_back_on(client, world):
    session = SessionFactory(
        group=world.addict_group,
        starts_at=NOW - datetime.timedelta(days=1),
        status="cancelled",
    )
    client.force_login(world.facilitator)
    client.post(reverse("scheduling:restore", kwargs={"pk": session.pk}))
    session.refresh_from_db()
    assert session.is_cancelled
    assert (
        "Put this session back on"
        not in client.get(reverse("scheduling:detail", kwargs={"pk": session.pk})).content.decode()
    )


def test_ending_a_schedule_asks_first(client, world):
    series = services.series_create(
        group=world.addict_group,
        actor=world.facilitator,
        rrule="FREQ=WEEKLY;BYDAY=TU",
        starts_on=datetime.date(2026, 12, 1),
        start_time=datetime.time(19),
        duration_minutes=90,
    )
    client.force_login(world.facilitator)
    url = reverse("scheduling:series_end", kwargs={"pk": series.pk})
    page = client.post(url, {"last_date": "2027-01-31"})
    assert "Yes, end the schedule" in page.content.decode()
    series.refresh_from_db()
    assert series.ended_on is None
    client.post(url, {"last_date": "2027-01-31", "confirmed": "1"})
    series.refresh_from_db()
    assert series.ended_on == datetime.date(2027, 1, 31)


def test_the_sessions_list_comes_ten_at_a_time(client, world):
    # GIVEN 24 coming sessions in the member's group
    _sessions(world.addict_group, 24)
    client.force_login(world.member)
    # WHEN they open the list, THEN the ten soonest, and a way to later ones
    first = client.get(reverse("scheduling:upcoming")).content.decode()
    assert first.count("<article>") == 10
    assert "Page 1 of 3" in first and "?page=2" in first
    # WHEN they go to the last page, THEN the remaining four, and a way back
    last = client.get(reverse("scheduling:upcoming"), {"page": 3}).content.decode()
    assert last.count("<article>") == 4
    assert "?page=2" in last
    # AND a page past the end, or not a number, shows a page rather than an error
    assert client.get(reverse("scheduling:upcoming"), {"page": "99"}).status_code == 200
    assert client.get(reverse("scheduling:upcoming"), {"page": "x"}).status_code == 200


def test_a_session_that_already_happened_can_be_added_to_record_it(client, world, notify, settings):
    # GIVEN a facilitator who forgot to add last Thursday's extra session (window: 30 days)
    settings.ROLL_LATE_DAYS = 30
    client.force_login(world.facilitator)
    url = reverse("scheduling:session_add", kwargs={"group_pk": world.addict_group.pk})
    form = {"date": "2026-11-19", "start_time": "19:00", "end_time": "20:30"}
    # WHEN they add it, THEN it is there, and members are not told of a session in the past
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:500]
    session = Session.objects.get(group=world.addict_group)
    assert notify.call_args.kwargs["change"] is None
    # AND its roll can be taken
    assert roll_is_open(session)
    # WHEN they try a date beyond the window, THEN it is refused, saying how far back works
    response = client.post(url, dict(form, date="2026-09-01"))
    assert "within the last 30 days" in response.content.decode()
    assert Session.objects.count() == 1
