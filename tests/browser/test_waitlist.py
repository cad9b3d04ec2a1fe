"""Journey: a session fills up; the next person waits and gets the seat when it frees."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.discretion import forbidden_words_in
from sessions.models import RSVP
from tests.browser.helpers import check_page, emails_to, log_in, url
from tests.factories import SessionFactory

pytestmark = pytest.mark.browser


def _session_card(page, session):
    """The session's card on the upcoming page, freshly loaded."""
    page.goto(url(page, "scheduling:upcoming"))
    detail = reverse("scheduling:detail", args=[session.pk])
    return page.locator("main article").filter(has=page.locator(f'a[href="{detail}"]'))


def test_waitlisted_member_is_promoted_when_a_seat_frees(new_page, world):
    session = SessionFactory(
        group=world.addict_group,
        starts_at=timezone.now() + datetime.timedelta(days=3),
        capacity=1,
    )
    alex, casey = new_page(), new_page("phone")
    log_in(alex, world.member.email)
    log_in(casey, world.co_member.email)

    card = _session_card(alex, session)
    assert "1 seat left" in card.inner_text()
    card.get_by_role("button", name="Going").click()
    card = _session_card(alex, session)
    assert "You're going." in card.inner_text()
    check_page(alex, "first-takes-the-last-seat", discreet=True)

    card = _session_card(casey, session)
    assert "Full" in card.inner_text()
    check_page(casey, "second-sees-it-full", discreet=True)
    card.get_by_role("button", name="Going").click()
    card = _session_card(casey, session)
    assert "You're on the waitlist: number 1." in card.inner_text()
    check_page(casey, "second-on-the-waitlist", discreet=True)

    card = _session_card(alex, session)
    card.get_by_role("button", name="Can't come").click()
    card = _session_card(alex, session)
    assert "You said you can't come." in card.inner_text()

    card = _session_card(casey, session)
    assert "You're going." in card.inner_text()
    check_page(casey, "second-promoted", discreet=True)
    assert RSVP.objects.get(session=session, member=world.co_member).seat == "confirmed"
    told = emails_to(world.co_member.email)
    assert told, "the promoted member was not told by email"
    assert forbidden_words_in(f"{told[-1].subject}\n{told[-1].body}") == []
