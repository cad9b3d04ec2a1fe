"""Journey: a member chooses when to be reminded; the planned reminders follow the choice."""

import datetime
import re
import zoneinfo

import pytest
from django.utils import timezone

from notifications.models import Channel, Kind, Notification, Preference, Status
from notifications.services import session_reminders_sync
from tests.browser.helpers import check_page, log_in
from tests.factories import RSVPFactory, SessionFactory

pytestmark = pytest.mark.browser


def _planned_offsets(session, member) -> set[int]:
    rows = Notification.objects.filter(
        session=session,
        recipient=member,
        kind=Kind.REMINDER,
        channel=Channel.EMAIL,
        status=Status.PENDING,
    )
    return {round((session.starts_at - row.due_at).total_seconds() / 60) for row in rows}


def test_member_chooses_reminder_times_and_quiet_hours(page, world, settings):
    # The session is three days off: widen the rolling window of reminder rows (48 h by
    # default) so its rows exist now, as they would the day before.
    settings.NOTIFICATIONS_REMINDER_WINDOW_HOURS = 7 * 24
    # 7 pm in three days: every reminder falls well outside the quiet hours chosen below.
    zone = zoneinfo.ZoneInfo(world.member.time_zone)
    day = timezone.localdate(timezone.now(), zone) + datetime.timedelta(days=3)
    starts = datetime.datetime.combine(day, datetime.time(19), tzinfo=zone)
    session = SessionFactory(group=world.addict_group, starts_at=starts)
    RSVPFactory(session=session, member=world.member)
    session_reminders_sync(session)
    assert _planned_offsets(session, world.member) == {24 * 60, 2 * 60}  # the group's usual

    log_in(page, world.member.email)
    page.locator("header").get_by_role("link", name="Notifications").click()
    check_page(page, "notifications", discreet=True)
    page.get_by_role("link", name=re.compile("how and when we remind you", re.I)).click()
    page.get_by_label("When to remind me").fill("3 hours")
    page.get_by_label("Quiet from").fill("22:00")
    page.get_by_label("Quiet until").fill("07:00")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state("load")
    check_page(page, "reminders-chosen", discreet=True)

    preference = Preference.objects.get(user=world.member)
    assert preference.reminder_offsets == [180]
    assert (preference.quiet_start, preference.quiet_end) == (datetime.time(22), datetime.time(7))
    assert _planned_offsets(session, world.member) == {180}
