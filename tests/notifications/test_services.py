"""The contract other apps call: which rows exist after each change."""

import datetime

import pytest
import time_machine

from groups.models import EnrollmentStatus
from notifications import api, services
from notifications.models import Channel, Kind, Notification, Preference, Status
from sessions.models import Answer, Seat, SessionStatus
from tests.factories import EnrollmentFactory, RSVPFactory, SessionFactory, UserFactory

NOW = datetime.datetime(2026, 11, 25, 12, tzinfo=datetime.UTC)
START = datetime.datetime(2026, 12, 1, 19, tzinfo=datetime.UTC)  # 7 pm London (GMT)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def reminders(**filters):
    return Notification.objects.filter(kind=Kind.REMINDER, **filters)


def pending_due(member, session):
    return sorted(
        reminders(
            recipient=member, session=session, status=Status.PENDING, channel="email"
        ).values_list("due_at", flat=True)
    )


def test_members_get_reminders_at_the_group_offsets_on_each_channel(world):
    session = SessionFactory(group=world.addict_group, starts_at=START)
    services.session_reminders_sync(session)
    assert pending_due(world.member, session) == [
        START - datetime.timedelta(hours=24),
        START - datetime.timedelta(hours=2),
    ]
    assert set(reminders(recipient=world.member).values_list("channel", flat=True)) == {
        Channel.EMAIL,
        Channel.IN_APP,
    }
    # Other groups' members, partners and outsiders get nothing for this session.
    assert not reminders(recipient__in=[world.partner, world.outsider, world.other_kind_member])
    # The facilitator gets the digest, not reminders.
    assert not reminders(recipient=world.facilitator)
    digest = Notification.objects.get(
        kind=Kind.FACILITATOR_DIGEST, recipient=world.facilitator, channel="email"
    )
    assert digest.due_at == START - datetime.timedelta(hours=3)


def test_syncing_twice_changes_nothing(world):
    session = SessionFactory(group=world.addict_group, starts_at=START)
    services.session_reminders_sync(session)
    before = list(Notification.objects.order_by("pk").values_list("pk", "key", "due_at", "status"))
    services.session_reminders_sync(session)
    after = list(Notification.objects.order_by("pk").values_list("pk", "key", "due_at", "status"))
    assert before == after


def test_a_members_own_offsets_and_off_switch(world):
    Preference.objects.create(user=world.member, reminder_offsets=[2 * 1440, 30])
    Preference.objects.create(user=world.co_member, reminders_on=False)
    session = SessionFactory(group=world.addict_group, starts_at=START)
    services.session_reminders_sync(session)
    assert pending_due(world.member, session) == [
        START - datetime.timedelta(days=2),
        START - datetime.timedelta(minutes=30),
    ]
    assert not reminders(recipient=world.co_member)


def test_group_offsets_apply_when_the_member_has_none(world):
    world.addict_group.reminder_offsets = [60]
    world.addict_group.save()
    session = SessionFactory(group=world.addict_group, starts_at=START)
    services.session_reminders_sync(session)
    assert pending_due(world.member, session) == [START - datetime.timedelta(hours=1)]


def test_not_going_gets_no_reminder_and_going_again_brings_it_back(world):
    session = SessionFactory(group=world.addict_group, starts_at=START)
    services.session_reminders_sync(session)
    rsvp = RSVPFactory(session=session, member=world.member, answer=Answer.NOT_GOING)
    services.session_reminders_sync(session)
    assert not reminders(recipient=world.member, status=Status.PENDING)
    assert reminders(recipient=world.member, status=Status.CANCELLED).count() == 4
    assert reminders(recipient=world.co_member, status=Status.PENDING).count() == 4

    rsvp.answer = Answer.GOING
    rsvp.save()
    services.session_reminders_sync(session)
    assert len(pending_due(world.member, session)) == 2


def test_waitlisted_paused_and_left_members_get_no_reminder(world):
    session = SessionFactory(group=world.addict_group, starts_at=START)
    RSVPFactory(session=session, member=world.member, seat=Seat.WAITLISTED)
    world.co_member.enrollments.update(status=EnrollmentStatus.PAUSED)
    services.session_reminders_sync(session)
    assert not reminders()


def test_cancelling_cancels_pending_reminders_in_the_same_transaction(
    world, django_capture_on_commit_callbacks
):
    session = SessionFactory(group=world.addict_group, starts_at=START)
    services.session_reminders_sync(session)
    session.status = SessionStatus.CANCELLED
    session.save()
    with django_capture_on_commit_callbacks():
        api.session_changed(session.pk, change="cancelled")
    assert not Notification.objects.filter(
        kind__in=[Kind.REMINDER, Kind.FACILITATOR_DIGEST], status=Status.PENDING
    )
    notices = Notification.objects.filter(kind=Kind.SESSION_CANCELLED)
    assert set(notices.values_list("recipient", flat=True)) == {world.member.pk, world.co_member.pk}
    # Telling twice makes no second notice.
    api.session_changed(session.pk, change="cancelled")
    assert Notification.objects.filter(kind=Kind.SESSION_CANCELLED).count() == notices.count()


