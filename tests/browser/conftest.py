"""Real-browser journeys: Playwright driving Debian's Chromium against pytest-django's live server.

Chromium is never downloaded: we launch `/usr/bin/chromium` (`apt-get install chromium`). Without
it the browser tests skip locally and fail in CI (CIRCLE_REQUIRE_SERVICES=1).

Fixtures: `browser` (one Chromium per test module), `page` (a fresh desktop-sized context per
test; the test fails if any request leaves the live server), `new_page("phone" | "desktop")` (more
people in one journey, each in their own context). Emails go to the locmem outbox and Celery tasks
run eagerly in the live server's thread. Helpers live in `tests/browser/helpers.py` (`check_page`,
`log_in`, `open_email`, ...); screenshots of every step go to `artifacts/screenshots/<journey>/`.
"""

import contextlib
import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache

from tests.browser import html_checker
from tests.browser.helpers import screenshot_path, start_journey

CHROMIUM = os.environ.get("CIRCLE_CHROMIUM", "/usr/bin/chromium")
REQUIRE_SERVICES = os.environ.get("CIRCLE_REQUIRE_SERVICES") == "1"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 740}
# Fail fast: a missing element should not cost 30 s of the suite's budget.
TIMEOUT_MS = 10_000


def pytest_collection_modifyitems(items):
    # Everything in this folder drives a browser; the marker lets `-m "not browser"` skip it.
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    # Lets page fixtures see whether the test failed, to keep a screenshot of where it stopped.
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


def _keep_failure(request, page, label: str) -> None:
    report = getattr(request.node, "report_call", None)
    if report is None or not report.failed or page.is_closed():
        return
    from playwright.sync_api import Error as PlaywrightError

    # A best-effort diagnostic must not hide the failure itself.
    with contextlib.suppress(PlaywrightError, OSError):
        page.screenshot(path=screenshot_path(f"failed-{label}", "desktop"), full_page=True)
        path = screenshot_path(f"failed-{label}", "html")
        path.with_suffix(".html").write_text(page.content())


def _skip_or_fail(message: str):
    if REQUIRE_SERVICES:
        pytest.fail(f"CI must not skip browser tests: {message}")
    pytest.skip(message)


@pytest.fixture(scope="module")
def browser():
    """One Chromium per test module (launching takes well under a second).

    Playwright's sync API runs an event loop in this thread, and Django then refuses ORM calls
    from it unless told they are deliberate. Module scope keeps both the loop and that
    permission to the browser tests: no other test runs while they are in force.
    """
    if not (Path(CHROMIUM).exists() and shutil.which(CHROMIUM)):
        _skip_or_fail(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    # Locally the journeys still run without the HTML checker; CI must have it.
    if REQUIRE_SERVICES and (reason := html_checker.unavailable_reason()):
        pytest.fail(f"CI must run the Nu HTML Checker: {reason}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the dev lock installs it
        _skip_or_fail("playwright is not installed (pip install -r requirements-dev.lock)")
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def browser_settings(settings, live_url):
    """Settings every journey needs, applied to the live server thread too (same process)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Links in emails and calendar entries point at the live server.
    settings.SITE_URL = live_url
    # All journeys come from 127.0.0.1 within seconds; allauth's per-IP limits are tested elsewhere.
    settings.ACCOUNT_RATE_LIMITS = False
    # One step either side, so a person can sign in twice within one 30 s period with fresh
    # codes (allauth refuses a code already used); see helpers.totp_code.
    settings.MFA_TOTP_TOLERANCE = 1
    # allauth keeps used codes in the cache keyed by user id, and ids repeat between tests.
    cache.clear()
    start_journey()
    return settings


@pytest.fixture(autouse=True)
def _tasks_run_in_the_request():
    """Tasks queued on commit (emails, reminders) run at once, in the live server's thread."""
    from config.celery import app as celery_app

    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


class OffSiteRequest(AssertionError):
    pass


@pytest.fixture
def live_url(live_server):
    return live_server.url.rstrip("/")


def _new_page(browser, live_url, viewport):
    """A page in a fresh context that records every request and the off-site ones."""
    context = browser.new_context(viewport=viewport, accept_downloads=True, locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    own = urlsplit(live_url)
    requests: list[str] = []
    off_site: list[str] = []

    def record(request):
        requests.append(request.url)
        parts = urlsplit(request.url)
        if parts.scheme in ("data", "blob", "about"):
            return
        if (parts.scheme, parts.hostname, parts.port) != (own.scheme, own.hostname, own.port):
            off_site.append(request.url)

    def failed_asset(response):
        # A stylesheet, script or image that does not load leaves a broken page behind.
        if response.status >= 400 and response.request.resource_type != "document":
            problems.append(f"{response.status} for {response.url}")

    def console(message):
        # Failed loads are judged above (an expected 404 page is not a problem; its CSS would be).
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            problems.append(f"console: {message.text}")

    problems: list[str] = []
    context.on("request", record)
    context.on("response", failed_asset)
    page = context.new_page()

    def document(response):
        # What the server sent (not the DOM after scripts), for the HTML checker.
        if response.request.resource_type == "document" and response.frame == page.main_frame:
            page.last_document = response

    page.on("response", document)
    page.on("console", console)
    page.requests = requests
    page.off_site_requests = off_site
    page.problems = problems
    page.live_url = live_url
    return context, page


@pytest.fixture
def page(request, browser, live_url, browser_settings, transactional_db):
    context, page = _new_page(browser, live_url, DESKTOP)
    yield page
    _keep_failure(request, page, "page")
    context.close()
    if page.off_site_requests:
        raise OffSiteRequest(f"requests left the live server: {page.off_site_requests}")


@pytest.fixture
def new_page(request, browser, live_url, browser_settings, transactional_db):
    """Factory for extra people in one journey (each their own browser context)."""
    made = []

    def make(size: str = "desktop"):
        context, extra = _new_page(browser, live_url, PHONE if size == "phone" else DESKTOP)
        made.append((context, extra))
        return extra

    yield make
    off_site = []
    for number, (context, extra) in enumerate(made, start=2):
        _keep_failure(request, extra, f"page{number}")
        context.close()
        off_site += extra.off_site_requests
    if off_site:
        raise OffSiteRequest(f"requests left the live server: {off_site}")
