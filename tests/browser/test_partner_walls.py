"""Journey: the member's partner signs in and can find nothing of the member's group.

Not in lists, not by following links the member might have, not by guessing ids: every such
page answers 404 with the same page a mistyped address gets.
"""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from attendance.models import Attendance
from groups.models import Group
from materials.models import Material, Reading
from sessions.models import RSVP, Session
from tests.browser.helpers import check_page, log_in, url
from tests.factories import (
    AttendanceFactory,
    MaterialFactory,
    RSVPFactory,
    SeriesFactory,
    SessionFactory,
)

pytestmark = pytest.mark.browser

SECRET_TOPIC = "Relapse prevention"  # a topic on the addict group's session
SECRET_READING = "Triggers and urges"


def _addict_group_things(world):
    group = world.addict_group
    soon = timezone.now() + datetime.timedelta(days=2)
    past = timezone.now() - datetime.timedelta(days=5)
    upcoming = SessionFactory(group=group, starts_at=soon, topic=SECRET_TOPIC)
    held = SessionFactory(group=group, starts_at=past)
    RSVPFactory(session=upcoming, member=world.member)
    AttendanceFactory(session=held, member=world.member)
    series = SeriesFactory(group=group)
    material = MaterialFactory(group=group, title=SECRET_READING)
    # The partner's own group has a session and a reading too, so their pages are not empty.
    SessionFactory(group=world.partner_group, starts_at=soon)
    partner_reading = MaterialFactory(group=world.partner_group, title="For the partners")
    return {
        "upcoming": upcoming,
        "held": held,
        "series": series,
        "material": material,
        "partner_reading": partner_reading,
    }


def _forbidden_urls(world, things) -> list[str]:
    group, member = world.addict_group.pk, world.member.pk
    session, held = things["upcoming"].pk, things["held"].pk
    material, series = things["material"].pk, things["series"].pk
    return [
        reverse("groups:detail", args=[group]),
        reverse("groups:edit", args=[group]),
        reverse("groups:roster", args=[group]),
        reverse("members:person", args=[member]),
        reverse("scheduling:detail", args=[session]),
        reverse("scheduling:ics", args=[session]),
        reverse("scheduling:schedule", args=[group]),
        reverse("scheduling:series_edit", args=[series]),
        reverse("materials:detail", args=[material]),
        reverse("materials:download", args=[material]),
        reverse("materials:group", args=[group]),
        reverse("attendance:group", args=[group]),
        reverse("attendance:member", args=[group, member]),
        reverse("attendance:roll", args=[held]),
        reverse("attendance:export", args=[group]) + "?date_from=2020-01-01&date_to=2030-01-01",
    ]


def _forbidden_posts(world, things) -> list[tuple[str, dict]]:
    session, held = things["upcoming"].pk, things["held"].pk
    return [
        (reverse("scheduling:rsvp", args=[session]), {"answer": "going"}),
        (reverse("materials:mark_read", args=[things["material"].pk]), {}),
        (reverse("attendance:mark", args=[held, world.member.pk]), {"mark": "absent"}),
        (reverse("groups:archive", args=[world.addict_group.pk]), {}),
    ]


def _post(page, path: str, data: dict):
    """A form post as the browser would send it, with the signed-in person's CSRF token."""
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    return page.request.post(
        page.live_url + path,
        form=data,
        headers={"X-CSRFToken": token, "Referer": page.live_url + "/"},
        max_redirects=0,
    )


def _page_text(page) -> str:
    return page.locator("body").inner_text()


def test_partner_finds_nothing_of_the_members_group(page, world):
    things = _addict_group_things(world)
    hidden = [world.addict_group.name, SECRET_TOPIC, SECRET_READING, "Casey", "Alex"]

    log_in(page, world.partner.email, check="partner")
    check_page(page, "partner-home", discreet=True)
    for name in ("Groups", "Sessions", "Reading"):
        page.locator("header").get_by_role("link", name=name, exact=True).click()
        check_page(page, f"partner-{name.lower()}")
        text = _page_text(page)
        assert not [word for word in hidden if word in text], (name, text)

    # Links the member might have (or the partner might guess) answer 404, like a typo would.
    for path in _forbidden_urls(world, things):
        response = page.goto(page.live_url + path)
        assert response.status == 404, (path, response.status)
        text = _page_text(page)
        assert not [word for word in hidden if word in text], (path, text)
    check_page(page, "partner-not-found", discreet=True)
    for path, data in _forbidden_posts(world, things):
        assert _post(page, path, data).status == 404, path
    assert not RSVP.objects.filter(member=world.partner).exists()
    assert not Reading.objects.filter(member=world.partner).exists()
    assert Attendance.objects.get(session=things["held"], member=world.member).mark == "present"
    typo = page.goto(url(page, "home") + "no-such-page/")
    assert typo.status == 404
    assert re.sub(r"\s+", " ", _page_text(page)) == re.sub(r"\s+", " ", text)

    # Guessing ids: every group and session id around this test's own answers 404 unless it is
    # the partner's. (A window, not 1..max: ids keep growing across a PostgreSQL run.)
    own_groups = {world.partner_group.pk}
    _assert_guesses(page, "groups:detail", Group.objects.filter(pk__in=_ids(world)), own_groups)
    own_sessions = set(
        Session.objects.filter(group=world.partner_group).values_list("pk", flat=True)
    )
    sessions = Session.objects.filter(group__in=[world.addict_group, world.partner_group])
    _assert_guesses(page, "scheduling:detail", sessions, own_sessions)
    own_reading = {things["partner_reading"].pk}
    _assert_guesses(page, "materials:detail", Material.objects.all(), own_reading)


def _ids(world) -> list[int]:
    return [world.addict_group.pk, world.partner_group.pk, world.couples_group.pk]


def _assert_guesses(page, name: str, objects, own: set[int]) -> None:
    ids = list(objects.values_list("pk", flat=True))
    for pk in range(max(min(ids) - 3, 1), max(ids) + 4):
        response = page.goto(url(page, name, pk), wait_until="commit")
        assert response.status == (200 if pk in own else 404), (name, pk)
