"""Nothing that leaves the app names the kind of group or sounds clinical.

Every outbound template of every app is rendered with sample data and checked against
`notifications.discretion.FORBIDDEN_WORDS`. Outbound templates are found by the naming
convention `<any templates dir>/<folder>/email/*` and `<any templates dir>/<folder>/sms/*`
(this covers Circle's apps, the project's templates and allauth's account emails).
The sample data is deliberately indiscreet (group name, description, topic and reading
title full of forbidden words), so a template that prints any of them fails too.
Every check runs in English, French and Spanish, against every language's word list.
"""

import datetime
from pathlib import Path

import pytest
import time_machine
from allauth.core.context import request_context
from django.core import mail
from django.template import engines
from django.template.loader import get_template
from django.test import RequestFactory
from django.utils import translation

from groups.models import GroupKind
from members.adapter import AccountAdapter
from members.models import Invitation
from notifications.discretion import (
    FORBIDDEN_WORDS,
    FORBIDDEN_WORDS_BY_LANGUAGE,
    forbidden_words_in,
)
from notifications.models import Channel, Kind, Notification
from notifications.rendering import context_for, render_notification
from tests.factories import (
    EnrollmentFactory,
    GroupFactory,
    MaterialFactory,
    RSVPFactory,
    SessionFactory,
    UserFactory,
)

OUTBOUND_FOLDERS = ("email", "sms")
# Apps that are not installed never send their templates.
NOT_INSTALLED = ("socialaccount/",)
NOW = datetime.datetime(2026, 11, 30, 12, tzinfo=datetime.UTC)
# Every outbound text is checked in each language Circle speaks.
LANGUAGES = ("en", "fr", "es")


def outbound_template_names() -> list[str]:
    names = set()
    for loader in engines["django"].engine.template_loaders:
        for directory in loader.get_dirs():
            root = Path(directory)
            for folder in OUTBOUND_FOLDERS:
                for path in root.glob(f"*/{folder}/*"):
                    if path.is_file():
                        names.add(path.relative_to(root).as_posix())
    return sorted(n for n in names if not n.startswith(NOT_INSTALLED))


@pytest.fixture
def indiscreet_world(db):
    """A group whose every free-text field would give the game away."""
    facilitator = UserFactory(facilitator=True, display_name="Fran")
    group = GroupFactory(
        name="Sex addiction recovery group",
        kind=GroupKind.ADDICT,
        description="Therapy for compulsive porn use; thérapie; terapia",
        # The venue's address does go into calendar files, so it is a plain one here; a
        # telling one would hold the message back at delivery (see test_delivery).
        address="12 Quiet Lane, Room 3",
        facilitators=[facilitator],
    )
    member = UserFactory(display_name="Alex", phone="+447700900123")
    enrollment = EnrollmentFactory(group=group, member=member)
    session = SessionFactory(
        group=group,
        starts_at=datetime.datetime(2026, 12, 1, 19, tzinfo=datetime.UTC),
        topic="Relapse prevention and partner betrayal; rechute; recaída",
    )
    RSVPFactory(session=session, member=member)
    material = MaterialFactory(group=group, title="Understanding sex addiction")
    invitation = Invitation.objects.create(
        email="new.person@example.org",
        role="member",
        group=group,
        invited_by=facilitator,
        expires_at=NOW + datetime.timedelta(days=14),
    )
    return {
        "invitation": invitation,
        "facilitator": facilitator,
        "group": group,
        "member": member,
        "enrollment": enrollment,
        "session": session,
        "material": material,
    }


