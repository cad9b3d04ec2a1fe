"""Journey: a facilitator cancels one session; the member hears of it discreetly and sees it."""

import datetime
import re

import pytest
from django.utils import timezone

from notifications.discretion import forbidden_words_in
from sessions.models import Session
from tests.browser.helpers import check_page, emails_to, log_in, open_email, url
from tests.factories import RSVPFactory, SessionFactory

pytestmark = pytest.mark.browser

REASON = "The room is being repainted"


def test_facilitator_cancels_a_session_and_the_member_is_told(page, new_page, world):
    session = SessionFactory(
        group=world.addict_group, starts_at=timezone.now() + datetime.timedelta(days=4)
    )
    RSVPFactory(session=session, member=world.member)

    log_in(page, world.facilitator.email)
    page.goto(url(page, "scheduling:detail", session.pk))
    check_page(page, "facilitator-session")
    page.get_by_label(re.compile(r"^Reason")).fill(REASON)
    page.get_by_role("button", name="Cancel this session only").click()
    # It asks first, saying what will happen, and nothing has happened yet
    page.wait_for_load_state("load")
    check_page(page, "facilitator-confirms")
    assert REASON in page.locator("main").inner_text()
    assert not Session.objects.get(pk=session.pk).is_cancelled
    page.get_by_role("button", name="Yes, cancel this session").click()
    page.wait_for_load_state("load")
    check_page(page, "facilitator-cancelled")
    assert Session.objects.get(pk=session.pk).is_cancelled
    # No dead end: the way to put it back on, and back to the schedule
    assert page.get_by_role("button", name="Put this session back on").is_visible()
    assert page.get_by_role("link", name="The group's whole schedule").is_visible()

    told = emails_to(world.member.email)
    assert told, "the member was not told"
    email = told[-1]
    assert forbidden_words_in(f"{email.subject}\n{email.body}") == []
    assert world.addict_group.name not in email.subject

    alex = new_page("phone")
    open_email(alex, email)
    alex.get_by_role("link", name=re.compile("other sessions", re.I)).click()
    alex.wait_for_load_state("load")
    log_in(alex, world.member.email)
    alex.goto(url(alex, "scheduling:detail", session.pk))
    assert "This session is cancelled." in alex.locator("main").inner_text()
    assert REASON in alex.locator("main").inner_text()
    check_page(alex, "member-sees-cancelled", discreet=True)
