"""'Your record', the export and the erasure message in French and Spanish."""

import io
import json
import zipfile

import pytest
import time_machine
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from privacy.export import member_export_zip
from tests.privacy.conftest import NOW

pytestmark = pytest.mark.django_db


def _speaks(user, language):
    user.language = language
    user.save(update_fields=["language"])


def _summary(payload: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(payload)) as archive:
        return archive.read("summary.html").decode()


def test_record_page_in_french(client, world):
    _speaks(world.member, "fr")
    client.force_login(world.member)
    with translation.override("fr"):
        html = client.get(reverse("privacy:record")).content.decode()
    assert "Votre dossier" in html and "Télécharger vos données" in html
    assert "Your record" not in html and "Download your data" not in html


def test_export_summary_is_in_the_members_language_whoever_downloads_it(world, records):
    """GIVEN a Spanish-speaking member WHEN staff working in English build their export
    THEN the readable summary is in Spanish, stored codes shown as Spanish words; the JSON
    keeps the codes."""
    _speaks(world.member, "es")
    with time_machine.travel(NOW, tick=False), translation.override("en"):
        payload = member_export_zip(world.member)
    html = _summary(payload)
    assert '<html lang="es">' in html
    assert "Sus datos" in html and "Su asistencia" in html and "Justificado" in html
    assert "Your data" not in html and "Your attendance" not in html
    with zipfile.ZipFile(io.BytesIO(payload)) as archive:
        data = json.loads(archive.read("data.json"))
    assert [a["mark"] for a in data["attendance"]] == ["excused"]


def test_erasure_message_in_each_language():
    for language, subject, words in (
        ("fr", "Votre demande a reçu une réponse", "vos données sont effacées"),
        ("es", "Su solicitud tiene respuesta", "sus datos se han borrado"),
    ):
        with translation.override(language):
            rendered_subject = render_to_string("privacy/email/erasure_decided_subject.txt")
            body = render_to_string(
                "privacy/email/erasure_decided_message.txt", {"outcome": "done"}
            )
        assert rendered_subject.strip() == subject
        assert words in body
