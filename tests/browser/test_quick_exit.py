"""Journey: a member in a hurry presses Escape twice; the page is gone and Back does not
bring it back."""

import pytest

from tests.browser.helpers import check_page, log_in, url

pytestmark = pytest.mark.browser


def test_escape_twice_leaves_and_back_does_not_return(page, world):
    # GIVEN a member on their sessions page, having come from home
    log_in(page, world.member.email, check="member")
    page.goto(url(page, "scheduling:upcoming"))
    check_page(page, "sessions-with-quick-exit", discreet=True)
    assert page.get_by_role("button", name="Quick exit").is_visible()
    # WHEN they press Escape twice
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    page.wait_for_url(url(page, "away"))
    # THEN they are on a page that names nothing
    assert page.title() == "New tab"
    assert page.locator("body").inner_text().strip() == ""
    # AND Back goes to the page before, not to the sessions page they left
    page.go_back()
    assert page.url != url(page, "scheduling:upcoming")


def test_the_button_leaves_too(page, world):
    log_in(page, world.member.email, check="member")
    page.get_by_role("button", name="Quick exit").click()
    page.wait_for_url(url(page, "away"))
    assert page.title() == "New tab"
