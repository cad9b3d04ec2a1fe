"""Journeys for issue 14 (points 1 to 4): what members hear when the schedule changes, how
often, what it says, and how the in-app list shows it."""

import datetime
import re
import zoneinfo

import pytest
from django.utils import timezone

from groups.models import GroupLabel
from notifications.delivery import outbox_reconcile
from notifications.discretion import forbidden_words_in
from notifications.models import Kind, Notification, Status
from sessions import recurrence
from sessions import services as scheduling
from sessions.models import RSVP
from tests.browser.helpers import action, check_page, emails_to, log_in, url
from tests.factories import EnrollmentFactory, GroupFactory, RSVPFactory, SessionFactory

pytestmark = pytest.mark.browser


def _local_now(group) -> datetime.datetime:
    return timezone.now().astimezone(zoneinfo.ZoneInfo(group.time_zone))


def _at(group, day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(hour, minute), tzinfo=zoneinfo.ZoneInfo(group.time_zone)
    )


def _inbox_items(page) -> list[str]:
    return page.locator("main article").all_inner_texts()


def test_a_series_edit_tells_each_member_once(page, new_page, world):
    group = world.addict_group
    first_day = _local_now(group).date() + datetime.timedelta(days=3)
    series = scheduling.series_create(
        group=group,
        actor=world.facilitator,
        rrule=recurrence.build_rule(frequency="weekly", weekday=f"{first_day:%a}"[:2].upper()),
        starts_on=first_day,
        start_time=datetime.time(19, 0),
        duration_minutes=90,
    )
    first = series.sessions.order_by("starts_at").first()
    RSVPFactory(session=first, member=world.member)  # said going
    before = len(emails_to(world.member.email))

    # The facilitator moves the weekly group from 7 pm to 7:15 pm.
    log_in(page, world.facilitator.email)
    page.goto(url(page, "scheduling:series_edit", series.pk))
    check_page(page, "series-edit")
    page.get_by_label(re.compile(r"^Starts at")).fill("19:15")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state("load")
    check_page(page, "series-saved")

    # One email for the whole change (not one per session), saying from what to what.
    told = emails_to(world.member.email)[before:]
    assert len(told) == 1, [m.subject for m in told]
    assert told[0].subject == "New times for your regular sessions"
    assert "sessions start at 7:15 pm instead of 7 pm" in told[0].body, told[0].body
    assert forbidden_words_in(f"{told[0].subject}\n{told[0].body}") == []
    assert len(emails_to(world.co_member.email)) == 1

    alex = new_page("phone")
    log_in(alex, world.member.email)
    alex.goto(url(alex, "notifications:inbox"))
    items = _inbox_items(alex)
    assert len(items) == 1, items
    assert "7:15 pm instead of 7 pm" in items[0]
    for furniture in ("calendar file", "Stop these emails", "http"):
        assert furniture not in items[0]
    check_page(alex, "inbox-series", discreet=True)
    alex.get_by_role("link", name="New times for your regular sessions").click()
    alex.wait_for_load_state("load")
    assert alex.url.endswith(url(alex, "scheduling:upcoming").removeprefix(alex.live_url))


def test_a_session_added_two_hours_ahead_sends_one_message(page, new_page, world):
    group = world.addict_group
    start = _local_now(group) + datetime.timedelta(hours=2, minutes=5)
    if start.time() >= datetime.time(23, 30):  # keep start and end on one local day
        start += datetime.timedelta(minutes=40)
    end = start + datetime.timedelta(minutes=20)

    log_in(page, world.facilitator.email)
    page.goto(url(page, "scheduling:session_add", group.pk))
    page.get_by_label(re.compile(r"^Date")).fill(start.date().isoformat())
    page.get_by_label(re.compile(r"^Starts at")).fill(start.strftime("%H:%M"))
    page.get_by_label(re.compile(r"^Ends at")).fill(end.strftime("%H:%M"))
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state("load")
    check_page(page, "extra-session-added")

    told = emails_to(world.member.email)
    assert len(told) == 1 and told[0].subject.startswith("New session: "), told
    assert "Will you be there?" in told[0].body
    # No catch-up reminder now, and none minutes later: the notice was the reminder.
    outbox_reconcile()
    assert not Notification.objects.filter(
        kind=Kind.REMINDER, recipient=world.member, status=Status.PENDING
    ).exists()

    alex = new_page("phone")
    log_in(alex, world.member.email)
    alex.goto(url(alex, "notifications:inbox"))
    items = _inbox_items(alex)
    assert len(items) == 1 and "Will you be there?" in items[0], items
    check_page(alex, "inbox-new-session", discreet=True)


