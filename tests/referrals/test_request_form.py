"""The public request form: anyone can send it, abuse is limited without third parties, the
text is stored encrypted, and nothing an outsider sees says what was asked."""

import time

import pytest
from django.db import connection
from django.urls import reverse

from notifications.discretion import forbidden_words_in
from notifications.models import Kind, Notification
from notifications.rendering import render_notification
from referrals.abuse import started_token
from referrals.models import Referral, Status
from tests.referrals.helpers import SECRET_PHRASE, form_data

pytestmark = pytest.mark.django_db


def test_the_form_opens_without_an_account_at_a_neutral_address(client):
    # WHEN an anonymous visitor opens the public address
    response = client.get(reverse("request_form"))
    # THEN the form shows, titled neutrally, with no clinical word on the page
    assert response.status_code == 200
    body = response.content.decode()
    assert "<title>Request a first conversation" in body
    assert reverse("request_form") == "/talk/"
    assert not forbidden_words_in(body)


def test_a_request_is_stored_encrypted_and_acknowledged_neutrally(client):
    # WHEN someone sends the form with their own words
    response = client.post(reverse("request_form"), form_data())
    # THEN the answer page thanks them without repeating anything they wrote
    body = response.content.decode()
    assert response.status_code == 200
    assert "Thank you" in body
    assert SECRET_PHRASE not in body and "robin@example.net" not in body
    assert not forbidden_words_in(body)
    # AND the request is kept, new, readable through the model
    referral = Referral.objects.get()
    assert referral.status == Status.NEW
    assert SECRET_PHRASE in referral.self_concerned
    # AND the columns hold only ciphertext
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, email, self_concerned, contact_times, for_whom FROM referrals_referral"
        )
        raw = " ".join(str(value) for value in cursor.fetchone())
    for clear in (SECRET_PHRASE, "robin@example.net", "Robin", "after 6 pm", "self"):
        assert clear not in raw
    # AND the acknowledgement email says only that the message arrived
    row = Notification.objects.get(kind=Kind.REFERRAL_ACK)
    assert row.address == "robin@example.net"
    rendered = render_notification(row)
    text = rendered.outbound_text()
    assert "arrived" in text
    assert SECRET_PHRASE not in text and not forbidden_words_in(text)


def test_a_phone_only_request_is_kept_without_an_email(client):
    client.post(reverse("request_form"), form_data(email="", phone="07700 900123"))
    assert Referral.objects.get().phone == "07700 900123"
    assert not Notification.objects.filter(kind=Kind.REFERRAL_ACK).exists()


def test_no_way_to_reach_them_is_a_form_error(client):
    response = client.post(reverse("request_form"), form_data(email="", phone=""))
    assert response.status_code == 200
    assert "Give an email address or a phone number" in response.content.decode()
    assert not Referral.objects.exists()


def test_without_consent_to_be_contacted_nothing_is_kept(client):
    data = form_data()
    del data["consent_contact"]
    response = client.post(reverse("request_form"), data)
    assert "agree to be contacted" in response.content.decode()
    assert not Referral.objects.exists()


def test_the_honeypot_keeps_nothing_but_looks_the_same(client):
    # WHEN a bot fills the hidden field
    response = client.post(reverse("request_form"), form_data(website="http://spam.example"))
    # THEN it sees the same thanks page and nothing is stored or sent
    assert "Thank you" in response.content.decode()
    assert not Referral.objects.exists()
    assert not Notification.objects.exists()


@pytest.mark.parametrize(
    "started", [lambda: started_token(time.time() - 1), lambda: "", lambda: "forged"]
)
def test_a_form_sent_too_fast_or_without_a_start_keeps_nothing(client, started):
    response = client.post(reverse("request_form"), form_data(started=started()))
    assert "Thank you" in response.content.decode()
    assert not Referral.objects.exists()


def test_one_address_is_limited_per_day(client):
    # GIVEN three requests from one address, each from a different IP
    for n in range(3):
        client.post(reverse("request_form"), form_data(), REMOTE_ADDR=f"192.0.2.{n + 1}")
    # WHEN a fourth comes
    response = client.post(reverse("request_form"), form_data(), REMOTE_ADDR="192.0.2.50")
    # THEN it is refused with a plain explanation, and not kept
    assert "Too many messages" in response.content.decode()
    assert Referral.objects.count() == 3


def test_one_ip_is_limited_per_hour(client):
    # GIVEN five requests from one IP, each from a different address
    for n in range(5):
        client.post(reverse("request_form"), form_data(email=f"p{n}@example.net"))
    # WHEN a sixth comes from the same IP
    response = client.post(reverse("request_form"), form_data(email="p9@example.net"))
    # THEN it is refused
    assert "Too many messages" in response.content.decode()
    assert Referral.objects.count() == 5
    # AND another IP is not held back
    client.post(
        reverse("request_form"), form_data(email="q@example.net"), REMOTE_ADDR="198.51.100.7"
    )
    assert Referral.objects.count() == 6


def test_the_acknowledgement_email_is_in_the_language_the_request_came_in(client):
    # WHEN someone whose browser prefers French sends the form
    client.post(reverse("request_form"), form_data(), HTTP_ACCEPT_LANGUAGE="fr")
    # THEN the acknowledgement to their address (no account yet) is in French
    referral = Referral.objects.get()
    assert referral.language == "fr"
    rendered = render_notification(Notification.objects.get(kind=Kind.REFERRAL_ACK))
    assert rendered.subject != "" and "arrived" not in rendered.outbound_text()
    assert not forbidden_words_in(rendered.outbound_text(), language="fr")
