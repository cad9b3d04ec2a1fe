"""The calendar feed's secret: stored only as its SHA-256, shown once, replaceable and revocable
from the calendar page; addresses made before hashing keep working after the migration."""

import hashlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse

from audit.models import AuditEvent
from members.services import security
from sessions import services
from sessions.models import CalendarFeed

BEFORE = [("scheduling", "0002_feeds_links_couples")]
AFTER = [("scheduling", "0003_calendar_feed_token_hash")]


def _token(url: str) -> str:
    return url.rsplit("/", 1)[1].removesuffix(".ics")


def test_a_new_link_is_shown_once_and_stored_only_hashed(client, world):
    # GIVEN a member on their calendar page, with no link yet
    client.force_login(world.member)
    page = client.get(reverse("scheduling:calendar"))
    assert "Make a calendar link" in page.text
    # WHEN they make one
    made = client.post(reverse("scheduling:calendar_regenerate"))
    # THEN the page shows the address, says it cannot be shown again, and is not cached
    url = made.context["feed_url"]
    token = _token(url)
    assert url in made.text
    assert "can't show it again" in made.text
    assert "no-store" in made["Cache-Control"]
    # AND the database holds only the token's hash, in no column the token itself
    (row,) = CalendarFeed.objects.filter(user=world.member).values()
    assert row["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    assert not any(token in str(value) for value in row.values())
    # AND the address works, while a later visit to the page does not show it again
    assert Client().get(url).status_code == 200
    later = client.get(reverse("scheduling:calendar"))
    assert token not in later.text
    assert "Your calendar link is on" in later.text


def test_making_a_new_link_revokes_the_old_one(client, world):
    old = services.calendar_feed_make(user=world.member)
    client.force_login(world.member)
    made = client.post(reverse("scheduling:calendar_regenerate"))
    assert "Your old link no longer works" in made.text
    feed = Client()
    assert feed.get(reverse("scheduling:feed", kwargs={"token": old})).status_code == 404
    assert feed.get(made.context["feed_url"]).status_code == 200


def test_turning_the_link_off_makes_it_404(client, world):
    # GIVEN a member with a working calendar link
    token = services.calendar_feed_make(user=world.member)
    feed_url = reverse("scheduling:feed", kwargs={"token": token})
    assert Client().get(feed_url).status_code == 200
    # WHEN they turn it off on the calendar page
    client.force_login(world.member)
    response = client.post(reverse("scheduling:calendar_turn_off"), follow=True)
    # THEN the address answers 404 and the page offers to make a new one
    assert "Your calendar link is off" in response.text
    assert "Make a calendar link" in response.text
    assert Client().get(feed_url).status_code == 404
    assert not CalendarFeed.objects.filter(user=world.member).exists()
    assert AuditEvent.objects.filter(
        action="auth.calendar_token_revoke", subject_id=world.member.pk
    ).exists()


def test_turning_off_twice_is_harmless(client, world):
    client.force_login(world.member)
    assert client.post(reverse("scheduling:calendar_turn_off")).status_code == 302
    assert client.post(reverse("scheduling:calendar_turn_off")).status_code == 302


def test_a_disabled_persons_feed_answers_404(world):
    token = services.calendar_feed_make(user=world.member)
    security.account_disable(world.member)
    assert Client().get(reverse("scheduling:feed", kwargs={"token": token})).status_code == 404


def test_signing_out_everywhere_leaves_the_feed_alone(world):
    """The feed is a separate, read-only credential with its own off switch; ending it
    silently would leave the calendar app quietly out of date (sessions missed)."""
    token = services.calendar_feed_make(user=world.member)
    security.end_other_sessions(world.member)
    assert Client().get(reverse("scheduling:feed", kwargs={"token": token})).status_code == 200


def test_a_malformed_token_is_a_plain_404(client, db):
    for token in ("x", "%00", "a" * 500):
        assert client.get(f"/sessions/feed/{token}.ics").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_an_address_made_before_hashing_still_works_after_the_migration(world):
    # GIVEN a feed stored the old way, with its token in clear text
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_state = executor.loader.project_state(BEFORE[0])
    OldFeed = old_state.apps.get_model("scheduling", "CalendarFeed")
    token = "an-old-token-made-before-hashing-0123456789abcdefgh"
    OldFeed.objects.create(user_id=world.member.pk, token=token)
    # WHEN the migration runs (then every later one of every app, as the test database had
    # them: going back also unapplied the apps that depend on this one)
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    # THEN the same address still opens the feed, and only its hash is stored
    response = Client().get(reverse("scheduling:feed", kwargs={"token": token}))
    assert response.status_code == 200
    (row,) = CalendarFeed.objects.values()
    assert token not in str(row)
