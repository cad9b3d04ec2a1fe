"""Per-request middleware work kept off most requests: allauth's activity record is written
at most once a minute per session, and a facilitator's MFA check is remembered until an
authenticator changes."""

import datetime

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_removed
from allauth.usersessions.models import UserSession
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import UserFactory

START = datetime.datetime(2026, 11, 30, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def _tracking_queries(queries) -> list[str]:
    return [q["sql"] for q in queries if "usersessions_usersession" in q["sql"]]


def test_activity_is_recorded_at_most_once_a_minute(client, world):
    # GIVEN a member signed in, whose session allauth has recorded
    with time_machine.travel(START, tick=False):
        client.force_login(world.member)
        assert client.get(reverse("home")).status_code == 200
        seen = UserSession.objects.get(user=world.member).last_seen_at
    # WHEN they open pages again within the minute THEN the record is neither read nor written
    soon = START + datetime.timedelta(seconds=30)
    with time_machine.travel(soon, tick=False), CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    assert _tracking_queries(queries) == []
    assert UserSession.objects.get(user=world.member).last_seen_at == seen
    # WHEN a page opens a minute later THEN "last seen" moves on (the devices page shows it)
    later = START + datetime.timedelta(seconds=90)
    with time_machine.travel(later, tick=False):
        assert client.get(reverse("home")).status_code == 200
        assert client.get(reverse("usersessions_list")).status_code == 200
    assert UserSession.objects.get(user=world.member).last_seen_at == later


def test_mfa_check_is_remembered_until_an_authenticator_is_removed(client, db):
    # GIVEN a facilitator with TOTP, signed in, who has opened a page once
    user = UserFactory(facilitator=True)
    assert Authenticator.objects.filter(user=user).exists()
    client.force_login(user)
    assert client.get(reverse("home")).status_code == 200
    # WHEN they open another page THEN MFA is not looked up again
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    assert not [q for q in queries if "mfa_authenticator" in q["sql"]]
    # WHEN their authenticator is removed (allauth's flow sends the signal)
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    authenticator.delete()
    authenticator_removed.send(
        sender=Authenticator, request=None, user=user, authenticator=authenticator
    )
    # THEN (signed in again: an MFA change ends their sessions) the next page sends them to
    # set it up again
    user.refresh_from_db()
    client.force_login(user)
    assert client.get(reverse("home")).url == reverse("mfa_activate_totp")
