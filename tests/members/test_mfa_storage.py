"""TOTP secrets and recovery-code seeds are stored encrypted (members.mfa_adapter), and
authenticators stored in clear text before that keep working once migrated."""

import importlib
import json
import time

from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.apps import apps
from django.db import connection
from django.urls import reverse

from core.crypto import is_encrypted
from tests.factories import UserFactory
from tests.factories.members import TEST_PASSWORD, TEST_TOTP_SECRET, totp_code

MIGRATION = importlib.import_module("members.migrations.0005_mfa_secrets_encrypted")


def _raw_data(authenticator: Authenticator) -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM mfa_authenticator WHERE id = %s", [authenticator.pk])
        (data,) = cursor.fetchone()
    return json.loads(data) if isinstance(data, str) else data


def _reauthenticate(client):
    # allauth asks for the password again before MFA changes.
    client.post(reverse("account_reauthenticate"), {"password": TEST_PASSWORD})


def _sign_in(client, user, code: str):
    client.post(reverse("account_login"), {"login": user.email, "password": TEST_PASSWORD})
    return client.post(reverse("mfa_authenticate"), {"code": code})


def test_enrolling_totp_stores_the_secret_encrypted(client, db):
    # GIVEN a facilitator enrolling an authenticator app through allauth's own page
    user = UserFactory(facilitator=True, mfa=False)
    client.force_login(user)
    _reauthenticate(client)
    setup = reverse("mfa_activate_totp")
    client.get(setup)
    secret = client.session["mfa.totp.secret"]
    client.post(setup, {"code": totp_code(secret)})
    # THEN the database holds only ciphertext, not the base32 secret
    totp = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    stored = _raw_data(totp)["secret"]
    assert is_encrypted(stored)
    assert secret not in json.dumps(_raw_data(totp))


def test_recovery_codes_seed_is_stored_encrypted_and_codes_work(client, db):
    # GIVEN a staff member with TOTP and recovery codes
    user = UserFactory(staff=True)
    codes = RecoveryCodes.activate(user)
    stored = _raw_data(codes.instance)["seed"]
    assert is_encrypted(stored)
    # WHEN they sign in with a recovery code THEN it is accepted
    response = _sign_in(client, user, codes.get_unused_codes()[0])
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_clear_text_totp_secret_is_encrypted_by_the_migration_and_still_signs_in(client, db):
    # GIVEN a TOTP authenticator and recovery codes stored in clear text (before this change)
    user = UserFactory(facilitator=True, mfa=False)
    totp = Authenticator.objects.create(
        user=user, type=Authenticator.Type.TOTP, data={"secret": TEST_TOTP_SECRET}
    )
    seed = "ab" * 40
    recovery = Authenticator.objects.create(
        user=user, type=Authenticator.Type.RECOVERY_CODES, data={"seed": seed, "used_mask": 0}
    )
    # ...which sign-in reads as it is
    assert _sign_in(client, user, totp_code()).status_code == 302
    client.logout()
    # WHEN the data migration runs (twice: it must not encrypt twice)
    MIGRATION.encrypt_secrets(apps, None)
    MIGRATION.encrypt_secrets(apps, None)
    # THEN neither secret remains in clear text
    assert is_encrypted(_raw_data(totp)["secret"])
    assert TEST_TOTP_SECRET not in json.dumps(_raw_data(totp))
    assert seed not in json.dumps(_raw_data(recovery))
    # ...and the same authenticator app (its next code: each is accepted once) and the
    # recovery codes still sign in
    assert _sign_in(client, user, totp_code(at=time.time() + 30)).status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    client.logout()
    code = RecoveryCodes(Authenticator.objects.get(pk=recovery.pk)).get_unused_codes()[0]
    assert _sign_in(client, user, code).status_code == 302


def test_the_migration_reverses_to_clear_text(db):
    user = UserFactory(facilitator=True)
    totp = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    MIGRATION.decrypt_secrets(apps, None)
    assert _raw_data(totp)["secret"] == TEST_TOTP_SECRET
