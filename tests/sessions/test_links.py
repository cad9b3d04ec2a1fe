import datetime

import pytest
import time_machine
from django.core import signing
from django.urls import reverse

from sessions.links import SALT, rsvp_token, rsvp_url
from sessions.models import RSVP
from tests.factories import SessionFactory

UTC = datetime.UTC
NOW = datetime.datetime(2026, 11, 21, 12, tzinfo=UTC)
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def session(world):
    return SessionFactory(group=world.addict_group)


def test_rsvp_url_is_absolute(world, session, settings):
    settings.SITE_URL = "https://circle.example.org"
    url = rsvp_url(world.member, session, "going")
    assert url.startswith("https://circle.example.org/sessions/r/")


def test_get_changes_nothing_and_post_works_once(client, world, session, notify):
    """GIVEN a signed 'going' link in an email
    WHEN a mail scanner opens it (GET) THEN nothing is recorded;
    WHEN the member confirms (POST) THEN the answer is saved; a second POST is refused."""
    url = reverse("scheduling:link", kwargs={"token": rsvp_token(world.member, session, "going")})
    page = client.get(url)
    assert page.status_code == 200
    assert "Confirm" in page.content.decode()
    assert not RSVP.objects.exists()
    notify.assert_not_called()

    done = client.post(url)
    assert done.status_code == 200
    assert "re going. See you there" in done.content.decode()
    assert RSVP.objects.get(session=session, member=world.member).answer == "going"

    again = client.post(url)
    assert again.status_code == 400
    assert "already used" in again.content.decode()
    assert RSVP.objects.count() == 1


def test_forged_token_gets_a_clear_page(client, world, session):
    token = rsvp_token(world.member, session, "going")
    forged = signing.dumps({"m": world.co_member.pk, "s": session.pk, "a": "going"}, salt="other")
    for bad in (token[:-2] + "xx", forged, "nonsense"):
        for method in (client.get, client.post):
            response = method(reverse("scheduling:link", kwargs={"token": bad}))
            assert response.status_code == 400
            assert "doesn't work" in response.content.decode()
    assert not RSVP.objects.exists()


def test_expired_link_says_so(client, world, session, settings):
    settings.RSVP_LINK_MAX_AGE_DAYS = 2
    url = reverse("scheduling:link", kwargs={"token": rsvp_token(world.member, session, "maybe")})
    with time_machine.travel(NOW + datetime.timedelta(days=3), tick=False):
        response = client.post(url)
    assert response.status_code == 400
    assert "expired" in response.content.decode()
    assert not RSVP.objects.exists()


def test_link_for_a_member_who_left_does_not_record(client, world, session):
    world.member.enrollments.update(status="left")
    url = reverse("scheduling:link", kwargs={"token": rsvp_token(world.member, session, "going")})
    response = client.post(url)
    assert response.status_code == 400
    assert "active members" in response.content.decode()
    assert not RSVP.objects.exists()
    # A refused answer does not burn the link.
    assert client.get(url).status_code == 200


def test_salt_is_single_purpose():
    assert SALT == "sessions.rsvp-link.v1"
