"""Messages go out in the recipient's language, whoever caused them (issue 19).

An English-speaking facilitator's change reaches a French- or Spanish-speaking member in
their own language: subject, text, HTML, text message and the in-app copy."""

import datetime

import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from notifications import api, delivery
from notifications.discretion import forbidden_words_in
from notifications.models import Channel, Kind, Notification, Preference
from notifications.reasons import reason_text
from notifications.rendering import render_notification, unsubscribe_token
from sessions import services as scheduling
from tests.factories import RSVPFactory, SessionFactory
from tests.i18n.english import data_strings, english_left, source_of

NOW = datetime.datetime(2026, 11, 25, 12, tzinfo=datetime.UTC)
START = datetime.datetime(2026, 12, 1, 19, tzinfo=datetime.UTC)  # Tuesday 7 pm London

pytestmark = pytest.mark.usefixtures("frozen")
LANGUAGES = [("en", "English"), ("fr", "Français"), ("es", "Español")]


@pytest.fixture
def frozen():
    with (
        time_machine.travel(NOW, tick=False),
        override_settings(LANGUAGES=LANGUAGES),
        translation.override("en"),  # the facilitator's request, in English
    ):
        yield


def speaks(person, language: str) -> None:
    person.language = language
    person.save(update_fields=["language"])


def reminder_for(person, session, channel=Channel.EMAIL):
    api.session_changed(session.pk)  # re-derives the reminders
    row = Notification.objects.filter(
        kind=Kind.REMINDER, recipient=person, session=session, channel=channel
    ).latest("due_at")
    return render_notification(row)


def test_a_reminder_for_a_french_speaking_member_is_in_french(world):
    speaks(world.member, "fr")
    session = SessionFactory(group=world.addict_group, starts_at=START)
    email = reminder_for(world.member, session)
    assert email.subject == "Rappel : votre séance du mardi 19 h"
    assert email.text.startswith("Bonjour Alex,")
    assert "Votre séance a lieu le mardi 1 décembre à 19 h (heure de Europe/London)." in email.text
    assert "Serez-vous là ?" in email.text and "Oui, je viendrai :" in email.text
    assert "Arrêter ces e-mails ou choisir ce que vous recevez" in email.text
    assert '<html lang="fr">' in email.html and "Je viendrai</a>" in email.html
    assert "Reminder" not in email.subject + email.text and "Hello" not in email.text
    assert not forbidden_words_in(email.outbound_text())
    # The English-speaking co-member's copy of the same reminder stays English.
    assert reminder_for(world.co_member, session).subject == "Reminder: your Tuesday 7 pm session"
    # The request's language is left as it was.
    assert translation.get_language() == "en"


def test_a_reminder_for_a_spanish_speaking_member_is_in_spanish(world):
    speaks(world.member, "es")
    session = SessionFactory(group=world.addict_group, starts_at=START)
    email = reminder_for(world.member, session)
    assert email.subject == "Recordatorio: su sesión del martes 19:00"
    assert email.text.startswith("Hola, Alex:")
    assert "Su sesión es el martes 1 de diciembre, 19:00 (hora de Europe/London)." in email.text
    assert "¿Asistirá?" in email.text and "Sí, asistiré:" in email.text
    assert "Reminder" not in email.subject + email.text
    assert not forbidden_words_in(email.outbound_text())


def test_going_reads_see_you_in_the_members_language(world):
    speaks(world.member, "es")
    session = SessionFactory(group=world.addict_group, starts_at=START)
    RSVPFactory(session=session, member=world.member)
    assert reminder_for(world.member, session).subject == "Nos vemos el martes a las 19:00"


def test_text_message_and_in_app_copy_follow_the_language(world):
    speaks(world.member, "fr")
    world.member.phone = "+447700900123"
    world.member.save(update_fields=["phone"])
    Preference.objects.create(user=world.member, channels=["sms", "in_app"])
    session = SessionFactory(group=world.addict_group, starts_at=START)
    sms = reminder_for(world.member, session, Channel.SMS).sms
    assert sms.startswith("Northside Wellbeing : rappel de votre séance du mardi 19 h"), sms
    in_app = reminder_for(world.member, session, Channel.IN_APP)
    assert in_app.text == "mardi 1 décembre à 19 h. Serez-vous là ?"


