"""Sessions in French and Spanish (issue 19): pages in the viewer's language; calendars in
their owner's, and discreet in every language."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation
from icalendar import Calendar

from notifications.discretion import forbidden_words_in
from sessions import recurrence, rsvps, services
from sessions.calendar import session_ics_bytes
from sessions.selectors import schedule_in_words
from tests.factories import SeriesFactory, SessionFactory

UTC = datetime.UTC
NOW = datetime.datetime(2026, 11, 21, 12, tzinfo=UTC)
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def session(world):
    group = world.addict_group
    group.name = "Porn addiction recovery"  # the worst case a facilitator could type
    group.save()
    return SessionFactory(group=group, starts_at=datetime.datetime(2026, 11, 24, 19, tzinfo=UTC))


def _speaks(user, language):
    user.language = language
    user.save(update_fields=["language"])


def _get(client, user, language, name, *args):
    _speaks(user, language)
    client.force_login(user)
    with translation.override(language):
        response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    return response.content.decode()


def test_session_page_in_french(client, world, session):
    html = _get(client, world.member, "fr", "scheduling:detail", session.pk)
    assert "mardi 24 novembre" in html
    assert "<title>Séance · Porn addiction recovery" in html
    assert "Je viendrai" in html and "Peut-être" in html and "Je ne viendrai pas" in html
    assert "Télécharger pour votre agenda (.ics)" in html
    assert "Going" not in html and "Download for your calendar" not in html


def test_upcoming_and_roster_in_spanish(client, world, session):
    html = _get(client, world.member, "es", "scheduling:upcoming")
    assert "Próximas sesiones" in html and "martes 24 de noviembre" in html
    html = _get(client, world.facilitator, "es", "scheduling:detail", session.pk)
    assert "Cancelar solo esta sesión" in html and "sin respuesta" in html


def test_schedule_in_words_in_each_language(world):
    rule = "FREQ=WEEKLY;INTERVAL=2;BYDAY=SA;COUNT=10"
    monthly = "FREQ=MONTHLY;BYDAY=-1TH;UNTIL=20270630T235959"
    expected = {
        "en": (
            "Every other Saturday, 10 times",
            "The last Thursday of each month, until 30 June 2027",
        ),
        "fr": (
            "Un samedi sur deux, 10 fois",
            "Le dernier jeudi de chaque mois, jusqu'au 30 juin 2027",
        ),
        "es": (
            "Cada dos sábados, 10 veces",
            "El último jueves de cada mes, hasta el 30 de junio de 2027",
        ),
    }
    for language, (fortnightly, last_thursday) in expected.items():
        with translation.override(language):
            assert schedule_in_words(rule) == fortnightly
            assert schedule_in_words(monthly) == last_thursday


def test_schedule_page_in_french(client, world):
    SeriesFactory(group=world.addict_group, rrule="FREQ=WEEKLY;BYDAY=TU")
    html = _get(client, world.facilitator, "fr", "scheduling:schedule", world.addict_group.pk)
    assert "Tous les mardis" in html and "Fixer un calendrier régulier" in html


@pytest.mark.parametrize(
    ("language", "title", "words"),
    [
        ("en", "your Tuesday evening session", "Details and join link:"),
        ("fr", "votre séance du mardi soir", "Détails et lien pour rejoindre :"),
        ("es", "su sesión del martes por la noche", "Detalles y enlace para unirse:"),
    ],
)
def test_the_feed_is_in_its_owners_language_and_discreet(world, session, language, title, words):
    _speaks(world.member, language)
    services.session_cancel(session=session, actor=world.facilitator, reason="Room")
    SessionFactory(group=world.addict_group, starts_at=session.starts_at + datetime.timedelta(7))
    token = services.calendar_feed_make(user=world.member)
    # The calendar app asks in English; the feed answers in its owner's language.
    with translation.override("en"):
        body = Client(HTTP_ACCEPT_LANGUAGE="en").get(
            reverse("scheduling:feed", kwargs={"token": token})
        )
    events = list(Calendar.from_ical(body.content).walk("VEVENT"))
    assert {str(event["SUMMARY"]) for event in events} == {f"{settings.CLINIC_NAME}: {title}"}
    text = body.content.decode()
    assert words in " ".join(str(event["DESCRIPTION"]) for event in events)
    assert forbidden_words_in(text) == []
    assert "Porn" not in text


def test_an_ics_for_someone_is_in_their_language_whatever_is_active(world, session):
    _speaks(world.member, "es")
    with translation.override("fr"):
        (event,) = Calendar.from_ical(session_ics_bytes(session, viewer=world.member)).walk(
            "VEVENT"
        )
    assert str(event["SUMMARY"]).endswith("su sesión del martes por la noche")


def test_date_fields_stay_iso_in_french(client, world, session):
    """A date input only takes 2026-11-24: a French-formatted value would show it empty."""
    html = _get(client, world.facilitator, "fr", "scheduling:change", session.pk)
    assert 'name="date" value="2026-11-24"' in html
    assert "Déplacer ou modifier cette séance" in html


@pytest.mark.parametrize(
    ("language", "weekly", "fortnightly", "one_am"),
    [
        ("en", "Every Tuesday at 7 pm", "Every other Tuesday at 7 pm", "Every Sunday at 1:30 am"),
        ("fr", "Tous les mardis à 19 h", "Un mardi sur deux à 19 h", "Tous les dimanches à 1 h 30"),
        (
            "es",
            "Todos los martes a las 19:00",
            "Cada dos martes a las 19:00",
            "Todos los domingos a la 1:30",  # "a la una", not "a las"
        ),
    ],
)
def test_rule_in_words_reads_naturally(language, weekly, fortnightly, one_am):
    seven = datetime.time(19)
    with translation.override(language):
        assert recurrence.rule_in_words("FREQ=WEEKLY;BYDAY=TU", at=seven) == weekly
        assert recurrence.rule_in_words("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", at=seven) == fortnightly
        assert recurrence.rule_in_words("FREQ=WEEKLY;BYDAY=SU", at=datetime.time(1, 30)) == one_am


def test_a_stored_reason_is_stored_in_english_and_shown_in_the_viewers(client, world, session):
    with translation.override("fr"):
        services._cancel(session, services.SCHEDULE_CHANGED_REASON, edited=False, notify=False)
    session.refresh_from_db()
    assert session.cancel_reason == "The group's regular schedule changed."
    html = _get(client, world.member, "es", "scheduling:detail", session.pk)
    assert "El horario habitual del grupo ha cambiado." in html
    html = _get(client, world.member, "fr", "scheduling:detail", session.pk)
    assert "Les horaires habituels du groupe ont changé." in html


def test_a_typed_reason_is_shown_as_typed(client, world, session):
    services.session_cancel(session=session, actor=world.facilitator, reason="Salle fermée")
    assert "Salle fermée" in _get(client, world.member, "es", "scheduling:detail", session.pk)


def test_refusals_are_in_the_active_language(world, session):
    services.session_cancel(session=session, actor=world.facilitator, reason="")
    with translation.override("es"), pytest.raises(ValidationError) as refused:
        rsvps.rsvp_submit(session=session, member=world.member, answer="going")
    assert refused.value.messages == [
        "Esta sesión está cancelada, así que no hay nada que responder."
    ]
    services.session_restore(session=session, actor=world.facilitator)
    with translation.override("fr"), pytest.raises(ValidationError) as refused:
        services.session_restore(session=session, actor=world.facilitator)
    assert refused.value.messages == [
        "Seule une séance annulée qui n'a pas encore commencé peut être rétablie."
    ]
