"""Journey: someone signing up in Chicago finds their own time zone already chosen."""

import pytest

from members.models import Role
from members.services.invitations import invitation_create, invitation_token

pytestmark = pytest.mark.browser


def test_the_browsers_time_zone_is_preselected(browser, live_url, browser_settings, world):
    # GIVEN an invitation, opened in a browser whose clock is set to Chicago
    invitation = invitation_create(
        email="robin@example.org",
        role=Role.MEMBER,
        invited_by=world.facilitator,
        group=world.addict_group,
    )
    context = browser.new_context(timezone_id="America/Chicago", locale="en-US")
    try:
        page = context.new_page()
        page.goto(f"{live_url}/invite/{invitation_token(invitation)}/")
        page.goto(f"{live_url}/accounts/signup/")
        # THEN the time zone list already says Chicago, which they can still change
        select = page.get_by_label("Your time zone")
        assert select.input_value() == "America/Chicago"
    finally:
        context.close()