def test_moving_re_times_pending_reminders_in_place(world):
    session = SessionFactory(group=world.addict_group, starts_at=START)
    services.session_reminders_sync(session)
    ids = set(reminders(status=Status.PENDING).values_list("pk", flat=True))
    new_start = START + datetime.timedelta(days=2, hours=1)
    session.starts_at, session.ends_at = new_start, new_start + datetime.timedelta(hours=1)
    session.sequence += 1
    session.save()
    api.session_changed(session.pk, change="moved")
    assert set(reminders(status=Status.PENDING).values_list("pk", flat=True)) == ids
    assert pending_due(world.member, session) == [
        new_start - datetime.timedelta(hours=24),
        new_start - datetime.timedelta(hours=2),
    ]
    assert Notification.objects.filter(kind=Kind.SESSION_MOVED, recipient=world.member).exists()


def test_a_session_added_late_gets_no_reminder_whose_time_had_gone(world):
    # GIVEN a session added one hour ahead: both reminder times (24 h, 2 h) had gone before
    # it existed; its "new session" notice says it all.
    starts = NOW + datetime.timedelta(hours=1)
    session = SessionFactory(group=world.addict_group, starts_at=starts)
    services.session_reminders_sync(session)
    assert not reminders(recipient=world.member)


def test_missed_reminders_of_an_older_session_send_only_the_nearest_now(world):
    # GIVEN a session that existed before its reminder times went by unsent (an outage)
    starts = NOW + datetime.timedelta(hours=1)
    session = SessionFactory(
        group=world.addict_group, starts_at=starts, created_at=NOW - datetime.timedelta(days=3)
    )
    services.session_reminders_sync(session)
    rows = reminders(recipient=world.member, channel="email")
    assert [(r.offset_minutes, r.due_at) for r in rows] == [(120, NOW)]


def test_past_and_cancelled_sessions_get_no_reminders(world):
    past = SessionFactory(group=world.addict_group, starts_at=NOW - datetime.timedelta(hours=1))
    cancelled = SessionFactory(
        group=world.addict_group, starts_at=START, status=SessionStatus.CANCELLED
    )
    services.session_reminders_sync(past)
    services.session_reminders_sync(cancelled)
    assert not Notification.objects.exists()


def test_sms_only_for_people_with_a_phone(world):
    Preference.objects.create(user=world.member, channels=["sms"])
    Preference.objects.create(user=world.co_member, channels=["sms", "email"])
    world.member.phone = "+447700900123"
    world.member.save()
    session = SessionFactory(group=world.addict_group, starts_at=START)
    services.session_reminders_sync(session)
    assert set(reminders(recipient=world.member).values_list("channel", flat=True)) == {"sms"}
    assert set(reminders(recipient=world.co_member).values_list("channel", flat=True)) == {"email"}


def test_waitlist_promotion_notice(world):
    session = SessionFactory(group=world.addict_group, starts_at=START)
    rsvp = RSVPFactory(session=session, member=world.member, seat=Seat.WAITLISTED)
    services.session_reminders_sync(session)
    assert not reminders(recipient=world.member)
    rsvp.seat = Seat.CONFIRMED
    rsvp.save()
    api.session_changed(session.pk, promoted_rsvp_ids=[rsvp.pk])
    api.session_changed(session.pk, promoted_rsvp_ids=[rsvp.pk])
    assert (
        Notification.objects.filter(kind=Kind.WAITLIST_PROMOTED, recipient=world.member).count()
        == 2  # email and in-app, once each
    )
    assert len(pending_due(world.member, session)) == 2


def test_material_notice_goes_to_the_groups_members_when_visible(world):
    from tests.factories import MaterialFactory

    later = NOW + datetime.timedelta(days=1)
    material = MaterialFactory(group=world.addict_group, visible_from=later)
    services.notify_material_published(material)
    rows = Notification.objects.filter(kind=Kind.MATERIAL_PUBLISHED)
    assert set(rows.values_list("recipient", flat=True)) == {world.member.pk, world.co_member.pk}
    # A few minutes after it is visible: items shared one after another go as one message
    # (tests/notifications/test_reading_together.py).
    assert {r.due_at for r in rows} == {later + services.reading_settle()}
    assert rows.first().about == material


def test_absence_follow_up_goes_to_the_groups_facilitators_once_a_day(world):
    co_facilitator = UserFactory(facilitator=True)
    world.addict_group.facilitators.add(co_facilitator)
    enrollment = world.member.enrollments.get(group=world.addict_group)
    services.notify_absence_follow_up(enrollment)
    services.notify_absence_follow_up(enrollment)
    rows = Notification.objects.filter(kind=Kind.ABSENCE_FOLLOW_UP)
    assert set(rows.values_list("recipient", flat=True)) == {
        world.facilitator.pk,
        co_facilitator.pk,
    }
    assert rows.count() == 4


