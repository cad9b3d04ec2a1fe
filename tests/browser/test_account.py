"""Journey: a member signs in, looks at home and their account, and signs out."""

import pytest

from tests.browser.helpers import check_page, log_in, log_out, url

pytestmark = pytest.mark.browser


def test_member_signs_in_sees_home_and_account_and_signs_out(page, world):
    log_in(page, world.member.email, check="member")
    assert page.get_by_role("heading", level=1).first.is_visible()
    check_page(page, "home")

    page.get_by_role("link", name="Account").click()
    assert page.url == url(page, "account")
    check_page(page, "account")

    log_out(page)
    check_page(page, "signed-out")
    page.goto(url(page, "account"))
    assert "/accounts/login" in page.url


def test_facilitator_signs_in_with_password_and_code(page, world):
    log_in(page, world.facilitator.email, check="facilitator")
    assert page.url == url(page, "home")
    check_page(page, "home")
