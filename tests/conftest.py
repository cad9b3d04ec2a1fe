"""Shared fixtures: fixed personas around one addict group, and real-service gating.

Personas (see `world`): staff; the addict group's facilitator; a facilitator of another
group; a member of the addict group and a co-member; that member's partner, who attends a
partner group; a member of another kind of group; an outsider in no group.
"""

import importlib
import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection

from groups.models import GroupKind
from members.models import User
from tests.factories import CoupleFactory, EnrollmentFactory, GroupFactory, UserFactory

REQUIRE_SERVICES = os.environ.get("CIRCLE_REQUIRE_SERVICES") == "1"


def _service_available(name: str) -> bool:
    if name == "postgres":
        return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
    if name == "redis":
        return bool(os.environ.get("REDIS_URL"))
    raise ValueError(f"unknown service {name!r}")


@pytest.fixture(autouse=True)
def _gate_real_services(request):
    """`@pytest.mark.service("postgres", "redis")` skips locally without them, fails in CI."""
    marker = request.node.get_closest_marker("service")
    if marker is None:
        return
    missing = [name for name in marker.args if not _service_available(name)]
    if missing:
        message = f"needs real {', '.join(missing)} (set DATABASE_URL / REDIS_URL)"
        if REQUIRE_SERVICES:
            pytest.fail(f"CI must not skip service tests: {message}")
        pytest.skip(message)


def _stale_catalogues() -> bool:
    """A .po file newer than its .mo (or with none): `make` compiles, a bare pytest may not."""
    root = Path(__file__).resolve().parent.parent
    for po in root.glob("*/locale/*/LC_MESSAGES/*.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            return True
    return False


@pytest.fixture(autouse=True, scope="session")
def _compiled_catalogues():
    if _stale_catalogues():
        call_command("compilemessages", ignore=[".venv"], verbosity=0)


@pytest.fixture(autouse=True)
def _fresh_cache():
    # allauth's rate limits count in the cache; one test's sign-ins must not throttle the next.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_hashing_and_isolated_media(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    # A test computes a TOTP code and posts it a moment later; with no tolerance, a 30-second
    # step that ends in between fails the test (it did, once in CI). One step either side is
    # what authenticator apps' clock drift needs too.
    settings.MFA_TOTP_TOLERANCE = 1


@dataclass
class World:
    staff: User
    facilitator: User
    other_facilitator: User
    member: User
    co_member: User
    partner: User
    other_kind_member: User
    outsider: User
    addict_group: object
    partner_group: object
    couples_group: object


@pytest.fixture
def world(db) -> World:
    staff = UserFactory(staff=True, email="staff@example.org", display_name="Sam Staff")
    facilitator = UserFactory(facilitator=True, email="fran@example.org", display_name="Fran")
    other_facilitator = UserFactory(facilitator=True, email="olly@example.org", display_name="Olly")
    member = UserFactory(email="alex@example.org", display_name="Alex")
    co_member = UserFactory(email="casey@example.org", display_name="Casey")
    partner = UserFactory(email="jordan@example.org", display_name="Jordan")
    other_kind_member = UserFactory(email="morgan@example.org", display_name="Morgan")
    outsider = UserFactory(email="quinn@example.org", display_name="Quinn")

    addict_group = GroupFactory(
        name="Tuesday evening", kind=GroupKind.ADDICT, facilitators=[facilitator]
    )
    partner_group = GroupFactory(
        name="Thursday evening", kind=GroupKind.PARTNER, facilitators=[other_facilitator]
    )
    couples_group = GroupFactory(
        name="Saturday morning", kind=GroupKind.COUPLES, facilitators=[other_facilitator]
    )
    EnrollmentFactory(group=addict_group, member=member)
    EnrollmentFactory(group=addict_group, member=co_member)
    EnrollmentFactory(group=partner_group, member=partner)
    EnrollmentFactory(group=partner_group, member=other_kind_member)
    CoupleFactory(first=member, second=partner, linked_by=facilitator)
    return World(
        staff=staff,
        facilitator=facilitator,
        other_facilitator=other_facilitator,
        member=member,
        co_member=co_member,
        partner=partner,
        other_kind_member=other_kind_member,
        outsider=outsider,
        addict_group=addict_group,
        partner_group=partner_group,
        couples_group=couples_group,
    )


# Rows that data migrations write (note formats, the shipped questionnaires). A transactional
# test's flush removes them, so each journey puts them back as a fresh database would have them.
_SEED_NOTE_FORMATS = importlib.import_module("notes.migrations.0002_seed_note_templates").seed
_LOAD_QUESTIONNAIRES = importlib.import_module(
    "measures.migrations.0002_load_phq9_gad7_first_questions"
).load


@pytest.fixture(autouse=True)
def _data_from_migrations(request):
    marker = request.node.get_closest_marker("django_db")
    transactional = (
        "transactional_db" in request.fixturenames
        or "live_server" in request.fixturenames
        or (marker is not None and bool(marker.kwargs.get("transaction")))
    )
    if transactional:
        request.getfixturevalue("transactional_db")
        # A migration test may have left some apps migrated back: seed only what is there.
        tables = set(connection.introspection.table_names())
        if "notes_notetemplate" in tables:
            _SEED_NOTE_FORMATS(django_apps, None)
        if {"measures_instrument", "measures_item"} <= tables:
            _LOAD_QUESTIONNAIRES(django_apps, None)
