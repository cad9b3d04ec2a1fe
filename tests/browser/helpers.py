"""What every journey does to a page: check it, and sign in.

`check_page(page, step)` fails on: an error the Nu HTML Checker finds in the served HTML; a
console error (a CSP refusal, a script error) or an asset
that did not load; an axe-core violation of serious or critical impact; a title that names the
kind of group or uses clinical words; at 375 px, sideways scrolling or a tap target under 44 px;
with `discreet=True` (members' pages), such words anywhere on screen. It saves a desktop and a
phone screenshot named by journey and step. Requests to other hosts fail the test (conftest).

Tap-target rule (`check_page`, at 375 px wide): every visible `a[href]`, `button`, `input`,
`select`, `textarea` and `summary` must be at least 44 px tall, with two exceptions that follow
WCAG 2.5.8:
- a checkbox or radio button counts together with its label (the label is part of the target);
- an inline text link inside running text (display `inline`, and its parent has more text than the
  link) is sized by the sentence around it, so it must instead be at least 44 px wide: short links
  like "here" fail, which pushes us towards descriptive link text anyway.
Elements parked off-screen (the skip link before it is focused) are not visible and not checked.
"""

import base64
import hashlib
import hmac
import os
import re
import struct
import time
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from notifications.discretion import forbidden_words_in
from tests.browser.html_checker import html_errors, unavailable_reason
from tests.factories.members import TEST_PASSWORD, TEST_TOTP_SECRET

SCREENSHOTS = Path(
    os.environ.get(
        "CIRCLE_SCREENSHOTS", Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
    )
)
PHONE_WIDTH = 375
MIN_TARGET = 44
BLOCKING_IMPACTS = {"serious", "critical"}

_axe = Axe()
_steps: dict[str, int] = {}

_TARGETS_JS = """
(minTarget) => {
  const selector = 'a[href], button, input:not([type="hidden"]), select, textarea, summary';
  const describe = (el) => el.outerHTML.replace(/\\s+/g, ' ').slice(0, 140);
  const bad = [];
  for (const el of document.querySelectorAll(selector)) {
    const style = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || style.visibility === 'hidden') continue;
    if (r.right <= 0 || r.bottom <= 0) continue;  // parked off-screen, e.g. the skip link
    let top = r.top, bottom = r.bottom;
    if (el.matches('input[type="checkbox"], input[type="radio"]')) {
      const label = el.closest('label')
        || (el.id && document.querySelector(`label[for="${el.id}"]`));
      if (label) {
        const l = label.getBoundingClientRect();
        top = Math.min(top, l.top); bottom = Math.max(bottom, l.bottom);
      }
    }
    if (bottom - top >= minTarget - 0.5) continue;
    if (el.tagName === 'A' && style.display === 'inline') {
      const own = el.textContent.trim().length;
      const around = (el.parentElement ? el.parentElement.textContent.trim().length : own);
      if (around > own) {
        if (r.width >= minTarget - 0.5) continue;
        bad.push(`inline link ${Math.round(r.width)}px wide: ${describe(el)}`);
        continue;
      }
    }
    bad.push(`${Math.round(bottom - top)}px tall: ${describe(el)}`);
  }
  return bad;
}
"""

_OVERFLOW_JS = """
() => {
  const width = document.documentElement.clientWidth;
  const scroll = document.documentElement.scrollWidth;
  if (scroll <= width) return [];
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.right > width + 1 && r.width > 0) {
      wide.push(`${el.tagName.toLowerCase()}.${el.className} right=${Math.round(r.right)}`);
    }
  }
  return [`page is ${scroll}px wide at ${width}px`, ...wide.slice(0, 8)];
}
"""


def _journey() -> str:
    # "tests/browser/test_x.py::test_y (call)" -> "test_x-test_y"
    current = os.environ.get("PYTEST_CURRENT_TEST", "unknown::unknown").split(" ")[0]
    module, _, name = current.partition("::")
    test = re.sub(r"[^\w-]+", "_", name.removeprefix("test_"))
    return f"{Path(module).stem.removeprefix('test_')}-{test}"


