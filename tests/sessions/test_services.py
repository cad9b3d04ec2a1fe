import datetime
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from notifications.models import Kind, Notification
from sessions import recurrence, services
from sessions.models import CalendarFeed, Session, SessionStatus
from tests.factories import RSVPFactory, SessionFactory

UTC = datetime.UTC
LONDON = zoneinfo.ZoneInfo("Europe/London")
NOW = datetime.datetime(2026, 11, 21, 12, tzinfo=UTC)
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def series(world):
    return services.series_create(
        group=world.addict_group,
        actor=world.facilitator,
        rrule=recurrence.build_rule(frequency="weekly", weekday="TU"),
        starts_on=datetime.date(2026, 11, 24),
        start_time=datetime.time(19, 0),
        duration_minutes=90,
    )


def test_materialising_covers_the_horizon_and_is_safe_to_run_twice(series):
    first = Session.objects.filter(series=series).count()
    assert first == 26
    assert services.series_materialise(series) == []
    assert services.series_materialise_all() == 0
    assert Session.objects.filter(series=series).count() == first


def test_materialising_tops_up_as_time_passes(series):
    with time_machine.travel(NOW + datetime.timedelta(weeks=2), tick=False):
        created = services.series_materialise(series)
    assert len(created) == 2


def test_edited_occurrences_keep_their_edits_when_the_series_changes(world, series, notify):
    """GIVEN a weekly Tuesday series, one session cancelled and another moved
    WHEN the facilitator moves the series to Wednesdays at 18:00
    THEN the cancelled one stays cancelled, the moved one keeps its new time,
    the others follow the new rule, and no extra session appears on their days."""
    sessions = list(Session.objects.filter(series=series))
    cancelled, moved = sessions[1], sessions[2]
    services.session_cancel(session=cancelled, actor=world.facilitator, reason="Room closed")
    services.session_update(
        session=moved,
        actor=world.facilitator,
        starts_local=datetime.datetime(2026, 12, 10, 17, 0),
        duration_minutes=60,
        location="Room 9",
    )
    moved.refresh_from_db()
    moved_start, moved_seq = moved.starts_at, moved.sequence

    notify.reset_mock()
    services.series_update(
        series=series,
        actor=world.facilitator,
        rrule=recurrence.build_rule(frequency="weekly", weekday="WE"),
        start_time=datetime.time(18, 0),
        duration_minutes=90,
    )
    cancelled.refresh_from_db()
    moved.refresh_from_db()
    assert cancelled.status == SessionStatus.CANCELLED
    assert cancelled.cancel_reason == "Room closed"
    assert (moved.starts_at, moved.location, moved.sequence) == (moved_start, "Room 9", moved_seq)
    assert moved.status == SessionStatus.SCHEDULED
    # Old Tuesdays that were not edited are cancelled; Wednesdays are the new schedule.
    first = sessions[0]
    first.refresh_from_db()
    assert first.status == SessionStatus.CANCELLED
    assert first.sequence == 1
    # Members hear once for the whole edit (issue 14), not once per cancelled session.
    assert "cancelled" not in {c.kwargs["change"] for c in notify.call_args_list}
    told = Notification.objects.filter(kind=Kind.SERIES_CHANGED, recipient=world.member)
    assert told.filter(channel="email").count() == 1
    wednesdays = Session.objects.filter(series=series, status=SessionStatus.SCHEDULED, edited=False)
    assert wednesdays.exists()
    local = [s.starts_at.astimezone(LONDON) for s in wednesdays]
    assert {(t.weekday(), t.hour) for t in local} == {(2, 18)}
    assert Session.objects.filter(series__isnull=False).exclude(series=series).count() == 0