def _rows(w) -> list[Notification]:
    about = {Kind.MATERIAL_PUBLISHED: w["material"], Kind.ABSENCE_FOLLOW_UP: w["enrollment"]}
    to_facilitator = (Kind.FACILITATOR_DIGEST, Kind.ABSENCE_FOLLOW_UP)
    rows = []
    for kind in Kind.values:
        if kind == Kind.INVITATION:  # to an address, by email only
            rows.append(
                Notification.objects.create(
                    address=w["invitation"].email,
                    kind=kind,
                    channel=Channel.EMAIL,
                    about=w["invitation"],
                    key=f"sample:{kind}",
                    due_at=NOW,
                )
            )
            continue
        for channel in (Channel.EMAIL, Channel.SMS):
            rows.append(
                Notification.objects.create(
                    recipient=w["facilitator"] if kind in to_facilitator else w["member"],
                    kind=kind,
                    channel=channel,
                    session=w["session"],
                    about=about.get(kind),
                    offset_minutes=120,
                    key=f"sample:{kind}:{channel}",
                    due_at=NOW,
                )
            )
    return rows


def _sample_context(w) -> dict:
    """Every variable any outbound template might use, merged from each kind's context."""
    context = {}
    for row in _rows(w):
        context.update(context_for(row))
    context.update(
        user=w["member"],
        member=w["member"],
        group=w["group"],
        session=w["session"],
        material=w["material"],
        enrollment=w["enrollment"],
        inviter_name=w["facilitator"].display_name,
        url="https://circle.example/invite/abc/",
        activate_url="https://circle.example/accounts/confirm-email/abc/",
        password_reset_url="https://circle.example/accounts/password/reset/key/abc/",
        expires_at=NOW + datetime.timedelta(days=14),
        code="123456",
        email="alex@example.org",
        from_email="alex@example.org",
        to_email="alex.new@example.org",
    )
    return context


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", outbound_template_names())
def test_every_outbound_template_is_discreet(indiscreet_world, name, language):
    with time_machine.travel(NOW, tick=False), translation.override(language):
        rendered = get_template(name).render(_sample_context(indiscreet_world))
    found = forbidden_words_in(rendered)
    assert not found, f"{name} in {language} says {found}"


def test_the_convention_finds_the_templates():
    names = outbound_template_names()
    assert "notifications/email/reminder_subject.txt" in names
    assert "notifications/sms/reminder.txt" in names
    assert "notifications/email/invitation.txt" in names
    assert "account/email/password_reset_key_message.txt" in names
    assert "mfa/email/totp_activated_subject.txt" in names


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_as_sent_is_discreet(indiscreet_world, language):
    """Subject, text, HTML, SMS and calendar file, for every kind, as delivery renders them
    (in the recipient's language)."""
    for person in (indiscreet_world["member"], indiscreet_world["facilitator"]):
        person.language = language
        person.save(update_fields=["language"])
    with time_machine.travel(NOW, tick=False):
        for row in _rows(indiscreet_world):
            rendered = render_notification(row)
            found = forbidden_words_in(rendered.outbound_text())
            assert not found, f"{row.kind} by {row.channel} in {language} says {found}"
            assert "Alex" not in rendered.outbound_text() or (
                row.recipient is not None and row.recipient.display_name == "Alex"
            )


def _allauth_prefixes() -> list[str]:
    """Every message allauth can send (account and MFA), as the adapter's template prefix."""
    return sorted(
        name.removesuffix("_subject.txt")
        for name in outbound_template_names()
        if name.startswith(("account/email/", "mfa/email/")) and name.endswith("_subject.txt")
    )


def test_the_allauth_messages_are_all_found():
    prefixes = _allauth_prefixes()
    for expected in (
        "account/email/email_confirmation_signup",
        "account/email/password_reset_key",
        "mfa/email/recovery_codes_generated",
        "mfa/email/totp_deactivated",
    ):
        assert expected in prefixes


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("prefix", _allauth_prefixes())
def test_every_allauth_message_as_sent_is_discreet(indiscreet_world, prefix, language):
    """Through the adapter, as allauth sends it: the one helper renders subject, text and
    HTML, and none of the three says a forbidden word."""
    context = {**_sample_context(indiscreet_world), "clinic_name": "Northside Wellbeing"}
    with (
        time_machine.travel(NOW, tick=False),
        request_context(RequestFactory().get("/")),
        translation.override(language),
    ):
        message = AccountAdapter().render_mail(prefix, "alex@example.org", context)
    html = message.alternatives[0][0]
    assert message.subject and message.body and "<html" in html
    for text in (message.subject, message.body, html):
        found = forbidden_words_in(text)
        assert not found, f"{prefix} in {language} says {found}"


