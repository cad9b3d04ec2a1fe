"""Notes in French and Spanish: pages, note formats (data, translated when shown), the words a
progress note starts with, messages and the PDF, whose font covers every accent used."""

import importlib
import logging
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation
from fontTools.ttLib import TTFont

from attendance.letters import FONT_DIR
from notes import services
from notes.formats import SHIPPED, format_text
from notes.pdf import notes_pdf
from notes.selectors import member_notes
from tests.factories.members import TEST_PASSWORD
from tests.factories.notes import AddendumFactory, NoteFactory

SEED = importlib.import_module("notes.migrations.0002_seed_note_templates")
NOTES_DIR = Path(services.__file__).resolve().parent


def _speaks(client, user, language):
    user.language = language
    user.save(update_fields=["language"])
    client.force_login(user)
    return {"HTTP_ACCEPT_LANGUAGE": language}


def test_every_word_of_the_shipped_formats_is_marked_for_translation():
    with translation.override("en"):
        marked = {str(text) for text in SHIPPED}
    for spec in SEED.TEMPLATES:
        assert spec["name"] in marked
        for _key, label, help_text in spec["fields"]:
            assert label in marked
            assert not help_text or help_text in marked


def test_formats_show_in_the_readers_language_and_custom_words_as_written():
    with translation.override("fr"):
        assert format_text("Data") == "Données"
        assert format_text("What you did.") == "Ce que vous avez fait."
        assert format_text("Our own heading") == "Our own heading"  # staff wrote it
    with translation.override("es"):
        assert format_text("Free text") == "Texto libre"
        assert format_text("") == ""


def test_the_progress_note_page_in_french(client, world, held):
    headers = _speaks(client, world.facilitator, "fr")
    url = reverse("notes:progress", args=[held.pk, world.member.pk])
    html = client.get(url, **headers).content.decode()
    assert "Note de suivi : Alex" in html
    assert ">Données</label>" in html and "Ce que vous avez observé" in html
    assert "Présence : présent." in html  # the prefill, in the writer's language
    assert "Enregistrer le brouillon" in html and ">Signer</button>" in html
    assert 'data-say-saved="Enregistré à {time}."' in html
    assert "Save draft" not in html and ">Data<" not in html


def test_messages_and_refusals_follow_the_writer(client, world, held):
    headers = _speaks(client, world.facilitator, "es")
    url = reverse("notes:group_note", args=[held.pk])
    page = client.post(
        url, {"action": "save", "s_themes": "Fines de semana"}, follow=True, **headers
    )
    assert "Borrador guardado." in page.content.decode()
    page = client.post(url, {"action": "sign", "s_themes": "x", "secret": "no"}, **headers)
    assert "Esa contraseña o ese código no es correcto." in page.content.decode()


def test_the_notes_home_and_supervision_pages_in_spanish(client, world, held, frozen):
    headers = _speaks(client, world.staff, "es")
    html = client.get(reverse("notes:supervision"), **headers).content.decode()
    assert "Supervisión" in html and "Nadie en particular" in html
    headers = _speaks(client, world.facilitator, "es")
    html = client.get(reverse("notes:index"), **headers).content.decode()
    assert "Pendiente de escribir o firmar" in html and "falta 1 nota de evolución" in html


def test_the_pdf_in_french_and_spanish_has_every_glyph(world, held, caplog):
    note = NoteFactory(
        session=held,
        member=world.member,
        values={"data": "Élan, niño, garçon « citation »"},
        signed_by=world.facilitator,
        signed_at=held.ends_at,
    )
    AddendumFactory(note=note, signed_by=world.facilitator, text="Señal")
    notes = member_notes(world.member, [world.addict_group.pk])
    for language in ("fr", "es"):
        with translation.override(language), caplog.at_level(logging.WARNING):
            content = notes_pdf(
                title="Notes de Zoé", subtitle="Séances", notes=notes, made_at=held.ends_at
            )
        assert content.startswith(b"%PDF")
    assert not [r for r in caplog.records if "glyph" in r.getMessage().lower()]


def test_the_pdf_font_covers_every_character_of_the_translations():
    used = set("é ñ ç « » ¿ ¡ ’ …")
    for language in ("fr", "es"):
        used |= set((NOTES_DIR / "locale" / language / "LC_MESSAGES" / "django.po").read_text())
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
        cmap = TTFont(str(FONT_DIR / name)).getBestCmap()
        missing = sorted(c for c in used if c.strip() and ord(c) not in cmap)
        assert not missing, f"{name} lacks {missing}"


@pytest.mark.parametrize("language", ["fr", "es"])
def test_a_signed_note_page_in_each_language(client, world, held, language):
    note = NoteFactory(session=held, member=world.member)
    services.note_sign(note=note, actor=world.facilitator, secret=TEST_PASSWORD)
    headers = _speaks(client, world.facilitator, language)
    html = client.get(reverse("notes:note", args=[note.pk]), **headers).content.decode()
    expected = {"fr": ("Ajouter un addendum", "Données"), "es": ("Añadir una adenda", "Datos")}
    for words in expected[language]:
        assert words in html
    assert "Add an addendum" not in html
