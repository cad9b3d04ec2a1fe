"""Journey: a member answers a few questions on a phone (saves, comes back, sends), sees the
clinic's help-now information at once because of one answer, and their facilitator, alerted
in the app, acknowledges it."""

import datetime
import re

import pytest
from django.utils import timezone

from measures import services
from measures.models import Alert
from notifications.models import Channel, Kind, Notification
from tests.browser.helpers import check_page, log_in, url
from tests.factories import SessionFactory
from tests.factories.measures import ScheduleFactory

pytestmark = pytest.mark.browser

CRISIS = "Call the Night Line on 0800 000 111.\n\nText HELP to 85258, any time."


def _choose(page, code: str, value: int) -> None:
    page.locator(f'input[name="{code}"][value="{value}"]').check()


def test_member_answers_on_a_phone_sees_help_and_facilitator_acknowledges(
    new_page, world, settings
):
    settings.CRISIS_RESOURCES = CRISIS
    SessionFactory(group=world.addict_group, starts_at=timezone.now() + datetime.timedelta(days=1))
    ScheduleFactory(
        group=world.addict_group, starts_on=timezone.localdate() - datetime.timedelta(days=7)
    )
    services.prompts_open()  # what beat's task does every quarter of an hour

    alex = new_page("phone")
    log_in(alex, world.member.email)
    check_page(alex, "home-with-questions", discreet=True)
    alex.get_by_role("link", name=re.compile(r"^A few questions before")).first.click()
    check_page(alex, "questions", discreet=True)
    _choose(alex, "phq9_1", 1)
    _choose(alex, "phq9_2", 0)
    alex.get_by_role("button", name="Save and come back later").click()
    alex.get_by_text("Saved. Come back to it whenever you like.").wait_for()
    check_page(alex, "saved", discreet=True)

    alex.get_by_role("link", name=re.compile(r"^A few questions before")).first.click()
    assert alex.locator('input[name="phq9_1"][value="1"]').is_checked()
    for n in range(3, 9):
        _choose(alex, f"phq9_{n}", 0)
    _choose(alex, "phq9_9", 1)
    alex.get_by_role("button", name="Send my answers").click()
    alex.get_by_role("heading", name="If you need help now").wait_for()
    assert "Call the Night Line on 0800 000 111." in alex.locator("main").inner_text()
    check_page(alex, "help-now", discreet=True)

    alert = Alert.objects.get()
    assert Notification.objects.filter(
        kind=Kind.MEASURE_ALERT, recipient=world.facilitator, channel=Channel.IN_APP
    ).exists()

    fran = new_page()
    log_in(fran, world.facilitator.email)
    fran.locator("main").get_by_role("link", name="Please check in with Alex today").first.click()
    check_page(fran, "alert")
    fran.get_by_role("button", name=re.compile(r"^I have it")).click()
    fran.get_by_text("Your colleagues can see you have it.").wait_for()
    check_page(fran, "acknowledged")
    alert.refresh_from_db()
    assert alert.acknowledged_by == world.facilitator

    # The trend chart with its bands, server-drawn, readable on a phone.
    fran.locator("main").get_by_role("link", name="See the answers").click()
    check_page(fran, "answers")
    fran.goto(url(fran, "measures:member", world.addict_group.pk, world.member.pk))
    assert fran.locator("main svg[role=img] rect.chart-band").count() == 5
    check_page(fran, "trend-chart")
