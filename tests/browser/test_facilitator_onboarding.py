"""Journey: clinic staff invite a facilitator, who must set up two-step sign-in before anything."""

import re

import pytest
from allauth.mfa.models import Authenticator

from members.models import Role, User
from tests.browser.helpers import (
    action,
    check_page,
    emails_to,
    fresh_totp_code,
    log_in,
    log_out,
    open_email,
    url,
)
from tests.factories.members import TEST_PASSWORD

pytestmark = pytest.mark.browser

NEW_FACILITATOR = "sky@example.org"


def test_invited_facilitator_sets_up_two_step_sign_in(page, new_page, world):
    log_in(page, world.staff.email, check="staff")
    page.get_by_role("link", name="Invitations").click()
    page.get_by_label("Their email address").fill(NEW_FACILITATOR)
    page.get_by_label(re.compile(r"^Invite as")).select_option(label="Facilitator")
    page.get_by_role("button", name="Send invitation").click()
    page.get_by_text(f"Invitation sent to {NEW_FACILITATOR}").wait_for()
    check_page(page, "staff-invited")

    sky = new_page()
    open_email(sky, emails_to(NEW_FACILITATOR)[-1])
    sky.get_by_role("link", name=re.compile("password", re.I)).first.click()
    sky.wait_for_url(re.compile(r"/accounts/signup/"))
    sky.get_by_label(re.compile("Name others", re.I)).fill("Sky")
    sky.locator("input[name=password1]").fill(TEST_PASSWORD)
    sky.locator("input[name=password2]").fill(TEST_PASSWORD)
    sky.locator("main form button[type=submit]").click()
    sky.wait_for_load_state("load")
    assert User.objects.get(email=NEW_FACILITATOR).role == Role.FACILITATOR

    # Every page sends a facilitator without two-step sign-in to set it up.
    # The password typed at sign-up counts: no second password prompt before set-up.
    sky.goto(url(sky, "groups:list"))
    assert sky.url == url(sky, "mfa_activate_totp"), sky.url
    check_page(sky, "set-up-two-step")
    secret = sky.get_by_label("Setup key").input_value()
    # The QR code is drawn by Circle (an inline image, no request anywhere), and a reload
    # keeps the same key, so an app already set up with it still works.
    assert (sky.get_by_role("img").first.get_attribute("src") or "").startswith("data:image/svg")
    sky.reload()
    assert sky.get_by_label("Setup key").input_value() == secret
    sky.get_by_label(re.compile(r"code", re.I)).last.fill(fresh_totp_code(NEW_FACILITATOR, secret))
    action(sky, "Turn on two-step sign-in").click()
    sky.wait_for_load_state("load")
    check_page(sky, "two-step-on")
    assert Authenticator.objects.filter(
        user__email=NEW_FACILITATOR, type=Authenticator.Type.TOTP
    ).exists()
    sky.goto(url(sky, "groups:list"))
    assert sky.url == url(sky, "groups:list")

    # Next time: password, then a code from the app.
    log_out(sky)
    log_in(sky, NEW_FACILITATOR, check="facilitator-again", totp_secret=secret)
    assert sky.url == url(sky, "home")
