"""Journey: on a phone the facilitator's many links fold into one "Menu" line."""

import pytest

from tests.browser.helpers import check_page, log_in, open_menu, url

pytestmark = pytest.mark.browser


def test_the_facilitators_menu_is_one_line_on_a_phone(new_page, world):
    # GIVEN a facilitator signed in on a phone
    phone = new_page("phone")
    log_in(phone, world.facilitator.email, check="facilitator")
    # THEN the header is the clinic's name and one Menu button, not three lines of links
    header = phone.locator("header").bounding_box()
    assert header is not None and header["height"] < 140, header
    assert not phone.get_by_role("link", name="Invitations").is_visible()
    check_page(phone, "menu-closed")
    # WHEN they open the menu, THEN every link is there, and one takes them on
    open_menu(phone)
    check_page(phone, "menu-open")
    phone.get_by_role("link", name="Invitations").click()
    assert phone.url == url(phone, "invitations")