def test_a_cancellation_by_an_english_facilitator_reaches_members_in_their_language(world):
    speaks(world.member, "fr")
    speaks(world.co_member, "es")
    session = SessionFactory(group=world.addict_group, starts_at=START)
    scheduling.session_cancel(session=session, actor=world.facilitator, reason="Fran est malade")
    french = render_notification(
        Notification.objects.get(
            kind=Kind.SESSION_CANCELLED, recipient=world.member, channel="email"
        )
    )
    assert french.subject == "Annulée : votre séance du mardi 19 h"
    assert "La raison : Fran est malade" in french.text  # typed text is shown as typed
    spanish = render_notification(
        Notification.objects.get(
            kind=Kind.SESSION_CANCELLED, recipient=world.co_member, channel="email"
        )
    )
    assert spanish.subject == "Cancelada: su sesión del martes 19:00"


def test_a_series_edit_is_told_in_the_members_language_with_circles_own_reason(world):
    speaks(world.member, "fr")
    sessions = [
        SessionFactory(group=world.addict_group, starts_at=START + datetime.timedelta(weeks=i))
        for i in range(3)
    ]
    was = {s.pk: (s.starts_at, s.ends_at) for s in sessions[:2]}
    for moved in sessions[:2]:
        moved.starts_at += datetime.timedelta(minutes=15)
        moved.ends_at += datetime.timedelta(minutes=15)
        moved.save()
    scheduling._cancel(sessions[2], scheduling.SCHEDULE_CHANGED_REASON, edited=False, notify=False)
    api.series_changed(moved=was, cancelled_ids=[sessions[2].pk])
    row = Notification.objects.get(
        kind=Kind.SERIES_CHANGED, recipient=world.member, channel="email"
    )
    email = render_notification(row)
    assert email.subject == "Nouveaux horaires pour vos séances habituelles"
    assert (
        "À partir du mardi 1 décembre, les séances commencent à 19 h 15 au lieu de 19 h."
        in email.text
    ), email.text
    assert "La raison : Les horaires habituels du groupe ont changé." in email.text


def test_delivery_reasons_show_in_the_readers_language():
    with translation.override("fr"):
        assert reason_text("they answered not going") == (
            "la personne a répondu qu'elle ne viendrait pas"
        )
        assert reason_text("SMS provider said 400") == "SMS provider said 400"


@pytest.mark.parametrize("language", ["fr", "es"])
def test_the_notifications_pages_leave_no_english(world, client, language, settings):
    """The inbox (with delivered items), settings, the one-click email page and the delivery
    page, each in the viewer's language: no run of English written by this app."""
    settings.CLINIC_NAME = "Zenit"
    for person in (world.member, world.facilitator):
        speaks(person, language)
    session = SessionFactory(group=world.addict_group, starts_at=START)
    scheduling.session_update(
        session=session,
        actor=world.facilitator,
        starts_local=datetime.datetime(2026, 12, 2, 19),
        duration_minutes=90,
    )
    for row in Notification.objects.filter(channel=Channel.IN_APP):
        delivery.notification_deliver(row.pk)
    pages = {world.member: [reverse("notifications:inbox"), reverse("notifications:preferences")]}
    pages[world.facilitator] = [
        reverse("notifications:session_status", kwargs={"session_id": session.pk}),
        reverse("notifications:inbox"),
        reverse("home"),
    ]
    found = []
    for person, urls in pages.items():
        client.force_login(person)
        for url in urls:
            html = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
            for words, run in english_left(html, data_strings):
                if source_of(run, "notifications") == "notifications":
                    found.append(f"{url}: {run!r} ({', '.join(words)})")
    token = unsubscribe_token(world.member)
    html = client.get(reverse("notifications:email_preferences", args=[token])).content.decode()
    found += [run for _words, run in english_left(html, data_strings) if "Zenit" not in run]
    assert not found, "\n".join(found)


def test_a_held_back_message_says_why_in_the_readers_language():
    with translation.override("es"):
        assert reason_text("held back: the text would say sex, porn") == (
            "retenido: el texto habría incluido sex, porn"
        )
