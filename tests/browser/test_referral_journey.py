"""Journey: from first contact to first seat. An anonymous request; staff screen it and put the
person on a full group's waiting list; a member leaves; the first on the list gets a discreet
email, takes the place through its link, accepts the group agreement and sees their session."""

import datetime
import re

import pytest
from django.utils import timezone

from groups.models import EnrollmentStatus
from groups.selectors import current_stint
from members.models import User
from notifications.discretion import forbidden_words_in
from referrals.models import AgreementVersion, Referral, Status
from tests.browser.helpers import check_page, emails_to, log_in, log_out, open_email, url
from tests.factories import SessionFactory

pytestmark = pytest.mark.browser

ROBIN = "robin.first@example.net"
PASSWORD = "a-long quiet harbour evening"


def test_from_an_anonymous_request_to_a_seat(page, new_page, world, browser_settings):
    browser_settings.REFERRAL_MIN_FILL_SECONDS = 1
    group = world.addict_group
    group.capacity = 2  # Alex and Casey: full
    group.save(update_fields=["capacity"])
    session = SessionFactory(group=group, starts_at=timezone.now() + datetime.timedelta(days=3))
    AgreementVersion.objects.create(
        group=group, number=1, text="What is said in the group stays in the group."
    )

    # An anonymous visitor asks for a first conversation.
    visitor = new_page("phone")
    visitor.goto(url(visitor, "request_form"))
    check_page(visitor, "request-form", discreet=True)
    visitor.get_by_label("Your name or a name we can use").fill("Robin")
    visitor.get_by_label("Email (optional)").fill(ROBIN)
    visitor.get_by_label("It is safe to send me a written message").check()
    visitor.get_by_label("Myself").check()
    visitor.get_by_label("I agree to be contacted").check()
    visitor.wait_for_timeout(1200)  # a person takes longer than the minimum fill time
    visitor.get_by_role("button", name="Send").click()
    visitor.get_by_role("heading", name="Thank you").wait_for()
    check_page(visitor, "request-sent", discreet=True)
    (ack,) = emails_to(ROBIN)
    assert not forbidden_words_in(f"{ack.subject}\n{ack.body}")

    # Staff see it, record the screening and put Robin on the full group's waiting list.
    log_in(page, world.staff.email)
    page.goto(url(page, "referrals:queue"))
    check_page(page, "staff-queue")
    page.get_by_role("link", name="Robin").click()
    check_page(page, "staff-request")
    page.get_by_label("Assessed level of use").select_option("at_risk")
    page.get_by_label("Recommended kind of group").select_option("addict")
    page.get_by_role("button", name="Record screening").click()
    page.get_by_text("Screening recorded.", exact=True).wait_for()
    page.get_by_label("Waiting list of").select_option(label=group.name)
    page.get_by_role("button", name="Add to the waiting list").click()
    page.wait_for_url(re.compile(r"/waiting/(#place-form)?$"))
    check_page(page, "staff-waiting-list")
    assert "Robin" in page.locator("main ol").inner_text()
    referral = Referral.objects.get()
    assert referral.status == Status.WAITING

    # A member leaves the group: the seat is offered to Robin.
    page.goto(url(page, "groups:roster", group.pk))
    row = page.locator("tr").filter(has_text=world.co_member.display_name)
    row.get_by_role("button", name="Mark as left").click()
    page.get_by_text("now left").wait_for()
    log_out(page)
    offers = [m for m in emails_to(ROBIN) if m is not ack]
    assert len(offers) == 1
    assert not forbidden_words_in(f"{offers[0].subject}\n{offers[0].body}")
    assert group.name not in offers[0].body

    # Robin opens the link on their phone, chooses a password and takes the place.
    visitor = new_page("phone")
    open_email(visitor, offers[0])
    visitor.get_by_role("link", name=re.compile("Take the place", re.I)).click()
    visitor.wait_for_url(re.compile(r"/referrals/place/"))
    check_page(visitor, "offer", discreet=True)
    visitor.locator("input[name=new_password1]").fill(PASSWORD)
    visitor.locator("input[name=new_password2]").fill(PASSWORD)
    visitor.get_by_role("button", name="Take the place").click()
    visitor.wait_for_url(re.compile(r"/sessions/$"))
    check_page(visitor, "member-upcoming", discreet=True)
    robin = User.objects.get(email=ROBIN)
    assert current_stint(group, robin).status == EnrollmentStatus.ACTIVE

    # Their first session asks for the group agreement first, then shows.
    visitor.goto(url(visitor, "scheduling:detail", session.pk))
    visitor.wait_for_url(re.compile(r"/agreement/"))
    check_page(visitor, "agreement", discreet=True)
    visitor.get_by_label("Type your full name to accept").fill("Robin First")
    visitor.get_by_role("button", name="I agree").click()
    visitor.wait_for_url(re.compile(rf"/sessions/{session.pk}/$"))
    check_page(visitor, "first-session", discreet=True)
    referral.refresh_from_db()
    assert referral.status == Status.JOINED
