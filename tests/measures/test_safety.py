"""The safety flag: PHQ-9 item 9 above 0 shows the clinic's crisis resources at once, alerts
the group's facilitators within the same request's commit (in the app and by their own
channels, whatever their quiet hours), records who acknowledged it, and escalates to staff
when nobody does in time. Outbound text names no answer, score or instrument."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from audit.models import AuditEvent
from measures import services
from measures.models import Alert, Instrument, Prompt
from notifications.delivery import notification_deliver
from notifications.discretion import forbidden_words_in
from notifications.models import Channel, Kind, Notification, Preference, Status
from notifications.rendering import render_notification
from notifications.tasks import dispatch_due
from tests.factories import EnrollmentFactory
from tests.factories.measures import ScheduleFactory, phq9_answers
from tests.measures.conftest import NOW, tuesday

pytestmark = pytest.mark.django_db

CRISIS = "Call the Night Line on 0800 000 111.\n\nText HELP to 85258."


@pytest.fixture
def prompt(world):
    return Prompt.objects.create(
        schedule=ScheduleFactory(group=world.addict_group),
        member=world.member,
        slot="week:x",
        closes_at=tuesday(),
    )


@pytest.fixture
def quiet_facilitator(world):
    """The facilitator chose email and SMS and has quiet hours all day and night."""
    world.facilitator.phone = "+447700900123"
    world.facilitator.save()
    Preference.objects.create(
        user=world.facilitator,
        channels=[Channel.EMAIL, Channel.SMS],
        reminders_on=False,
        quiet_start=datetime.time(0, 0),
        quiet_end=datetime.time(23, 59),
    )
    return world.facilitator


def test_item_9_alerts_facilitators_within_the_requests_commit_and_shows_resources_at_once(
    world,
    prompt,
    quiet_facilitator,
    client,
    settings,
    frozen,
    django_capture_on_commit_callbacks,
    monkeypatch,
):
    settings.CRISIS_RESOURCES = CRISIS
    dispatched = []
    monkeypatch.setattr(dispatch_due, "delay", lambda: dispatched.append(Alert.objects.count()))
    client.force_login(world.member)
    # WHEN the member sends PHQ-9 answers with item 9 at 1 (a low total otherwise)
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(
            reverse("measures:prompt", args=[prompt.pk]), {**phq9_answers(2, item9=1), "send": "1"}
        )
    # THEN the alert and its outbox rows are written in the request's own transaction, due
    # now (no quiet hours, reminders off does not matter), in the app and by email and SMS
    alert = Alert.objects.get()
    assert (alert.member, alert.group) == (world.member, world.addict_group)
    rows = Notification.objects.filter(kind=Kind.MEASURE_ALERT, recipient=quiet_facilitator)
    assert {row.channel for row in rows} == {Channel.IN_APP, Channel.EMAIL, Channel.SMS}
    assert all(row.due_at <= NOW for row in rows)
    # ...and the dispatcher was queued on that commit (when the alert already existed)
    assert dispatched and dispatched[0] == 1
    # ...and the member sees the crisis resources straight away
    done = client.get(sent["Location"]).content.decode()
    assert "Call the Night Line on 0800 000 111." in done and "Text HELP to 85258." in done
    # ...and every message says only "Please check in with Alex today"
    for row in rows:
        assert notification_deliver(row.pk) == "sent"
        row.refresh_from_db()
        rendered = render_notification(row)
        text = rendered.outbound_text()
        assert "Please check in with Alex today" in text
        assert not forbidden_words_in(text)
        for word in ("PHQ", "item", "score", "1 of", "dead", "hurting"):
            assert word not in text
    assert AuditEvent.objects.filter(action="measure.alert", subject_id=world.member.pk).exists()


def test_no_flag_no_alert_and_no_resources(world, prompt, client, frozen):
    client.force_login(world.member)
    sent = client.post(
        reverse("measures:prompt", args=[prompt.pk]), {**phq9_answers(20), "send": "1"}
    )
    assert not Alert.objects.exists()
    assert "If you need help now" not in client.get(sent["Location"]).content.decode()


def test_a_self_started_flag_alerts_every_group_the_member_is_in(world, frozen):
    EnrollmentFactory(group=world.couples_group, member=world.member)
    response = services.response_save(
        member=world.member,
        instrument=Instrument.objects.get(slug="phq-9"),
        data=phq9_answers(0, item9=2),
        submit=True,
    )
    assert {a.group for a in Alert.objects.filter(response=response)} == {
        world.addict_group,
        world.couples_group,
    }


def _flagged_alert(world, prompt) -> Alert:
    services.response_save(
        member=world.member,
        instrument=prompt.schedule.instrument,
        data=phq9_answers(0, item9=1),
        submit=True,
        prompt=prompt,
    )
    return Alert.objects.get()


def test_an_unacknowledged_alert_escalates_to_staff_once(world, prompt, settings):
    settings.MEASURES_ALERT_ESCALATE_MINUTES = 60
    with time_machine.travel(NOW, tick=False) as traveller:
        alert = _flagged_alert(world, prompt)
        # WHEN 59 minutes pass, nothing escalates
        traveller.shift(datetime.timedelta(minutes=59))
        assert services.alerts_escalate() == 0
        # WHEN the hour is up, staff are told, once however often the task runs
        traveller.shift(datetime.timedelta(minutes=2))
        assert services.alerts_escalate() == 1
        assert services.alerts_escalate() == 0
    alert.refresh_from_db()
    assert alert.escalated_at is not None
    rows = Notification.objects.filter(kind=Kind.MEASURE_ESCALATION)
    assert {row.recipient for row in rows} == {world.staff}
    assert {row.channel for row in rows} >= {Channel.IN_APP, Channel.EMAIL}
    assert AuditEvent.objects.filter(action="measure.escalate").count() == 1


def test_an_acknowledged_alert_is_recorded_and_never_escalates(world, prompt, client, settings):
    settings.MEASURES_ALERT_ESCALATE_MINUTES = 60
    with time_machine.travel(NOW, tick=False) as traveller:
        alert = _flagged_alert(world, prompt)
        client.force_login(world.facilitator)
        page = client.get(reverse("measures:alert", args=[alert.pk])).content.decode()
        assert "Please check in with Alex today" in page
        traveller.shift(datetime.timedelta(minutes=10))
        client.post(reverse("measures:alert_ack", args=[alert.pk]))
        traveller.shift(datetime.timedelta(hours=3))
        assert services.alerts_escalate() == 0
    alert.refresh_from_db()
    assert alert.acknowledged_by == world.facilitator
    assert alert.acknowledged_at == NOW + datetime.timedelta(minutes=10)
    assert not Notification.objects.filter(kind=Kind.MEASURE_ESCALATION).exists()
    assert AuditEvent.objects.filter(action="measure.alert_ack", actor_id=world.facilitator.pk)


def test_the_facilitator_home_shows_open_alerts_and_the_member_home_a_prompt(
    world, prompt, client, frozen
):
    alert = _flagged_alert(world, prompt)
    other = Prompt.objects.create(
        schedule=prompt.schedule, member=world.member, slot="week:y", closes_at=tuesday()
    )
    client.force_login(world.facilitator)
    home = client.get(reverse("home")).content.decode()
    assert reverse("measures:alert", args=[alert.pk]) in home
    client.force_login(world.member)
    home = client.get(reverse("home")).content.decode()
    assert reverse("measures:prompt", args=[other.pk]) in home
    assert reverse("measures:prompt", args=[prompt.pk]) not in home  # already answered
    # ...and another group's facilitator sees nothing of it
    client.force_login(world.other_facilitator)
    assert client.get(reverse("measures:alert", args=[alert.pk])).status_code == 404


def test_an_alert_in_the_app_is_delivered_even_if_in_app_is_turned_off(world, prompt, frozen):
    Preference.objects.create(user=world.facilitator, channels=[Channel.EMAIL])
    alert = _flagged_alert(world, prompt)
    row = Notification.objects.get(
        kind=Kind.MEASURE_ALERT, recipient=world.facilitator, channel=Channel.IN_APP
    )
    assert notification_deliver(row.pk) == "sent"
    row.refresh_from_db()
    assert row.status == Status.SENT and alert.pk == row.object_id


def test_a_flag_from_someone_in_no_group_goes_straight_to_staff(world, frozen):
    # GIVEN someone in no group answers of their own accord, item 9 above 0
    response = services.response_save(
        member=world.outsider,
        instrument=Instrument.objects.get(slug="phq-9"),
        data=phq9_answers(0, item9=3),
        submit=True,
    )
    # THEN there is no facilitator to tell: staff are told at once
    alert = Alert.objects.get(response=response)
    assert alert.group is None and alert.escalated_at == NOW
    rows = Notification.objects.filter(kind=Kind.MEASURE_ESCALATION)
    assert {row.recipient for row in rows} == {world.staff}
    assert services.alerts_escalate() == 0