def screenshot_path(step_name: str, variant: str) -> Path:
    journey = _journey()
    folder = SCREENSHOTS / journey
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{step_name}-{variant}.png"


def _step_name(step_name: str) -> str:
    journey = _journey()
    _steps[journey] = _steps.get(journey, 0) + 1
    slug = re.sub(r"[^\w-]+", "-", step_name.lower()).strip("-")
    return f"{_steps[journey]:02d}-{slug}"


def axe_violations(page) -> list[str]:
    results = _axe.run(page)
    found = []
    for violation in results.response["violations"]:
        if violation.get("impact") not in BLOCKING_IMPACTS:
            continue
        for node in violation["nodes"]:
            found.append(
                f"{violation['impact']} {violation['id']}: {violation['help']} "
                f"at {node['target']} ({node.get('failureSummary', '').strip()[:200]})"
            )
    return found


def served_html_errors(page) -> list[str]:
    """The Nu HTML Checker's errors in the document the server sent for this page."""
    document = getattr(page, "last_document", None)
    if (
        document is None
        or unavailable_reason()
        or "text/html" not in (document.headers.get("content-type") or "")
    ):
        return []
    return html_errors(document.text())


def phone_problems(page) -> list[str]:
    return page.evaluate(_OVERFLOW_JS) + page.evaluate(_TARGETS_JS, MIN_TARGET)


def page_problems(page, step_name: str) -> list[str]:
    """What `check_page` would complain about (and the screenshots), without failing."""
    page.wait_for_load_state("load")
    name = _step_name(step_name)
    # Console errors (CSP refusals, script errors) and assets that failed since the last check.
    problems = list(getattr(page, "problems", []))
    if hasattr(page, "problems"):
        page.problems.clear()
    problems += [f"axe {v}" for v in axe_violations(page)]
    problems += [f"html {error}" for error in served_html_errors(page)]
    title = page.title()
    if not title.strip():
        problems.append("page has no title")
    # Tab titles end up in history, bookmarks and synced devices: neutral words only.
    if words := telling_words(title):
        problems.append(f"the title {title!r} says {', '.join(words)}")
    original = page.viewport_size
    if original["width"] > PHONE_WIDTH:
        page.screenshot(path=screenshot_path(name, "desktop"), full_page=True)

    page.set_viewport_size({"width": PHONE_WIDTH, "height": original["height"]})
    try:
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => r()))")
        problems += [f"phone {p}" for p in phone_problems(page)]
        page.screenshot(path=screenshot_path(name, "phone"), full_page=True)
    finally:
        page.set_viewport_size(original)
    return [f"{name} at {page.url}: {problem}" for problem in problems]


def check_page(page, step_name: str, *, discreet: bool = False) -> None:
    """No console errors or failed assets; axe-core (no serious/critical violations); at 375 px
    no sideways scrolling and 44 px targets; desktop and phone screenshots.

    `discreet` (members' pages): nothing on screen names the kind of group.
    """
    problems = page_problems(page, step_name)
    if discreet and (words := screen_words(page)):
        problems.append(f"{step_name}: the screen says {', '.join(words)}")
    assert not problems, "\n  ".join(["", *problems])


