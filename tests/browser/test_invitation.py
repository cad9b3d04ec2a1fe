"""Journey: a facilitator invites a member by email; the member signs up from the email."""

import re

import pytest

from members.models import User
from tests.browser.helpers import check_page, emails_to, log_in, open_email, url
from tests.factories.members import TEST_PASSWORD

pytestmark = pytest.mark.browser

NEW_MEMBER = "robin@example.org"


def test_facilitator_invites_and_member_signs_up_from_the_email(page, new_page, world):
    log_in(page, world.facilitator.email)
    page.goto(url(page, "invitations"))
    check_page(page, "facilitator-invitations")
    page.get_by_label("Their email address").fill(NEW_MEMBER)
    page.get_by_label("Into group").select_option(label=world.addict_group.name)
    page.get_by_role("button", name="Send invitation").click()
    page.get_by_text(f"Invitation sent to {NEW_MEMBER}").wait_for()
    check_page(page, "facilitator-invitation-sent")

    (invitation,) = emails_to(NEW_MEMBER)
    member = new_page()
    open_email(member, invitation)
    member.get_by_role("link", name=re.compile("password", re.I)).first.click()
    member.wait_for_url(re.compile(r"/accounts/signup/"))
    check_page(member, "member-sign-up", discreet=True)
    member.get_by_label(re.compile("Name others", re.I)).fill("Robin")
    member.locator("input[name=password1]").fill(TEST_PASSWORD)
    member.locator("input[name=password2]").fill(TEST_PASSWORD)
    member.locator("main form button[type=submit]").click()
    member.wait_for_load_state("load")
    check_page(member, "member-after-sign-up", discreet=True)
    assert User.objects.filter(email=NEW_MEMBER, display_name="Robin").exists()
