"""Text messages: a request is acknowledged by text, and a seat offered by text as well as by
email, only to a mobile number the person gave and only if they said written messages are
safe; each text is discreet and in E.164."""

import pytest
from django.urls import reverse

from notifications.delivery import notification_deliver
from notifications.discretion import forbidden_words_in
from notifications.models import Channel, Kind, Notification, Preference
from notifications.models import Status as RowStatus
from notifications.sms import MemoryBackend
from referrals import services
from referrals.links import offer_token
from referrals.models import ForWhom, Referral, SeatOffer
from referrals.texts import acknowledge_by_text
from referrals.waiting import waiting_list_add
from tests.factories import UserFactory
from tests.referrals.helpers import SECRET_PHRASE, form_data

pytestmark = pytest.mark.django_db

MOBILE = "07911 123456"
E164 = "+447911123456"


@pytest.fixture(autouse=True)
def _texts_to_memory(settings, eager_celery):
    settings.SMS_BACKEND = "notifications.sms.MemoryBackend"
    MemoryBackend.outbox = []


def _send(client, capture, **overrides):
    with capture(execute=True):
        return client.post(reverse("request_form"), form_data(**overrides))


def test_a_request_with_a_mobile_is_acknowledged_by_text_once(
    client, django_capture_on_commit_callbacks
):
    # WHEN someone gives only a mobile number and says written messages are safe
    response = _send(client, django_capture_on_commit_callbacks, email="", phone=MOBILE)
    assert response.status_code == 200
    # THEN one text goes to the number in E.164, saying only that the message arrived
    assert len(MemoryBackend.outbox) == 1
    to, text = MemoryBackend.outbox[0]
    assert to == E164
    assert "arrived" in text
    assert SECRET_PHRASE not in text and "Robin" not in text and not forbidden_words_in(text)
    # AND running the task again (a retry, a duplicate) texts nobody twice
    referral = Referral.objects.get()
    assert referral.acknowledged_by_text_at is not None
    assert acknowledge_by_text(referral.pk) is False
    assert len(MemoryBackend.outbox) == 1


def test_email_and_mobile_both_hear(client, django_capture_on_commit_callbacks):
    _send(client, django_capture_on_commit_callbacks, phone=MOBILE)
    assert [to for to, _ in MemoryBackend.outbox] == [E164]
    assert Notification.objects.filter(kind=Kind.REFERRAL_ACK, channel=Channel.EMAIL).exists()


def test_nothing_is_written_to_someone_who_said_messages_are_not_safe(
    client, django_capture_on_commit_callbacks
):
    data = form_data(phone=MOBILE)
    del data["message_ok"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("request_form"), data)
    # The request is kept (staff call), but no text and no email goes to them
    assert Referral.objects.get().phone == MOBILE
    assert MemoryBackend.outbox == []
    assert not Notification.objects.filter(kind=Kind.REFERRAL_ACK).exists()


def test_a_landline_or_a_number_that_is_not_one_gets_no_text(
    client, django_capture_on_commit_callbacks
):
    _send(client, django_capture_on_commit_callbacks, email="", phone="020 7946 0000")
    _send(client, django_capture_on_commit_callbacks, email="", phone="the office, ask for R")
    # Both are kept for staff to call; neither is texted
    assert Referral.objects.count() == 2
    assert MemoryBackend.outbox == []


def _screened(actor, **fields) -> Referral:
    defaults = {
        "name": "Robin",
        "email": "robin@example.net",
        "phone": MOBILE,
        "message_ok": True,
        "for_whom": ForWhom.SELF,
        "consent_contact": True,
    }
    referral = services.referral_submit(**{**defaults, **fields})
    return services.referral_record_intake(
        referral=referral, actor=actor, level="at_risk", recommended_kind="addict"
    )


def test_a_seat_is_offered_by_text_too_to_someone_who_said_texts_are_safe(world):
    # GIVEN a request with a mobile number and written messages safe, screened by staff
    referral = _screened(world.staff)
    person = referral.member
    # THEN the account made from it has the number in E.164 and hears by text
    assert person.phone == E164
    assert "sms" in Preference.objects.get(user=person).channels
    # WHEN a seat is offered to them
    waiting_list_add(
        group=world.addict_group, member=person, actor=world.facilitator, referral=referral
    )
    offer = SeatOffer.objects.get()
    rows = Notification.objects.filter(kind=Kind.SEAT_OFFER, recipient=person)
    assert sorted(rows.values_list("channel", flat=True)) == [Channel.EMAIL, Channel.SMS]
    # THEN the text carries the signed link and says nothing of the group
    text_row = rows.get(channel=Channel.SMS)
    assert notification_deliver(text_row.pk) == "sent"
    text_row.refresh_from_db()
    assert text_row.status == RowStatus.SENT
    ((to, text),) = MemoryBackend.outbox
    assert to == E164
    assert offer_token(offer) in text
    assert world.addict_group.name not in text and not forbidden_words_in(text)


def test_no_text_offer_without_consent_or_a_mobile(world):
    # A request that did not say messages are safe: the account does not hear by text
    quiet = _screened(world.staff, message_ok=False).member
    assert quiet.phone == E164
    assert not Preference.objects.filter(user=quiet).exists()
    # A landline: kept on the account, but texts are not turned on
    landline = _screened(
        world.staff, name="Sam", email="sam@example.net", phone="020 7946 0000"
    ).member
    assert landline.phone == "+442079460000"
    assert not Preference.objects.filter(user=landline).exists()
    for person in (quiet, landline):
        waiting_list_add(group=world.addict_group, member=person, actor=world.facilitator)
    channels = Notification.objects.filter(kind=Kind.SEAT_OFFER).values_list("channel", flat=True)
    assert sorted(channels) == [Channel.EMAIL, Channel.EMAIL]


def test_a_member_who_chose_texts_is_offered_a_seat_by_text(world):
    person = UserFactory(phone=E164)
    Preference.objects.create(user=person, channels=["sms", "in_app"])
    waiting_list_add(group=world.addict_group, member=person, actor=world.facilitator)
    channels = Notification.objects.filter(kind=Kind.SEAT_OFFER).values_list("channel", flat=True)
    # Both rows are written; delivery skips the email they turned off.
    assert sorted(channels) == [Channel.EMAIL, Channel.SMS]
