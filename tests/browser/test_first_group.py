"""Journey: a facilitator starts a group and invites a member, who joins and gets ready.

The facilitator signs in with a password and a TOTP code, creates a recovery group, sets a weekly
schedule, shares a reading and invites a member by email. The member opens the email, signs up,
sets their time zone, sees the sessions in that zone, answers two of them, reads the material
and subscribes to the calendar feed.
"""

import datetime
import re
import zoneinfo

import pytest
from django.utils import dateformat

from core.dates import clock
from members.models import User
from sessions.models import RSVP, Session
from tests.browser.helpers import action, check_page, emails_to, log_in, open_email, url
from tests.factories.members import TEST_PASSWORD

pytestmark = pytest.mark.browser

GROUP_NAME = "Oak room"
GROUP_ZONE = "Europe/London"
MEMBER_ZONE = "Asia/Kolkata"  # +05:30 all year: 7 pm in London is the next day there
NEW_MEMBER = "robin@example.org"
READING = "Before the first session"


def _next_weekday(weekday: int) -> datetime.date:
    today = datetime.date.today()
    return today + datetime.timedelta(days=(weekday - today.weekday()) % 7 or 7)


def _local_words(starts_at: datetime.datetime, zone: str) -> str:
    """How `sessions/_when.html` writes a start time for a viewer in `zone`."""
    local = starts_at.astimezone(zoneinfo.ZoneInfo(zone))
    return f"{dateformat.format(local, 'l j F')}, {clock(local)}"


def facilitator_starts_the_group(page, world) -> None:
    log_in(page, world.facilitator.email, check="facilitator")
    check_page(page, "facilitator-home")

    page.get_by_role("link", name="Groups").first.click()
    check_page(page, "facilitator-groups")
    page.goto(url(page, "groups:create"))
    check_page(page, "new-group-form")
    page.get_by_label("Name members see").fill(GROUP_NAME)
    page.get_by_label("Kind of group").select_option("addict")
    page.get_by_label("Time zone of the meeting times").select_option(GROUP_ZONE)
    page.get_by_label("Address").fill("12 Mill Lane, Room 3")
    page.get_by_label("Capacity (people)").fill("8")
    page.get_by_role("button", name=re.compile("save|create", re.I)).click()
    page.get_by_role("heading", level=1, name=GROUP_NAME).wait_for()
    check_page(page, "group-created")

    action(page, "Schedule", exact=True).click()
    check_page(page, "schedule-empty")
    action(page, "Set a regular schedule").click()
    check_page(page, "series-form")
    first = _next_weekday(2)  # Wednesday
    page.get_by_label("Frequency").select_option("weekly")
    page.get_by_label(re.compile(r"^On:?$")).select_option("WE")
    page.get_by_label("First date").fill(first.isoformat())
    page.get_by_label("Starts at (group's time)").fill("19:00")
    page.get_by_label("Length in minutes").fill("90")
    page.get_by_label("A number of times").check()
    page.get_by_label("Number of sessions").fill("6")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("The schedule is saved").wait_for()
    check_page(page, "schedule-set")
    sessions = Session.objects.filter(group__name=GROUP_NAME).order_by("starts_at")
    assert sessions.count() == 6
    assert sessions[0].starts_at == datetime.datetime.combine(
        first, datetime.time(19), tzinfo=zoneinfo.ZoneInfo(GROUP_ZONE)
    )


def facilitator_shares_reading(page) -> None:
    page.get_by_role("link", name="Reading", exact=True).click()
    page.get_by_role("link", name=GROUP_NAME).click()
    check_page(page, "group-reading-empty")
    action(page, "Share something new").click()
    check_page(page, "share-reading-form")
    page.get_by_label(re.compile(r"^Title")).fill(READING)
    page.get_by_label("A short text").check()
    page.get_by_label(re.compile(r"^Text")).fill("Notice one moment this week when you *paused*.")
    page.get_by_role("button", name="Share").click()
    page.get_by_text("Shared with the group").wait_for()
    check_page(page, "group-reading-shared")


def facilitator_invites(page) -> None:
    page.get_by_role("link", name="Groups").first.click()
    page.get_by_role("link", name=GROUP_NAME).first.click()
    action(page, "Roster", exact=True).click()
    check_page(page, "roster-empty")
    page.get_by_label("Their email address").fill(NEW_MEMBER)
    page.get_by_role("button", name=re.compile("invit", re.I)).click()
    page.get_by_text("Invitation sent").wait_for()
    check_page(page, "roster-invited")


