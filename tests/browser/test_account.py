"""Journey: a member signs in, looks at home and their account, and signs out."""

import datetime

import pytest
from django.utils import timezone

from tests.browser.helpers import check_page, log_in, log_out, url
from tests.factories import MaterialFactory, RSVPFactory, SessionFactory
from tests.factories.members import TEST_PASSWORD

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


def _focused(page) -> dict:
    return page.evaluate(
        """() => {
          const el = document.activeElement;
          const style = getComputedStyle(el);
          const r = el.getBoundingClientRect();
          return {
            tag: el.tagName.toLowerCase(), name: el.getAttribute('name'), id: el.id,
            text: (el.textContent || '').trim(),
            onScreen: r.right > 0 && r.bottom > 0 && r.left < innerWidth && r.top < innerHeight,
            ring: style.outlineStyle !== 'none' || style.boxShadow !== 'none',
          };
        }"""
    )


def test_member_signs_in_with_the_keyboard_only(page, world):
    page.goto(url(page, "account_login"))
    page.keyboard.press("Tab")
    skip = _focused(page)
    assert skip["text"] == "Skip to content" and skip["onScreen"] and skip["ring"], skip
    page.keyboard.press("Enter")
    assert _focused(page)["id"] == "main"

    for _ in range(10):
        page.keyboard.press("Tab")
        if _focused(page)["name"] == "login":
            break
    field = _focused(page)
    assert field["name"] == "login" and field["ring"], field
    page.keyboard.type(world.member.email)
    for _ in range(3):  # past the "Forgot your password?" link, wherever it sits
        page.keyboard.press("Tab")
        if _focused(page)["name"] == "password":
            break
    assert _focused(page)["name"] == "password", _focused(page)
    page.keyboard.type(TEST_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(url(page, "home"))
    check_page(page, "home-by-keyboard", discreet=True)


def test_pages_read_well_in_the_dark_scheme(page, world):
    """Phones at night run dark: the same checks (contrast above all) with the dark scheme."""
    soon = SessionFactory(
        group=world.addict_group, starts_at=timezone.now() + datetime.timedelta(days=1)
    )
    RSVPFactory(session=soon, member=world.member)
    MaterialFactory(group=world.addict_group, title="A short reading")
    page.emulate_media(color_scheme="dark")
    log_in(page, world.member.email, check="dark")
    for name in ("home", "scheduling:upcoming", "materials:list", "notifications:preferences"):
        page.goto(url(page, name))
        check_page(page, f"dark-{name.replace(':', '-')}", discreet=True)