def test_changing_only_the_time_moves_future_unedited_sessions(world, series):
    sessions = list(Session.objects.filter(series=series))
    services.session_cancel(session=sessions[0], actor=world.facilitator, reason="Holiday")
    services.series_update(
        series=series,
        actor=world.facilitator,
        rrule=series.rrule,
        start_time=datetime.time(18, 30),
        duration_minutes=60,
    )
    later = Session.objects.get(pk=sessions[3].pk)
    local = later.starts_at.astimezone(LONDON)
    assert (local.hour, local.minute) == (18, 30)
    assert later.ends_at - later.starts_at == datetime.timedelta(minutes=60)
    assert later.sequence == 1
    assert Session.objects.filter(series=series).count() == 26


def test_cancelling_one_keeps_the_series_and_shows_the_reason(world, series):
    session = Session.objects.filter(series=series).first()
    services.session_cancel(session=session, actor=world.facilitator, reason="Holiday")
    session.refresh_from_db()
    assert (session.status, session.cancel_reason, session.sequence) == ("cancelled", "Holiday", 1)
    assert Session.objects.filter(series=series, status="scheduled").count() == 25


def test_ending_a_series_cancels_what_remains(world, series):
    services.series_end(
        series=series, actor=world.facilitator, last_date=datetime.date(2026, 12, 8)
    )
    statuses = list(Session.objects.filter(series=series).values_list("status", flat=True))
    assert statuses[:3] == ["scheduled"] * 3
    assert set(statuses[3:]) == {"cancelled"}
    assert services.series_materialise(series) == []


def test_skipping_a_date_cancels_that_session_and_it_is_not_recreated(world, series):
    services.series_skip_date(
        series=series, actor=world.facilitator, day=datetime.date(2026, 12, 29), reason="Holidays"
    )
    session = Session.objects.get(series=series, starts_at__date=datetime.date(2026, 12, 29))
    assert (session.status, session.cancel_reason) == ("cancelled", "Holidays")
    assert services.series_materialise(series) == []


def test_one_off_extra_session_is_announced(world, notify):
    session = services.session_add(
        group=world.addict_group,
        actor=world.facilitator,
        starts_local=datetime.datetime(2026, 12, 5, 10, 0),
        duration_minutes=60,
    )
    # One call: the session's reminders are synced once, with the announcement.
    notify.assert_called_once_with(session.pk, change="scheduled", promoted_rsvp_ids=[])
    assert session.series is None


def test_capacity_below_confirmed_seats_is_refused(world):
    session = SessionFactory(group=world.addict_group)
    RSVPFactory(session=session, member=world.member)
    RSVPFactory(session=session, member=world.co_member)
    with pytest.raises(ValidationError, match="2 seats"):
        services.session_update(
            session=session,
            actor=world.facilitator,
            starts_local=datetime.datetime(2026, 12, 1, 19),
            duration_minutes=90,
            capacity=1,
        )
    session.refresh_from_db()
    assert (session.capacity, session.sequence) == (None, 0)


def test_move_to_a_skipped_local_time_is_refused(world):
    session = SessionFactory(group=world.addict_group)
    with pytest.raises(ValidationError, match="does not exist"):
        services.session_update(
            session=session,
            actor=world.facilitator,
            starts_local=datetime.datetime(2027, 3, 28, 1, 30),
            duration_minutes=60,
        )


def test_move_notifies_and_bumps_sequence(world, notify):
    session = SessionFactory(group=world.addict_group)
    old_start = session.starts_at
    services.session_update(
        session=session,
        actor=world.facilitator,
        starts_local=datetime.datetime(2026, 12, 2, 19),
        duration_minutes=90,
    )
    notify.assert_called_once_with(
        session.pk, change="moved", promoted_rsvp_ids=[], moved_from=old_start
    )
    session.refresh_from_db()
    assert session.sequence == 1 and session.edited


def test_calendar_feed_make_again_replaces_the_old_token(world):
    old = services.calendar_feed_make(user=world.member)
    new = services.calendar_feed_make(user=world.member)
    assert old != new
    assert CalendarFeed.objects.get(user=world.member).token_hash == CalendarFeed.hash_token(new)
