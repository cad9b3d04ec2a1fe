"""config/settings.py loads from the environment; production settings pass check --deploy.

Each case runs Django in a fresh subprocess with a clean environment, as a server would.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
PRODUCTION_SECRET = "k" * 20 + "-production-like-secret-0123456789-abcdefghijklmnop"
# A valid Fernet key (32 url-safe base64 bytes), as production must set.
PRODUCTION_FIELD_KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="

PRINT_SETTINGS = """
import json, django
django.setup()
from django.conf import settings as s
print(json.dumps({
    "DEBUG": s.DEBUG, "ALLOWED_HOSTS": s.ALLOWED_HOSTS, "CLINIC_NAME": s.CLINIC_NAME,
    "ENGINE": s.DATABASES["default"]["ENGINE"], "DB_NAME": s.DATABASES["default"]["NAME"],
    "BROKER": s.CELERY_BROKER_URL, "CACHE": s.CACHES["default"]["BACKEND"],
    "EMAIL_PORT": s.EMAIL_PORT, "OPEN_SIGNUP": s.OPEN_SIGNUP,
    "INVITATION_MAX_AGE_DAYS": s.INVITATION_MAX_AGE_DAYS,
    "SECURE_SSL_REDIRECT": s.SECURE_SSL_REDIRECT,
}))
"""


def _run(args, tmp_path, **env):
    clean = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "CIRCLE_VAR_DIR": str(tmp_path / "var"),
        **env,
    }
    return subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _settings(tmp_path, **env):
    result = _run(["-c", PRINT_SETTINGS], tmp_path, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_embedded_defaults_need_no_server(tmp_path):
    loaded = _settings(tmp_path, DEBUG="1")
    assert loaded["DEBUG"] is True
    assert loaded["ENGINE"] == "django.db.backends.sqlite3"
    assert loaded["DB_NAME"] == str(tmp_path / "var" / "circle.sqlite3")
    assert loaded["BROKER"] == "filesystem://"
    assert loaded["CACHE"].endswith("LocMemCache")
    assert loaded["CLINIC_NAME"] == "Circle"
    assert loaded["OPEN_SIGNUP"] is False


def test_production_values_come_from_env(tmp_path):
    loaded = _settings(
        tmp_path,
        SECRET_KEY=PRODUCTION_SECRET,
        FIELD_ENCRYPTION_KEY=PRODUCTION_FIELD_KEY,
        ALLOWED_HOSTS="circle.example.org, www.circle.example.org",
        DATABASE_URL="postgres://circle:pw@db.internal:5432/circle",
        REDIS_URL="redis://cache.internal:6379/2",
        CLINIC_NAME="Northside Wellbeing",
        EMAIL_PORT="587",
        OPEN_SIGNUP="yes",
        INVITATION_MAX_AGE_DAYS="3",
    )
    assert loaded["DEBUG"] is False
    assert loaded["ALLOWED_HOSTS"] == ["circle.example.org", "www.circle.example.org"]
    assert loaded["ENGINE"] == "django.db.backends.postgresql"
    assert loaded["DB_NAME"] == "circle"
    assert loaded["BROKER"] == "redis://cache.internal:6379/2"
    assert loaded["CACHE"].endswith("RedisCache")
    assert loaded["CLINIC_NAME"] == "Northside Wellbeing"
    assert (loaded["EMAIL_PORT"], loaded["OPEN_SIGNUP"], loaded["INVITATION_MAX_AGE_DAYS"]) == (
        587,
        True,
        3,
    )
    assert loaded["SECURE_SSL_REDIRECT"] is True


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "maybe"}, "DEBUG must be one of"),
        ({"DEBUG": "1", "EMAIL_PORT": "twenty-five"}, "EMAIL_PORT must be a whole number"),
        ({}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": PRODUCTION_SECRET}, "FIELD_ENCRYPTION_KEY must be set"),
    ],
)
def test_bad_or_missing_values_stop_start_up_with_the_name(tmp_path, env, message):
    result = _run(["-c", PRINT_SETTINGS], tmp_path, **env)
    assert result.returncode != 0
    assert message in result.stderr


def test_check_deploy_is_clean_on_production_settings(tmp_path):
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        tmp_path,
        SECRET_KEY=PRODUCTION_SECRET,
        FIELD_ENCRYPTION_KEY=PRODUCTION_FIELD_KEY,
        ALLOWED_HOSTS="circle.example.org",
        SITE_URL="https://circle.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        REDIS_URL="redis://127.0.0.1:6379/9",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr
