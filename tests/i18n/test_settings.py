"""CIRCLE_LANGUAGES: which languages a clinic offers, read at start-up like every setting."""

import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
PRINT = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(','.join(s.CIRCLE_LANGUAGES), '|', ','.join(c for c, _ in s.LANGUAGES))"
)


def _run(tmp_path, **env):
    clean = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "CIRCLE_VAR_DIR": str(tmp_path / "var"),
        "DEBUG": "1",
        **env,
    }
    return subprocess.run(
        [sys.executable, "-c", PRINT],
        cwd=BASE_DIR,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_every_language_is_offered_by_default(tmp_path):
    result = _run(tmp_path)
    assert result.stdout.split() == ["en,fr,es", "|", "en,fr,es"]


def test_a_clinic_offers_a_subset(tmp_path):
    result = _run(tmp_path, CIRCLE_LANGUAGES="fr, en")
    assert result.stdout.split() == ["fr,en", "|", "en,fr,es"]


def test_a_language_circle_does_not_speak_stops_start_up(tmp_path):
    result = _run(tmp_path, CIRCLE_LANGUAGES="en,de")
    assert result.returncode != 0
    assert "CIRCLE_LANGUAGES must be some of" in result.stderr