def test_allauth_mail_goes_at_once_but_is_held_back_if_indiscreet(db, settings):
    request = RequestFactory().get("/")
    context = {"password_reset_url": "https://circle.example/reset/abc/", "user": None}
    with request_context(request):
        AccountAdapter(request).send_mail(
            "account/email/password_reset_key", "alex@example.org", context
        )
        assert len(mail.outbox) == 1  # at once, not through the outbox
        assert settings.CLINIC_NAME in mail.outbox[0].alternatives[0][0]  # the same HTML frame
        settings.CLINIC_NAME = "Recovery Partners"
        AccountAdapter(request).send_mail(
            "account/email/password_reset_key", "alex@example.org", context
        )
    assert len(mail.outbox) == 1


def test_the_check_itself():
    assert forbidden_words_in("Your SEX-addiction group") == ["sex", "addiction"]
    assert forbidden_words_in("Essex and Middlesex, a recoverable therapist's") == ["therapist"]
    assert forbidden_words_in("Your Tuesday 7 pm session at Northside Wellbeing") == []
    assert "partner group" in FORBIDDEN_WORDS and "couples group" in FORBIDDEN_WORDS


def test_the_check_in_french_and_spanish():
    # Whole words, any case, with or without accents; every list applies to every message.
    assert forbidden_words_in("Votre groupe de Thérapie : l'addiction sexuelle") == [
        "thérapie",
        "addiction",
        "sexuelle",
    ]
    assert forbidden_words_in("Su TERAPIA de adiccion al sexo") == ["terapia", "adicción", "sexo"]
    assert forbidden_words_in("Your therapie") == ["thérapie"]
    assert forbidden_words_in("Votre séance de mardi à 19 h, Northside Wellbeing") == []
    assert forbidden_words_in("Su sesión del martes a las 19:00. Códigos de recuperación") == []
    # One language's list alone, when asked.
    assert forbidden_words_in("sexo", language="fr") == []
    assert forbidden_words_in("sexo", language="es") == ["sexo"]
    assert set(FORBIDDEN_WORDS_BY_LANGUAGE) == {"en", "fr", "es"}


def test_accents_are_folded_as_character_by_character():
    import random
    import unicodedata

    from notifications.discretion import _fold

    def by_character(text):
        decomposed = unicodedata.normalize("NFD", text.lower())
        kept = "".join(char for char in decomposed if not unicodedata.combining(char))
        return unicodedata.normalize("NFC", kept)

    alphabet = "aeiouncAEIOUNC éèêëàâçôûùïîñÉÈÑÇ¿¡ßøœæ–—…🙂\u0301\u0308\u20d7ǅﬁ한글Ωω"
    rng = random.Random(7)
    for _ in range(500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 80)))
        assert _fold(text) == by_character(text)


def test_a_rendered_message_is_checked_as_its_outbound_text():
    from notifications.rendering import Rendered

    ics = "BEGIN:VCALENDAR\r\nSUMMARY:Thérapie de groupe\r\nEND:VCALENDAR\r\n"
    files = [("session.ics", ics.encode(), "text/calendar"), ("a.txt", ics, "text/plain")]
    for attachments in ([], files[:1], files[1:]):
        rendered = Rendered(
            subject="Your session",
            text="A relapse, then sex",
            html="<p>counselling</p>",
            attachments=list(attachments),
        )
        expected = forbidden_words_in(rendered.outbound_text())
        assert rendered.forbidden_words() == expected
        assert rendered.forbidden_words() == expected  # the file's check, cached, says the same
    assert "thérapie" in expected
