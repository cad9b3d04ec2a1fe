"""Journey: a facilitator moves one session; a member abroad sees the new time in their own zone."""

import datetime
import re
import zoneinfo

import pytest
from django.utils import dateformat, timezone

from core.dates import clock
from notifications.discretion import forbidden_words_in
from tests.browser.helpers import action, check_page, emails_to, log_in, url
from tests.factories import RSVPFactory, SessionFactory

pytestmark = pytest.mark.browser

MEMBER_ZONE = "America/New_York"


def _when(moment: datetime.datetime, zone: str) -> str:
    local = moment.astimezone(zoneinfo.ZoneInfo(zone))
    return f"{dateformat.format(local, 'l j F')}, {clock(local)}"


def test_facilitator_moves_a_session_and_the_member_sees_their_own_time(page, new_page, world):
    group_zone = zoneinfo.ZoneInfo(world.addict_group.time_zone)
    day = timezone.localdate(timezone.now(), group_zone) + datetime.timedelta(days=5)
    starts = datetime.datetime.combine(day, datetime.time(19), tzinfo=group_zone)
    session = SessionFactory(
        group=world.addict_group, starts_at=starts, ends_at=starts + datetime.timedelta(hours=1)
    )
    RSVPFactory(session=session, member=world.member)
    world.member.time_zone = MEMBER_ZONE
    world.member.save(update_fields=["time_zone"])

    log_in(page, world.facilitator.email)
    page.goto(url(page, "scheduling:detail", session.pk))
    action(page, "Move or change it").click()
    check_page(page, "change-form")
    page.get_by_label(re.compile(r"^Starts at")).fill("20:30")
    page.get_by_label(re.compile(r"^Ends at")).fill("21:30")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("The session is changed").wait_for()
    check_page(page, "changed")
    moved = datetime.datetime.combine(day, datetime.time(20, 30), tzinfo=group_zone)
    session.refresh_from_db()
    assert session.starts_at == moved

    told = emails_to(world.member.email)
    assert told, "the member was not told of the move"
    assert forbidden_words_in(f"{told[-1].subject}\n{told[-1].body}") == []
    # The email gives the new time in the member's own zone (8:30 pm London is 3:30 pm there).
    local = moved.astimezone(zoneinfo.ZoneInfo(MEMBER_ZONE))
    assert clock(local) in told[-1].body, told[-1].body

    alex = new_page("phone")
    log_in(alex, world.member.email)
    alex.goto(url(alex, "scheduling:upcoming"))
    text = alex.locator("main").inner_text()
    assert _when(moved, MEMBER_ZONE) in text, (_when(moved, MEMBER_ZONE), text)
    assert MEMBER_ZONE in text
    check_page(alex, "member-sees-new-time", discreet=True)