def test_moved_and_cancelled_say_what_members_need(page, new_page, world):
    group = world.addict_group
    day = _local_now(group).date() + datetime.timedelta(days=5)
    session = SessionFactory(
        group=group,
        starts_at=_at(group, day, 19),
        ends_at=_at(group, day, 20, 30),
    )
    RSVPFactory(session=session, member=world.member)  # said going, for that day
    # Alex has another meeting at that hour, and calls this group "My evening group".
    other = GroupFactory(name="Wednesday circle", facilitators=[world.other_facilitator])
    EnrollmentFactory(group=other, member=world.member)
    SessionFactory(group=other, starts_at=_at(group, day, 19))
    GroupLabel.objects.create(member=world.member, group=group, label="My evening group")

    log_in(page, world.facilitator.email)
    page.goto(url(page, "scheduling:change", session.pk))
    page.get_by_label(re.compile(r"^Date")).fill((day + datetime.timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Save").click()
    page.get_by_text("The session is changed").wait_for()

    moved = emails_to(world.member.email)[-1]
    assert moved.subject.startswith("Moved: your session on ")
    old_day, new_day = (f"{d:%A} {d.day} {d:%B}" for d in (day, day + datetime.timedelta(days=1)))
    assert f"Your session on {old_day}, 7 pm has moved to {new_day}, 7 pm" in moved.body
    assert "This is about My evening group." in moved.body  # the other meeting was at 7 then
    assert "Please tell us again whether you will be there" in moved.body
    assert not RSVP.objects.filter(session=session).exists()  # "going" did not carry over

    page.goto(url(page, "scheduling:detail", session.pk))
    page.get_by_label(re.compile(r"^Reason")).fill("The room is being repainted")
    page.get_by_role("button", name="Cancel this session only").click()
    page.wait_for_load_state("load")
    page.get_by_role("button", name="Yes, cancel this session").click()
    page.wait_for_load_state("load")
    cancelled = emails_to(world.member.email)[-1]
    assert "The reason: The room is being repainted" in cancelled.body
    assert "My evening group" not in cancelled.body  # nothing else on the new day

    alex = new_page("phone")
    log_in(alex, world.member.email)
    alex.goto(url(alex, "notifications:inbox"))
    items = _inbox_items(alex)
    assert len(items) == 2, items
    assert "The reason: The room is being repainted" in items[0]
    assert f"Moved from {old_day}, 7 pm to {new_day}, 7 pm" in items[1]
    # The "New" mark stands apart from the subject, on every unread item.
    assert alex.locator("main article header mark").all_inner_texts() == ["New", "New"]
    assert not alex.locator("main article h2").filter(has_text=re.compile("^New")).count()
    check_page(alex, "inbox-moved-and-cancelled", discreet=True)
    alex.get_by_role("link", name=re.compile(r"^Moved: your session")).click()
    alex.wait_for_load_state("load")
    assert alex.url.endswith(f"/sessions/{session.pk}/")
    assert "The room is being repainted" in alex.locator("main").inner_text()
    alex.goto(url(alex, "notifications:inbox"))
    action(alex, "Mark all as read").click()
    alex.wait_for_load_state("load")
    assert not alex.locator("main article header mark").count()
    check_page(alex, "inbox-read", discreet=True)
