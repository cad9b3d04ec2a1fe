"""The public request form in the browser's language before sign-in; replies to a request in
the language it was written in; seat offers in the person's own language, discreet in each."""

import pytest
from django.urls import reverse

from notifications.discretion import forbidden_words_in
from notifications.models import Channel, Kind, Notification
from notifications.rendering import render_notification
from notifications.sms import MemoryBackend
from referrals import services
from referrals.models import Referral
from referrals.waiting import waiting_list_add
from tests.referrals.helpers import form_data

pytestmark = pytest.mark.django_db

TITLES = {
    "en": "Request a first conversation",
    "fr": "Demander un premier échange",
    "es": "Solicitar una primera conversación",
}


@pytest.mark.parametrize("language", ["fr", "es"])
def test_the_public_form_speaks_the_browsers_language(client, language):
    response = client.get(reverse("request_form"), HTTP_ACCEPT_LANGUAGE=language)
    body = response.content.decode()
    assert response["Content-Language"] == language
    assert f"<title>{TITLES[language]}" in body
    assert TITLES["en"] not in body and "How to reach you safely" not in body
    assert not forbidden_words_in(body)


def test_a_form_error_is_in_the_browsers_language(client):
    response = client.post(
        reverse("request_form"), form_data(email="", phone=""), HTTP_ACCEPT_LANGUAGE="es"
    )
    assert "Indique un correo electrónico o un número de teléfono" in response.content.decode()


@pytest.fixture
def texts(settings, eager_celery):
    settings.SMS_BACKEND = "notifications.sms.MemoryBackend"
    MemoryBackend.outbox = []


def test_replies_and_the_account_follow_the_language_written_in(
    client, world, texts, django_capture_on_commit_callbacks
):
    # WHEN someone writes in French, with a mobile number
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("request_form"), form_data(phone="07911 123456"), HTTP_ACCEPT_LANGUAGE="fr"
        )
    referral = Referral.objects.get()
    assert referral.language == "fr"
    # THEN the text acknowledging it is in French, and discreet in every language
    ((_, text),) = MemoryBackend.outbox
    assert "votre message est bien arrivé" in text and not forbidden_words_in(text)
    # AND the account made from it speaks French, so the seat offer does too
    referral = services.referral_record_intake(
        referral=referral, actor=world.staff, level="casual", recommended_kind="addict"
    )
    assert referral.member.language == "fr"
    waiting_list_add(group=world.addict_group, member=referral.member, actor=world.facilitator)
    for row in Notification.objects.filter(kind=Kind.SEAT_OFFER):
        rendered = render_notification(row)
        words = rendered.sms if row.channel == Channel.SMS else rendered.subject + rendered.text
        assert "place" in words and "disponible" in words
        assert world.addict_group.name not in words
        assert not forbidden_words_in(rendered.outbound_text())


def test_staff_pages_follow_the_staff_members_language(client, world):
    services.referral_submit(
        name="Robin", email="robin@example.net", for_whom="self", consent_contact=True
    )
    world.staff.language = "es"
    world.staff.save(update_fields=["language"])
    client.force_login(world.staff)
    body = client.get(reverse("referrals:queue")).content.decode()
    assert "Solicitudes abiertas" in body and "Nueva" in body
    assert "Open requests" not in body
