"""The browser harness itself: it must notice what it promises to notice."""

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.browser.helpers import check_page, phone_problems, url

pytestmark = pytest.mark.browser


def test_a_request_to_another_host_is_recorded(new_page, transactional_db):
    page = new_page()
    page.goto(url(page, "account_login"))
    assert page.off_site_requests == []
    # CSP would block an embedded asset before it left; a navigation is the plainest probe.
    with pytest.raises(PlaywrightError):
        page.goto("http://127.0.0.2:9/tracker.gif", timeout=3000)
    assert page.off_site_requests == ["http://127.0.0.2:9/tracker.gif"]
    page.off_site_requests.clear()  # seen; do not fail this test at teardown


def test_small_targets_and_sideways_scrolling_are_reported(new_page, transactional_db):
    page = new_page("phone")
    page.goto(url(page, "account_login"))
    assert phone_problems(page) == []
    # Styles set through the DOM: CSP (rightly) ignores inline style attributes.
    page.evaluate(
        """() => {
          const main = document.querySelector('main');
          main.insertAdjacentHTML('beforeend',
            '<p>Read <a href="/x">x</a> <em>now</em>.</p>'
            + '<button id="tiny">tiny</button><div>wide</div>');
          const button = document.getElementById('tiny');
          Object.assign(button.style, {minHeight: '0', height: '20px', padding: '0'});
          main.lastElementChild.style.width = '900px';
        }"""
    )
    problems = phone_problems(page)
    assert any("page is" in p and "wide" in p for p in problems), problems
    assert any("20px tall" in p and "tiny" in p for p in problems), problems
    assert any(p.startswith("inline link") and ">x</a>" in p for p in problems), problems


def test_csp_refusals_and_broken_assets_are_reported(new_page, transactional_db):
    page = new_page()
    page.goto(url(page, "account_login"))
    assert page.problems == []
    page.evaluate(
        """() => document.querySelector('main').insertAdjacentHTML('beforeend',
             '<p style="color:red">inline</p><img alt="" src="/static/no-such-image.png">')"""
    )
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)
    assert any("Content Security Policy" in p for p in page.problems), page.problems
    assert any(p.startswith("404 for") for p in page.problems), page.problems
    with pytest.raises(AssertionError):
        check_page(page, "broken-on-purpose")
