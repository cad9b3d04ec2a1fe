"""Attendance in French and Spanish: pages follow the viewer, the letter follows its member."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation
from fontTools.ttLib import TTFont

from attendance.letters import FONT_DIR, letter_pdf, letter_sentence
from attendance.services import attendance_letter_issue

pytestmark = pytest.mark.django_db

JAN_1, FEB_28 = datetime.date(2026, 1, 1), datetime.date(2026, 2, 28)


def _issue(world, **extra):
    options = {"date_from": JAN_1, "date_to": FEB_28, "name_on_letter": ""} | extra
    return attendance_letter_issue(
        group=world.addict_group, member=world.member, actor=world.facilitator, **options
    )


def _speaks(user, language):
    user.language = language
    user.save(update_fields=["language"])


def test_member_page_in_french(world, history, client):
    _speaks(world.member, "fr")
    client.force_login(world.member)
    with translation.override("fr"):
        html = client.get(reverse("attendance:index")).content.decode()
    assert "Vos présences" in html and "Obtenir une attestation de présence" in html
    assert "Your attendance" not in html and "Get a letter" not in html


def test_roll_page_in_spanish(world, history, client):
    _speaks(world.facilitator, "es")
    session = next(iter(history.sessions.values()))
    client.force_login(world.facilitator)
    with translation.override("es"):
        html = client.get(reverse("attendance:roll", args=[session.pk])).content.decode()
    assert "Asistencia del" in html and ">Presente<" in html and "Con retraso" in html
    assert "Roll for" not in html and ">Present<" not in html


def test_letter_sentence_in_each_language(world, history):
    letter = _issue(world)
    with translation.override("fr"):
        assert letter_sentence(letter) == (
            "Nous confirmons par la présente que Alex a participé à 3 séances de groupe auprès "
            "de Northside Wellbeing entre le 1 janvier 2026 et le 28 février 2026, soit "
            "4 heures 30 minutes au total."
        )
    with translation.override("es"):
        assert "entre el 1 de enero de 2026 y el 28 de febrero de 2026" in letter_sentence(letter)


def test_letter_follows_the_member_not_whoever_downloads_it(world, history):
    """GIVEN a French-speaking member WHEN an English-speaking facilitator makes their letter
    THEN the PDF carries French text, accents included (é is among its glyphs)."""
    _speaks(world.member, "fr")
    with translation.override("en"):
        french = letter_pdf(_issue(world))
    assert french.startswith(b"%PDF-") and french.rstrip().endswith(b"%%EOF")
    assert b"<00E9>" in french  # é mapped in the embedded font's ToUnicode table
    assert b"/Lang (fr)" in french

    _speaks(world.member, "en")
    english = letter_pdf(_issue(world))
    assert b"<00E9>" not in english and b"/Lang (en)" in english


def test_letter_font_covers_french_and_spanish():
    """fpdf2's core fonts are Latin-1 only; the letter's embedded font has every character."""
    needed = "éèêëàâçîïôùûœÉÈÀÇñÑáíóúüÁÍÓÚ¿¡«»“”’–"
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
        cmap = TTFont(FONT_DIR / name)["cmap"].getBestCmap()
        assert [c for c in needed if ord(c) not in cmap] == []


def test_spanish_letter_renders(world, history):
    _speaks(world.member, "es")
    pdf = letter_pdf(_issue(world, name_on_letter="Begoña Ibáñez"))
    assert b"/Lang (es)" in pdf
    assert b"<00F3>" in pdf and b"<00F1>" in pdf  # ó (Duración), ñ (the name)