def test_unknown_change_is_refused(world):
    session = SessionFactory(group=world.addict_group, starts_at=START)
    with pytest.raises(ValueError):
        services.notify_session_changed(session, "exploded")


def test_new_member_picks_up_reminders_at_reconciliation(world):
    from notifications.delivery import outbox_reconcile

    session = SessionFactory(group=world.addict_group, starts_at=START)
    services.session_reminders_sync(session)
    newcomer = EnrollmentFactory(group=world.addict_group).member
    assert not reminders(recipient=newcomer)
    outbox_reconcile()
    assert len(pending_due(newcomer, session)) == 2


def test_reminders_across_the_spring_clock_change_keep_the_local_time(world):
    # GIVEN a 7 pm London session on Sunday 29 March 2026, the day the clocks go forward
    world.addict_group.time_zone = "Europe/London"
    world.addict_group.save()
    starts = datetime.datetime(2026, 3, 29, 18, tzinfo=datetime.UTC)  # 7 pm BST
    with time_machine.travel(datetime.datetime(2026, 3, 20, tzinfo=datetime.UTC), tick=False):
        session = SessionFactory(group=world.addict_group, starts_at=starts)
        services.session_reminders_sync(session)
    # THEN the day-before reminder is at 7 pm Saturday (GMT, 19:00 UTC), not 6 pm
    assert pending_due(world.member, session) == [
        datetime.datetime(2026, 3, 28, 19, tzinfo=datetime.UTC),
        datetime.datetime(2026, 3, 29, 16, tzinfo=datetime.UTC),  # 5 pm BST
    ]


def test_quiet_hours_delay_a_reminder_but_never_past_the_start(world):
    Preference.objects.create(
        user=world.member, quiet_start=datetime.time(18, 30), quiet_end=datetime.time(8)
    )
    session = SessionFactory(group=world.addict_group, starts_at=START)
    services.session_reminders_sync(session)
    assert pending_due(world.member, session) == [
        # 7 pm the day before is quiet: it waits until 8 am
        datetime.datetime(2026, 12, 1, 8, tzinfo=datetime.UTC),
        # 5 pm is not quiet
        START - datetime.timedelta(hours=2),
    ]


def test_changing_preferences_re_times_upcoming_reminders(
    world, django_capture_on_commit_callbacks
):
    session = SessionFactory(group=world.addict_group, starts_at=START)
    services.session_reminders_sync(session)
    with django_capture_on_commit_callbacks(execute=True):
        services.preference_update(
            user=world.member,
            channels=["email"],
            reminders_on=True,
            reminder_offsets=[30],
            quiet_start=None,
            quiet_end=None,
        )
        api.member_reminders_changed(world.member.pk)
    assert pending_due(world.member, session) == [START - datetime.timedelta(minutes=30)]
    assert not reminders(recipient=world.member, channel="in_app", status=Status.PENDING)


def test_a_facilitators_channel_change_re_derives_their_digest(
    world, django_capture_on_commit_callbacks
):
    session = SessionFactory(group=world.addict_group, starts_at=START)
    services.session_reminders_sync(session)
    with django_capture_on_commit_callbacks(execute=True):
        services.preference_update(
            user=world.facilitator,
            channels=["in_app"],
            reminders_on=True,
            reminder_offsets=[],
            quiet_start=None,
            quiet_end=None,
        )
        api.member_reminders_changed(world.facilitator.pk)
    digests = Notification.objects.filter(kind=Kind.FACILITATOR_DIGEST, status=Status.PENDING)
    assert list(digests.values_list("channel", flat=True)) == ["in_app"]


def test_a_newcomer_can_be_resynced_at_once(world, django_capture_on_commit_callbacks):
    session = SessionFactory(group=world.addict_group, starts_at=START)
    services.session_reminders_sync(session)
    newcomer = EnrollmentFactory(group=world.addict_group).member
    with django_capture_on_commit_callbacks(execute=True):
        api.member_reminders_changed(newcomer.pk)
    assert len(pending_due(newcomer, session)) == 2


def test_material_notice_skips_people_who_left_the_group_but_are_active_elsewhere(world):
    """GIVEN a former member of the addict group who is active in another group
    WHEN material is published for the addict group
    THEN the former member is not told about it."""
    from groups.models import EnrollmentStatus
    from tests.factories import EnrollmentFactory, MaterialFactory

    former = UserFactory()
    EnrollmentFactory(group=world.addict_group, member=former, status=EnrollmentStatus.LEFT)
    EnrollmentFactory(group=world.partner_group, member=former)
    material = MaterialFactory(group=world.addict_group, visible_from=NOW)
    services.notify_material_published(material)
    recipients = set(
        Notification.objects.filter(kind=Kind.MATERIAL_PUBLISHED).values_list(
            "recipient", flat=True
        )
    )
    assert recipients == {world.member.pk, world.co_member.pk}