def member_signs_up_from_the_email(member) -> None:
    (invitation,) = emails_to(NEW_MEMBER)
    assert GROUP_NAME not in invitation.subject + invitation.body
    open_email(member, invitation)
    member.get_by_role("link", name=re.compile("password", re.I)).first.click()
    member.wait_for_url(re.compile(r"/accounts/signup/"))
    check_page(member, "sign-up", discreet=True)
    member.get_by_label(re.compile("Name others", re.I)).fill("Robin")
    member.locator("input[name=password1]").fill(TEST_PASSWORD)
    member.locator("input[name=password2]").fill(TEST_PASSWORD)
    member.locator("main form button[type=submit]").click()
    member.wait_for_load_state("load")
    if "/confirm-email/" in member.url:
        # Verification by email, when the invitation itself did not vouch for the address.
        check_page(member, "verify-email-sent", discreet=True)
        confirmation = emails_to(NEW_MEMBER)[-1]
        open_email(member, confirmation)
        member.get_by_role("link").first.click()
        member.locator("main form button[type=submit]").click()
        member.wait_for_load_state("load")
    assert member.url == url(member, "home"), member.url
    robin = User.objects.get(email=NEW_MEMBER)
    assert robin.emailaddress_set.filter(verified=True).exists()
    check_page(member, "member-home", discreet=True)


def member_sets_time_zone(member) -> None:
    member.get_by_role("link", name="Account").click()
    member.get_by_label("Your time zone").select_option(MEMBER_ZONE)
    member.get_by_role("button", name="Save").click()
    member.get_by_text("Your settings are saved").wait_for()
    check_page(member, "account-time-zone", discreet=True)
    assert User.objects.get(email=NEW_MEMBER).time_zone == MEMBER_ZONE


def member_answers_two_sessions(member) -> None:
    member.get_by_role("link", name="Sessions", exact=True).click()
    check_page(member, "upcoming-sessions", discreet=True)
    first, second = Session.objects.filter(group__name=GROUP_NAME).order_by("starts_at")[:2]
    articles = member.locator("main article")
    first_article = articles.filter(has_text=_local_words(first.starts_at, MEMBER_ZONE))
    second_article = articles.filter(has_text=_local_words(second.starts_at, MEMBER_ZONE))
    assert first_article.count() == 1, _local_words(first.starts_at, MEMBER_ZONE)

    first_article.get_by_role("button", name="Going").click()
    member.wait_for_load_state("load")
    first_article = member.locator("main article").filter(
        has_text=_local_words(first.starts_at, MEMBER_ZONE)
    )
    assert "You're going." in first_article.inner_text()
    second_article.get_by_role("button", name="Can't come").click()
    member.wait_for_load_state("load")
    second_article = member.locator("main article").filter(
        has_text=_local_words(second.starts_at, MEMBER_ZONE)
    )
    assert "You said you can't come." in second_article.inner_text()
    check_page(member, "answered", discreet=True)
    robin = User.objects.get(email=NEW_MEMBER)
    assert RSVP.objects.get(session=first, member=robin).answer == "going"
    assert RSVP.objects.get(session=second, member=robin).answer == "not_going"


def member_reads_the_material(member) -> None:
    member.get_by_role("link", name="Reading", exact=True).click()
    item = member.locator("main article").filter(has_text=READING)
    assert "New" in item.inner_text()
    check_page(member, "reading-list", discreet=True)
    item.get_by_role("button", name="Mark as read").click()
    member.get_by_text("Marked as read").wait_for()
    item = member.locator("main article").filter(has_text=READING)
    assert "Mark as read" not in item.inner_text()
    check_page(member, "reading-marked", discreet=True)
    item.get_by_role("link", name=READING).click()
    member.get_by_role("heading", level=1, name=READING).wait_for()
    assert member.locator("main em", has_text="paused").count() == 1
    check_page(member, "reading-opened", discreet=True)


def member_subscribes_to_the_calendar(member) -> None:
    member.goto(url(member, "scheduling:upcoming"))
    member.get_by_role("link", name="Add them to your calendar").click()
    check_page(member, "calendar-link", discreet=True)
    # The address is made on request and shown once (only its hash is kept).
    member.get_by_role("button", name="Make a calendar link").click()
    member.get_by_label("Your private link").wait_for()
    check_page(member, "calendar-link-made", discreet=True)
    feed_url = member.get_by_label("Your private link").input_value()
    assert feed_url.startswith(member.live_url)
    feed = member.request.get(feed_url)
    assert feed.status == 200
    assert feed.headers["content-type"].startswith("text/calendar")
    body = feed.text()
    assert "BEGIN:VEVENT" in body
    assert "addict" not in body.lower()
    assert GROUP_NAME not in body


def test_facilitator_starts_a_group_and_the_member_gets_ready(page, new_page, world):
    facilitator_starts_the_group(page, world)
    facilitator_shares_reading(page)
    facilitator_invites(page)

    member = new_page()
    member_signs_up_from_the_email(member)
    member_sets_time_zone(member)
    member_answers_two_sessions(member)
    member_reads_the_material(member)
    member_subscribes_to_the_calendar(member)
