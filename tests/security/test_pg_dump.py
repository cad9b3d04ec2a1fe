"""A real PostgreSQL dump holds none of the secrets and sensitive phrases Circle stores:
intake answers and assessment, TOTP secrets, recovery codes, calendar feed addresses."""

import os
import secrets
import shutil
import subprocess

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.db import connection
from django.urls import reverse

from core.crypto import decrypt_text, is_encrypted
from sessions.services import calendar_feed_make
from tests.factories import UserFactory
from tests.factories.groups import IntakeFactory
from tests.factories.members import TEST_PASSWORD, totp_code


def _pg_dump() -> str:
    """The data of the test database, as `pg_dump --data-only` writes it (COPY blocks)."""
    db = connection.settings_dict
    command = ["pg_dump", "--data-only", "--no-owner", "--no-privileges", "-d", db["NAME"]]
    for flag, key in (("-h", "HOST"), ("-p", "PORT"), ("-U", "USER")):
        if db.get(key):
            command += [flag, str(db[key])]
    env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


def _copy_rows(dump: str, table: str) -> list[dict[str, str]]:
    """The rows of one table's COPY block, as {column: raw text}."""
    lines = iter(dump.splitlines())
    for line in lines:
        if line.startswith(f"COPY public.{table} ("):
            columns = [c.strip().strip('"') for c in line.split("(", 1)[1].split(")")[0].split(",")]
            rows = []
            for row in lines:
                if row == "\\.":
                    return rows
                rows.append(dict(zip(columns, row.split("\t"), strict=True)))
    raise AssertionError(f"no COPY block for {table} in the dump")


@pytest.mark.service("postgres")
@pytest.mark.django_db(transaction=True)
def test_a_database_dump_holds_no_secret_and_no_sensitive_phrase(client):
    if shutil.which("pg_dump") is None:
        pytest.fail("pg_dump is not installed (apt-get install postgresql-client)")
    # GIVEN a member's intake whose answers hold a phrase found nowhere else, assessed "addicted"
    phrase = f"lantern-{secrets.token_hex(8)}-harbour"
    facilitator = UserFactory(facilitator=True)
    member = UserFactory()
    intake = IntakeFactory(
        member=member,
        recorded_by=facilitator,
        secrets=f"I hide it in {phrase}",
        notes=f"Said {phrase} twice",
        level="addicted",
        recommended_kind="couples",
    )
    # ...a staff member who enrolled an authenticator app on allauth's page (which also makes
    # recovery codes; the pending secret sat in the session until then)
    staff = UserFactory(staff=True, mfa=False)
    client.force_login(staff)
    client.post(reverse("account_reauthenticate"), {"password": TEST_PASSWORD})
    client.get(reverse("mfa_activate_totp"))
    totp_secret = client.session["mfa.totp.secret"]
    client.post(reverse("mfa_activate_totp"), {"code": totp_code(totp_secret)})
    recovery = RecoveryCodes.activate(staff)
    seed = decrypt_text(recovery.instance.data["seed"])
    codes = recovery.get_unused_codes()
    # ...and the member's private calendar feed address
    feed_token = calendar_feed_make(user=member)

    # WHEN the database is dumped
    dump = _pg_dump()

    # THEN the dump really holds those rows...
    intakes = [row for row in _copy_rows(dump, "members_intake") if row["id"] == str(intake.pk)]
    assert len(intakes) == 1
    authenticators = [
        row for row in _copy_rows(dump, "mfa_authenticator") if row["user_id"] == str(staff.pk)
    ]
    assert {row["type"] for row in authenticators} == {
        Authenticator.Type.TOTP,
        Authenticator.Type.RECOVERY_CODES,
    }
    # ...but none of the phrases or secrets
    found = {
        "intake phrase": phrase in dump,
        "TOTP secret": totp_secret in dump,
        "recovery seed": seed in dump,
        "a recovery code": any(code in "\n".join(map(str, authenticators)) for code in codes),
        "calendar feed token": feed_token in dump,
    }
    assert not any(found.values()), f"in the dump: {[name for name, yes in found.items() if yes]}"
    # ...and the assessment is ciphertext, saying neither level nor kind of group
    (row,) = intakes
    for column in ("level", "recommended_kind", "secrets", "notes"):
        assert is_encrypted(row[column]), f"members_intake.{column} is not encrypted"
    assert "addicted" not in "\t".join(row.values())
    assert "couples" not in "\t".join(row.values())
