"""core.crypto and core.fields: the one key mechanism for data encrypted at rest."""

import importlib

import pytest
from cryptography.fernet import Fernet
from django.apps import apps
from django.core.exceptions import FieldError, ImproperlyConfigured, ValidationError
from django.db import connection

from core.crypto import PREFIX, decrypt_text, encrypt_text, is_encrypted, rotate_text
from members.models import Intake
from tests.factories.groups import IntakeFactory

OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()


@pytest.fixture(autouse=True)
def _key(settings):
    settings.FIELD_ENCRYPTION_KEY = OLD_KEY


def _intake(world, **values) -> Intake:
    return IntakeFactory(member=world.member, recorded_by=world.facilitator, **values)


def _raw_intake(pk: int) -> tuple[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT level, recommended_kind FROM members_intake WHERE id = %s", [pk])
        return cursor.fetchone()


def test_text_round_trips_and_never_encrypts_the_same_way_twice():
    # GIVEN a phrase WHEN it is encrypted twice
    first, second = encrypt_text("addicted"), encrypt_text("addicted")
    # THEN both are marked ciphertext, differ, hold no plain text, and decrypt back
    assert first.startswith(PREFIX) and is_encrypted(first)
    assert first != second
    assert "addicted" not in first
    assert decrypt_text(first) == decrypt_text(second) == "addicted"


def test_clear_text_stored_before_encryption_reads_as_is():
    assert decrypt_text("at_risk") == "at_risk"
    assert not is_encrypted("at_risk")


def test_rotation_reads_old_text_and_rewrites_it_with_the_new_key(settings):
    # GIVEN text encrypted with the old key
    stored = encrypt_text("Every morning.")
    # WHEN a new key is put first
    settings.FIELD_ENCRYPTION_KEY = f"{NEW_KEY},{OLD_KEY}"
    # THEN old text still reads, and rotate_text re-encrypts it with the new key only
    assert decrypt_text(stored) == "Every morning."
    rotated = rotate_text(stored)
    settings.FIELD_ENCRYPTION_KEY = NEW_KEY
    assert decrypt_text(rotated) == "Every morning."
    with pytest.raises(ImproperlyConfigured, match="cannot be decrypted"):
        decrypt_text(stored)


@pytest.mark.parametrize("keys", ["", "not-a-fernet-key"])
def test_a_missing_or_malformed_key_stops_with_a_clear_error(settings, keys):
    settings.FIELD_ENCRYPTION_KEY = keys
    with pytest.raises(ImproperlyConfigured, match="FIELD_ENCRYPTION_KEY"):
        encrypt_text("x")


def test_intake_level_and_kind_are_stored_encrypted_and_read_back(world):
    # GIVEN an intake assessed "addicted", recommended for a recovery group
    intake = IntakeFactory(
        member=world.member,
        recorded_by=world.facilitator,
        level="addicted",
        recommended_kind="addict",
    )
    # THEN the columns hold ciphertext only
    level, kind = _raw_intake(intake.pk)
    assert is_encrypted(level) and is_encrypted(kind)
    assert "addict" not in level and "addict" not in kind
    # ...and the app reads the values and their labels
    intake = Intake.objects.get(pk=intake.pk)
    assert (intake.level, intake.recommended_kind) == ("addicted", "addict")
    assert intake.get_level_display() == "Addicted"
    assert intake.get_recommended_kind_display() == "Recovery group"


def test_intake_level_still_validates_its_choices(world):
    intake = IntakeFactory.build(member=world.member, recorded_by=world.facilitator, level="severe")
    with pytest.raises(ValidationError) as error:
        intake.full_clean()
    assert "level" in error.value.message_dict


def test_an_encrypted_column_refuses_sql_filters_rather_than_matching_nothing(world):
    # GIVEN an intake WHEN someone filters on an encrypted column THEN it fails loudly
    IntakeFactory(member=world.member, recorded_by=world.facilitator, level="addicted")
    with pytest.raises(FieldError):
        list(Intake.objects.filter(level="addicted"))
    with pytest.raises(FieldError):
        list(Intake.objects.filter(notes__icontains="x"))
    # ...but "is it empty" still works
    assert Intake.objects.filter(notes__isnull=False).count() == 1


def test_the_migration_encrypts_level_and_kind_stored_in_clear_text(world):
    # GIVEN an intake whose level and kind were stored before encryption (clear text)
    intake = IntakeFactory(
        member=world.member,
        recorded_by=world.facilitator,
        level="casual",
        recommended_kind="partner",
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE members_intake SET level = %s, recommended_kind = %s WHERE id = %s",
            ["casual", "partner", intake.pk],
        )
    # WHEN the data migration runs
    migration = importlib.import_module("members.migrations.0004_intake_level_encrypted")
    migration.encrypt_coded_values(apps, None)
    # THEN the columns are ciphertext and read back unchanged, answers included
    level, kind = _raw_intake(intake.pk)
    assert is_encrypted(level) and is_encrypted(kind)
    intake_after = Intake.objects.get(pk=intake.pk)
    assert (intake_after.level, intake_after.recommended_kind) == ("casual", "partner")
    assert intake_after.secrets == intake.secrets