def totp_code(secret: str = TEST_TOTP_SECRET, *, offset: int = 0, at: float | None = None) -> str:
    """RFC 6238 code (SHA-1, 30 s, 6 digits), `offset` periods away from now."""
    counter = int((time.time() if at is None else at) // 30) + offset
    key = base64.b32decode(secret.upper(), casefold=True)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    start = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[start : start + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


# allauth refuses a code that was already used; with MFA_TOTP_TOLERANCE = 1 (browser conftest)
# the previous, current and next codes all work, so hand out each (email, period) only once.
_used_codes: set[tuple[str, int]] = set()


def fresh_totp_code(email: str, secret: str = TEST_TOTP_SECRET) -> str:
    now = time.time()
    for offset in (0, 1, -1):
        period = int(now // 30) + offset
        if (email, period) not in _used_codes:
            _used_codes.add((email, period))
            return totp_code(secret, offset=offset, at=now)
    time.sleep(30 - now % 30 + 0.5)
    return fresh_totp_code(email, secret)


def url(page, name: str, *args, **kwargs) -> str:
    return page.live_url + reverse(name, args=args or None, kwargs=kwargs or None)


def log_in(
    page,
    email: str,
    password: str = TEST_PASSWORD,
    *,
    check: str | None = None,
    totp_secret: str = TEST_TOTP_SECRET,
) -> None:
    """Sign in through allauth's pages; answer the TOTP step when it comes.

    `check` names the journey step: the sign-in and code pages then go through `check_page`.
    """
    page.goto(url(page, "account_login"))
    if check:
        check_page(page, f"{check}-sign-in")
    page.get_by_label(re.compile(r"^e-?mail", re.I)).first.fill(email)
    page.get_by_label(re.compile(r"^password", re.I)).first.fill(password)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state("load")
    if "/2fa/authenticate" in page.url:
        if check:
            check_page(page, f"{check}-code")
        page.locator("input[name=code]").fill(fresh_totp_code(email, totp_secret))
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_load_state("load")
    assert "/accounts/login" not in page.url, f"sign-in failed, still at {page.url}"
    assert "/2fa/authenticate" not in page.url, "the code was refused"


def open_menu(page) -> None:
    """On a phone the header's links fold into "Menu": open it (wide screens show them)."""
    menu = page.locator("header details.site-menu")
    if menu.is_visible() and menu.get_attribute("open") is None:
        menu.locator("summary").click()


def log_out(page) -> None:
    open_menu(page)
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state("load")
    # allauth asks for confirmation only on GET; the header form POSTs directly.
    assert "/accounts/login" in page.url or "/accounts/logout" in page.url, page.url


def start_journey() -> None:
    """Forget used codes and this journey's old screenshots (called before each browser test)."""
    _used_codes.clear()
    journey = _journey()
    _steps.pop(journey, None)
    folder = SCREENSHOTS / journey
    if folder.is_dir():
        for old in [*folder.glob("*.png"), *folder.glob("*.html")]:
            old.unlink()


def emails_to(address: str) -> list:
    """Messages in the locmem outbox (shared with the live server thread) sent to `address`."""
    from django.core import mail

    return [message for message in mail.outbox if address in message.to]


def open_email(page, message) -> None:
    """Show an email as a mail client would: its HTML part, else its text with links clickable."""
    html = next(
        (body for body, kind in getattr(message, "alternatives", []) if kind == "text/html"), None
    )
    if html is None:
        import html as html_lib

        text = html_lib.escape(message.body)
        text = re.sub(r"(https?://\S+)", r'<a href="\1">\1</a>', text)
        html = f"<!DOCTYPE html><title>{html_lib.escape(message.subject)}</title><pre>{text}</pre>"
    page.set_content(html)


def action(page, name, *, exact: bool = False):
    """A link or button by its accessible name (links styled `role="button"` count as buttons)."""
    return page.get_by_role("link", name=name, exact=exact).or_(
        page.get_by_role("button", name=name, exact=exact)
    )


def telling_words(text: str) -> list[str]:
    """Words naming the kind of group, or clinical words, in `text`."""
    # "Recovery codes" are two-step sign-in's backup codes, not a kind of group.
    return forbidden_words_in(re.sub(r"recovery codes?", "", text, flags=re.IGNORECASE))


def screen_words(page) -> list[str]:
    """Telling words that anyone glancing at the screen could read."""
    return telling_words(page.locator("body").inner_text())
