"""The staff trail in French and Spanish: labels translated, codes never."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import translation

from audit import actions
from audit import api as audit

pytestmark = pytest.mark.django_db


def _speaks(user, language):
    user.language = language
    user.save(update_fields=["language"])


def test_every_action_label_is_translated_and_no_code_is():
    for language in ("fr", "es"):
        with translation.override(language):
            for code, action in actions.ACTIONS.items():
                with translation.override("en"):
                    english = str(action.label)
                assert str(actions.label(code)) != english, (language, code)
    # An unknown (retired) code shows as itself, in any language.
    with translation.override("fr"):
        assert actions.label("old.thing") == "old.thing"


def test_trail_page_and_export_in_french(client, world):
    audit.record("intake.read", subject=world.member, actor=world.facilitator)
    _speaks(world.staff, "fr")
    client.force_login(world.staff)
    with translation.override("fr"):
        page = client.get(reverse("audit:events")).content.decode()
        export = b"".join(client.get(reverse("audit:export")).streaming_content).decode()
    assert "Journal d'audit" in page and "Consultation d&#x27;une évaluation" in page
    assert "intake.read" in page  # the code stays as stored
    rows = list(csv.reader(io.StringIO(export)))
    assert rows[0][:3] == ["date_utc", "action", "libelle_action"]
    read = next(row for row in rows[1:] if row[1] == "intake.read")
    assert read[2] == "Consultation d'une évaluation"
