"""Journey: a member lets their partner see their attendance, and later stops.

The wall in test_partner_walls only opens where the member chose, for as long as they choose.
"""

import datetime
import re

import pytest
from django.utils import timezone

from attendance.models import Mark
from tests.browser.helpers import check_page, log_in, open_menu, url
from tests.factories import AttendanceFactory, SessionFactory

pytestmark = pytest.mark.browser


def test_member_shares_attendance_with_partner_then_stops(new_page, world):
    held = SessionFactory(
        group=world.addict_group, starts_at=timezone.now() - datetime.timedelta(days=7)
    )
    AttendanceFactory(session=held, member=world.member, mark=Mark.PRESENT)
    alex, jordan = new_page(), new_page("phone")
    log_in(alex, world.member.email)
    log_in(jordan, world.partner.email)
    summary_url = url(jordan, "attendance:member", world.addict_group.pk, world.member.pk)
    assert jordan.goto(summary_url).status == 404

    alex.get_by_role("link", name="Sharing", exact=True).click()
    check_page(alex, "sharing-nothing-yet", discreet=True)
    alex.get_by_label(re.compile(r"^Who may see it")).select_option(label="Jordan")
    alex.get_by_label(re.compile(r"^Which group")).select_option(label=world.addict_group.name)
    alex.get_by_role("button", name="Share", exact=True).click()
    alex.get_by_text("Jordan can now see your attendance there.").wait_for()
    check_page(alex, "sharing-with-partner", discreet=True)

    open_menu(jordan)  # on a phone the links are under "Menu"
    jordan.get_by_role("link", name="Attendance", exact=True).click()
    check_page(jordan, "partner-attendance-index", discreet=True)
    jordan.locator("main").get_by_role("link", name=re.compile("Alex")).first.click()
    assert jordan.url == summary_url
    check_page(jordan, "partner-sees-summary", discreet=True)

    alex.get_by_role("button", name="Stop sharing").click()
    alex.get_by_text("Jordan no longer sees it.").wait_for()
    check_page(alex, "sharing-stopped", discreet=True)
    assert jordan.goto(summary_url).status == 404
