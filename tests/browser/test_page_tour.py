"""The pages no journey opens, through the same checks as the journeys.

Journeys test what people do; this tour makes sure no page is left out of the accessibility,
phone-layout and no-third-party checks. Pages a journey already checks are left out here to keep
the suite fast (a page added to a journey can leave this list). One test per persona; each lists
every problem it found, not only the first, so one run tells an app's owner everything to fix.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from attendance.models import Mark
from notifications.rendering import unsubscribe_token
from tests.browser.helpers import log_in, page_problems, screen_words
from tests.factories import (
    AttendanceFactory,
    LibraryItemFactory,
    MaterialFactory,
    RSVPFactory,
    SeriesFactory,
    SessionFactory,
)
from tests.factories.groups import IntakeFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def things(world):
    group = world.addict_group
    now = timezone.now()
    upcoming = SessionFactory(
        group=group, starts_at=now + datetime.timedelta(days=2), topic="Check-in"
    )
    held = SessionFactory(group=group, starts_at=now - datetime.timedelta(days=7))
    RSVPFactory(session=upcoming, member=world.member)
    AttendanceFactory(session=held, member=world.member, mark=Mark.PRESENT)
    AttendanceFactory(session=held, member=world.co_member, mark=Mark.ABSENT)
    return {
        "upcoming": upcoming,
        "held": held,
        "series": SeriesFactory(group=group),
        "material": MaterialFactory(group=group, title="A first reading"),
        "library": LibraryItemFactory(title="From the library"),
        "intake": IntakeFactory(member=world.member, recorded_by=world.facilitator),
    }


def _tour(page, email: str, stops: list[tuple[str, str]], *, discreet=False) -> list[str]:
    """Visit each stop signed in as `email`; `discreet`: no words a passer-by should not read."""
    log_in(page, email)
    problems = []
    for step, path in stops:
        response = page.goto(page.live_url + path)
        if response.status != 200:
            problems.append(f"{step} at {path}: answered {response.status}")
            continue
        problems += page_problems(page, step)
        if discreet and (words := screen_words(page)):
            problems.append(f"{step} at {path}: the screen says {', '.join(words)}")
    return problems


def _assert_clean(problems: list[str]) -> None:
    assert not problems, f"{len(problems)} problems:\n  " + "\n  ".join(problems)


def test_every_facilitator_page(page, world, things):
    group, member = world.addict_group.pk, world.member.pk
    upcoming = things["upcoming"].pk
    stops = [
        ("group", reverse("groups:detail", args=[group])),
        ("group-edit", reverse("groups:edit", args=[group])),
        ("person", reverse("members:person", args=[member])),
        ("intake-new", reverse("members:intake_new", args=[member])),
        ("couples", reverse("members:couples")),
        ("intake", reverse("members:intake", args=[things["intake"].pk])),
        ("intake-edit", reverse("members:intake_edit", args=[things["intake"].pk])),
        ("session", reverse("scheduling:detail", args=[upcoming])),
        ("session-change", reverse("scheduling:change", args=[upcoming])),
        ("series-edit", reverse("scheduling:series_edit", args=[things["series"].pk])),
        ("session-add", reverse("scheduling:session_add", args=[group])),
        ("attendance-member", reverse("attendance:member", args=[group, member])),
        ("letter", reverse("attendance:letter", args=[group, member])),
        ("reading-item", reverse("materials:detail", args=[things["material"].pk])),
        ("library", reverse("materials:library")),
        ("library-item", reverse("materials:library_detail", args=[things["library"].pk])),
        ("notifications", reverse("notifications:inbox")),
        ("notification-settings", reverse("notifications:preferences")),
        ("session-status", reverse("notifications:session_status", args=[upcoming])),
        ("two-step", reverse("mfa_index")),
        ("email-addresses", reverse("account_email")),
        ("password", reverse("account_change_password")),
        ("signed-in-places", reverse("usersessions_list")),
    ]
    _assert_clean(_tour(page, world.facilitator.email, stops))


def test_every_member_page(page, world, things):
    group, member = world.addict_group.pk, world.member.pk
    token = unsubscribe_token(world.member)
    stops = [
        ("group", reverse("groups:detail", args=[group])),
        ("session", reverse("scheduling:detail", args=[things["upcoming"].pk])),
        ("my-attendance", reverse("attendance:member", args=[group, member])),
        ("reading-item", reverse("materials:detail", args=[things["material"].pk])),
        ("notifications", reverse("notifications:inbox")),
        ("notification-settings", reverse("notifications:preferences")),
        ("email-settings-from-email", reverse("notifications:email_preferences", args=[token])),
        ("two-step", reverse("mfa_index")),
        ("email-addresses", reverse("account_email")),
        ("password", reverse("account_change_password")),
        ("signed-in-places", reverse("usersessions_list")),
    ]
    _assert_clean(_tour(page, world.member.email, stops, discreet=True))


def test_every_staff_page(page, world, things):
    stops = [
        ("home", reverse("home")),
        ("all-groups", reverse("groups:list")),
        ("invitations", reverse("invitations")),
        ("library", reverse("materials:library")),
        ("library-new", reverse("materials:library_create")),
        ("attendance", reverse("attendance:index")),
        ("letter-check", reverse("attendance:verify")),
    ]
    _assert_clean(_tour(page, world.staff.email, stops))


def test_every_signed_out_page(page, world):
    stops = [
        ("password-reset", reverse("account_reset_password")),
        ("sign-up-closed", reverse("account_signup")),
        ("letter-check", reverse("attendance:verify")),
    ]
    problems = []
    for step, path in stops:
        response = page.goto(page.live_url + path)
        if response.status != 200:
            problems.append(f"{step} at {path}: answered {response.status}")
            continue
        problems += page_problems(page, step)
    _assert_clean(problems)
