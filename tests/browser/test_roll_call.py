"""Journey: a facilitator takes roll on a phone and downloads the attendance spreadsheet."""

import csv
import datetime
import io
import zoneinfo

import pytest
from django.utils import timezone

from attendance.models import Attendance
from tests.browser.helpers import action, check_page, log_in, open_menu
from tests.factories import RSVPFactory, SessionFactory

pytestmark = pytest.mark.browser


def test_facilitator_takes_roll_on_a_phone_and_downloads_the_csv(new_page, world):
    now = timezone.now()
    session = SessionFactory(
        group=world.addict_group, starts_at=now - datetime.timedelta(minutes=10)
    )
    RSVPFactory(session=session, member=world.member)  # going, seat confirmed
    phone = new_page("phone")

    log_in(phone, world.facilitator.email)
    open_menu(phone)  # on a phone the links are under "Menu"
    phone.get_by_role("link", name="Attendance", exact=True).click()
    check_page(phone, "attendance-index")
    phone.get_by_role("link", name=world.addict_group.name).first.click()
    check_page(phone, "attendance-group")
    phone.locator("main .session-list a").first.click()
    check_page(phone, "roll")
    assert phone.get_by_role("heading", level=1).inner_text().startswith("Roll for")

    action(phone, "Mark everyone who said they're going as present").click()
    alex = phone.locator(f"#member-{world.member.pk}")
    assert "Marked present" in alex.inner_text()
    casey = phone.locator(f"#member-{world.co_member.pk}")
    casey.get_by_role("button", name="Absent").click()
    casey = phone.locator(f"#member-{world.co_member.pk}")
    assert "Marked absent" in casey.inner_text()
    check_page(phone, "roll-taken")
    marks = dict(Attendance.objects.filter(session=session).values_list("member__email", "mark"))
    assert marks == {world.member.email: "present", world.co_member.email: "absent"}

    phone.locator("main").get_by_role("link", name=world.addict_group.name).click()
    day = timezone.localdate(session.starts_at, zoneinfo.ZoneInfo(world.addict_group.time_zone))
    phone.get_by_role("textbox", name="From", exact=True).fill(
        (day - datetime.timedelta(days=7)).isoformat()
    )
    phone.get_by_role("textbox", name="To", exact=True).fill(day.isoformat())
    check_page(phone, "export-form")
    with phone.expect_download() as download_info:
        phone.get_by_role("button", name="Download CSV").click()
    download = download_info.value
    name = download.suggested_filename
    assert name.startswith("attendance-") and name.endswith(".csv")
    with open(download.path(), encoding="utf-8") as spreadsheet:
        rows = list(csv.DictReader(io.StringIO(spreadsheet.read())))
    assert {(row["member"], row["attendance"]) for row in rows} == {
        ("Alex", "Present"),
        ("Casey", "Absent"),
    }, rows
