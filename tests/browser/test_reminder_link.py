"""Journey: a reminder email reaches the member's phone; its "I'm going" link records the answer."""

import datetime

import pytest
from django.utils import timezone

from notifications.discretion import forbidden_words_in
from notifications.models import Channel, Kind, Notification
from notifications.rendering import render_notification
from notifications.services import session_reminders_sync
from sessions.models import RSVP
from tests.browser.helpers import check_page, log_in, url
from tests.factories import SessionFactory

pytestmark = pytest.mark.browser


def test_reminder_rsvp_link_records_the_answer(new_page, world):
    session = SessionFactory(
        group=world.addict_group, starts_at=timezone.now() + datetime.timedelta(hours=26)
    )
    session_reminders_sync(session)
    reminder = (
        Notification.objects.filter(
            recipient=world.member, session=session, kind=Kind.REMINDER, channel=Channel.EMAIL
        )
        .order_by("due_at")
        .first()
    )
    assert reminder is not None, "no email reminder planned for the member"
    email = render_notification(reminder)
    assert forbidden_words_in(f"{email.subject}\n{email.text}\n{email.html}") == []
    assert world.addict_group.name not in email.subject

    phone = new_page("phone")
    phone.set_content(email.html)
    phone.get_by_role("link", name="I'm going").click()
    phone.get_by_role("heading", name="Confirm your answer").wait_for()
    check_page(phone, "confirm-answer", discreet=True)
    link = phone.url
    assert not RSVP.objects.filter(session=session, member=world.member).exists()
    phone.get_by_role("button", name="Confirm").click()
    phone.wait_for_load_state("load")
    check_page(phone, "answer-recorded", discreet=True)
    rsvp = RSVP.objects.get(session=session, member=world.member)
    assert (rsvp.answer, rsvp.seat) == ("going", "confirmed")

    # The link works once; the member sees the answer when signed in.
    used = phone.goto(link)
    assert used.status == 400
    check_page(phone, "link-used", discreet=True)
    log_in(phone, world.member.email)
    phone.goto(url(phone, "scheduling:upcoming"))
    assert "You're going." in phone.locator("main article").first.inner_text()
