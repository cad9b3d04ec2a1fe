"""No input gives a 500: hostile values in every field of every form of every page.

Each persona crawls the site from every page of the access matrix (tests/access), following
links, and every `<form method=post>` found is posted back with one field at a time replaced
by a hostile value, as the persona who was shown the form. A refusal (an error status, a form
with errors, or a redirect carrying an error message) must change nothing in the database; a
successful save of something odd but harmless is fine. Every post runs in a savepoint that is
rolled back, so each form is tried against the same world. Query parameters the pages read
(`next`, `page`, the fields of GET forms, the parameters of links) get the same values.

One test lists every problem it found, not only the first, so one run tells owners
everything to fix. Integer overflow only shows on PostgreSQL: run it there too.
"""

import dataclasses
import datetime
import logging
import traceback
import zoneinfo
from collections.abc import Iterable
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db import connection, transaction
from django.forms import BaseForm
from django.forms.formsets import BaseFormSet
from django.http import HttpResponseBadRequest
from django.test import Client
from django.urls import Resolver404, path, resolve, reverse
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from attendance.models import Mark
from groups.models import Group
from members.models import Role
from members.services.invitations import invitation_create
from tests.access.test_matrix import ROWS, TEST_FIELD_ENCRYPTION_KEY
from tests.factories import (
    AbsenceFollowUpFactory,
    AttendanceFactory,
    LibraryItemFactory,
    MaterialFactory,
    NotificationFactory,
    RSVPFactory,
    SeriesFactory,
    SessionFactory,
)
from tests.factories.groups import IntakeFactory, SharingConsentFactory

# Who posts: staff are shown every facilitator's forms; a member their own; a visitor the
# sign-in pages. (Other personas see the same forms about fewer objects.)
PERSONAS = ("staff", "member", None)

# What a careless or hostile person types. Every field gets EVERYWHERE: nothing, a novel, and
# the field sent twice (a field read as one value gets the last: a NUL byte, markup, a
# template tag, right-to-left and combining characters, an emoji; a field read as a list
# gets both, a huge id too). A field that looks like a number, a date, a time, a time zone
# or a path also gets the values for that kind.
EVERYWHERE: tuple[str | list[str], ...] = (
    "",
    "x" * 10_000,
    ["99999999999999999999999", "a\x00b<script>alert(1)</script>{{7*7}}\u202e\U0001f600e\u0301"],
)
KIND_VALUES: dict[str, tuple[str, ...]] = {
    "number": ("99999999999999999999999", "2147483648", "-1", "1e309"),
    "date": ("2026-02-30", "0000-00-00", "9999-12-31", "0001-01-01"),
    "time": ("25:61", "23:59:60"),
    "datetime": ("9999-12-31T23:59", "0001-01-01T00:00", "2026-02-30T10:00"),
    "zone": ("Mars/Olympus", "../etc"),
    "path": ("foo", "//evil.example/", "/\nSet-Cookie:x=1"),
}
# Query parameters every page might read, sent together: a way back and a page number.
EVERY_PAGE_QUERIES = (
    {"next": "foo", "page": "99999999999999999999999"},
    {"next": "//evil.example/", "page": "-1"},
    {"next": "/\nSet-Cookie:x=1", "page": ["x" * 10_000, "a\x00b"]},
)

# Pages not crawled: the admin site (Django's own forms, staff only), signing out, the
# token links a crawl would use up, and static files.
SKIP_PREFIXES = ("/admin/", "/accounts/logout/", "/static/")
MAX_PAGES_PER_PERSONA = 150


# Tables a refused post may still touch: sign-in sessions, allauth's record of them, and
# the audit trail (which counts denied access on purpose).
VOLATILE_APPS = {"sessions", "usersessions", "audit", "admin", "contenttypes", "auth"}


# --- Parsing --------------------------------------------------------------------------------


@dataclasses.dataclass
class Field:
    name: str
    kind: str  # input type, "select", "textarea"
    value: str = ""
    checked: bool = False
    options: list[tuple[str, bool]] = dataclasses.field(default_factory=list)
    multiple: bool = False


@dataclasses.dataclass
class Form:
    method: str
    action: str | None
    fields: list[Field] = dataclasses.field(default_factory=list)
    buttons: list[tuple[str, str]] = dataclasses.field(default_factory=list)


class PageParser(HTMLParser):
    """The forms and links of one page, as a browser would submit and follow them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.links: list[str] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._textarea: Field | None = None
        self._option: list | None = None

    def handle_starttag(self, tag, attrs):
        attr = {key: value if value is not None else "" for key, value in attrs}
        if tag == "a" and attr.get("href"):
            self.links.append(attr["href"])
        if tag == "form":
            self._form = Form(method=attr.get("method", "get").lower(), action=attr.get("action"))
            return
        form, name = self._form, attr.get("name")
        if form is None:
            return
        if tag == "input" and name:
            kind = attr.get("type", "text").lower()
            if kind in ("submit", "image", "button", "reset"):
                if kind == "submit":
                    form.buttons.append((name, attr.get("value", "")))
                return
            form.fields.append(
                Field(name, kind, value=attr.get("value", ""), checked="checked" in attr)
            )
        elif tag == "button" and name and attr.get("type", "submit").lower() == "submit":
            form.buttons.append((name, attr.get("value", "")))
        elif tag == "select" and name:
            self._select = Field(name, "select", multiple="multiple" in attr)
            form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._option = [attr.get("value"), "selected" in attr, ""]
        elif tag == "textarea" and name:
            self._textarea = Field(name, "textarea")
            form.fields.append(self._textarea)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data
        if self._option is not None:
            self._option[2] += data

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None
        elif tag == "option" and self._option is not None and self._select is not None:
            value, selected, text = self._option
            self._select.options.append((value if value is not None else text.strip(), selected))
            self._option = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def baseline_data(form: Form) -> dict[str, list[str]]:
    """What a browser sends for the form as shown (a radio group with none ticked: its first)."""
    data: dict[str, list[str]] = {}
    for field in form.fields:
        values = data.setdefault(field.name, [])
        if field.kind == "file":
            continue
        if field.kind == "checkbox":
            if field.checked:
                values.append(field.value or "on")
        elif field.kind == "radio":
            if field.checked:
                values[:] = [field.value]
            elif not values:
                values.append(field.value)
        elif field.kind == "select":
            chosen = [value for value, selected in field.options if selected]
            if not chosen and field.options and not field.multiple:
                chosen = [field.options[0][0]]
            values.extend(chosen)
        else:
            values.append(field.value)
    if form.buttons:
        name, value = form.buttons[0]
        data.setdefault(name, []).append(value)
    return {name: values for name, values in data.items() if values or name}


def field_kinds(field: Field) -> set[str]:
    """What a field looks like it takes, beyond text (see KIND_VALUES)."""
    kinds = set()
    values = [field.value] + [value for value, _ in field.options]
    if field.kind in ("number", "range") or any(v.lstrip("-").isdigit() for v in values):
        kinds.add("number")
    kinds |= {
        "date": {"date"},
        "month": {"date"},
        "time": {"time"},
        "datetime-local": {"datetime"},
    }.get(field.kind, set())
    if "zone" in field.name or any("/" in v and not v.startswith("/") for v in values):
        kinds.add("zone")
    if field.name == "next" or any(v.startswith("/") for v in values):
        kinds.add("path")
    return kinds


def values_for(kinds: Iterable[str]) -> tuple[str | list[str], ...]:
    return EVERYWHERE + tuple(value for kind in sorted(kinds) for value in KIND_VALUES[kind])


def local_path(href: str, base: str) -> str | None:
    """The site path (with query) a link leads to, or None for other hosts and other schemes."""
    url = urlsplit(urljoin(base, href))
    if url.scheme not in ("", "http") or url.netloc not in ("", "testserver"):
        return None
    path = url.path + (f"?{url.query}" if url.query else "")
    return None if path.startswith(SKIP_PREFIXES) else path


def view_name(path: str) -> str:
    try:
        return resolve(urlsplit(path).path).view_name
    except Resolver404:
        return f"<unresolved {path}>"


# --- The world ------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _field_encryption_key(settings):
    settings.FIELD_ENCRYPTION_KEY = TEST_FIELD_ENCRYPTION_KEY


@pytest.fixture(autouse=True)
def _quiet_logs():
    # Thousands of refused requests each log a warning; a 500 is reported by the test itself.
    loggers = [
        logging.getLogger(name) for name in ("django.request", "django.security", "fontTools")
    ]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    yield
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


@pytest.fixture
def full_world(world):
    """The persona world, with something on every page: sessions, reading, intake, sharing."""
    group = world.addict_group
    now = timezone.now()
    upcoming = SessionFactory(
        group=group,
        starts_at=now + datetime.timedelta(days=2),
        ends_at=now + datetime.timedelta(days=2, hours=1),
        topic="Check-in",
    )
    held = SessionFactory(
        group=group,
        starts_at=now - datetime.timedelta(days=7),
        ends_at=now - datetime.timedelta(days=7) + datetime.timedelta(hours=1),
    )
    SessionFactory(
        group=world.partner_group,
        starts_at=now + datetime.timedelta(days=3),
        ends_at=now + datetime.timedelta(days=3, hours=1),
    )
    RSVPFactory(session=upcoming, member=world.member)
    AttendanceFactory(session=held, member=world.member, mark=Mark.PRESENT)
    AttendanceFactory(session=held, member=world.co_member, mark=Mark.ABSENT)
    SeriesFactory(group=group)
    MaterialFactory(group=group, title="A first reading")
    MaterialFactory(group=group, title="A file", with_file=True)
    LibraryItemFactory(title="From the library", with_file=True, created_by=world.staff)
    IntakeFactory(member=world.member, recorded_by=world.facilitator)
    SharingConsentFactory(owner=world.member, viewer=world.partner, group=group)
    AbsenceFollowUpFactory(enrollment=group.enrollments.get(member=world.co_member))
    NotificationFactory(recipient=world.member)
    invitation_create(
        email="invited@example.org", role=Role.MEMBER, invited_by=world.facilitator, group=group
    )
    return world


def seed_paths(world) -> list[str]:
    """Every GET page of the access matrix, its objects made once for all personas."""
    paths = [reverse("home")]
    for row in ROWS:
        if row.method != "get":
            continue
        url = reverse(row.name, kwargs=row.kwargs(world))
        query = row.data(world)
        paths.append(f"{url}?{urlencode(query)}" if query else url)
    return [path for path in paths if not path.startswith(SKIP_PREFIXES)]


# --- Crawling -------------------------------------------------------------------------------


@dataclasses.dataclass
class Page:
    path: str
    forms: list[Form]
    links: list[str]


@dataclasses.dataclass
class Target:
    """One form to attack, as the persona that was shown it."""

    persona: str | None
    page: str
    action: str
    baseline: dict[str, list[str]]
    kinds: dict[str, set[str]]

    @property
    def fields(self) -> list[str]:
        return sorted(name for name in self.baseline if name != "csrfmiddlewaretoken")

    def label(self) -> str:
        return f"{self.persona or 'visitor'} POST {self.action} (form on {self.page})"


class Persona:
    """A client signed in as one persona that can always go back to its signed-in state."""

    def __init__(self, world, name: str | None):
        self.name = name
        self.client = Client(raise_request_exception=False)
        if name:
            self.client.force_login(getattr(world, name))
        self.cookies = {
            key: morsel.value
            for key, morsel in self.client.cookies.items()
            if key == settings.SESSION_COOKIE_NAME
        }

    def restore(self) -> None:
        """Forget what the last request did to the cookies (a sign-out, a message)."""
        self.client.cookies = SimpleCookie()
        for key, value in self.cookies.items():
            self.client.cookies[key] = value
        cache.clear()  # rate limits: each attempt is judged alone

    def crawl(self, seeds: Iterable[str]) -> list[Page]:
        queue, seen, pages = list(seeds), set(), []
        while queue and len(pages) < MAX_PAGES_PER_PERSONA:
            path = queue.pop(0)
            if page_key(path) in seen:
                continue
            seen.add(page_key(path))
            with transaction.atomic():
                response = self.client.get(path, follow=True)
                transaction.set_rollback(True)
            self.restore()
            content_type = response.get("Content-Type", "")
            if response.status_code != 200 or not content_type.startswith("text/html"):
                continue
            final = response.request["PATH_INFO"]
            if query := response.request.get("QUERY_STRING"):
                final = f"{final}?{query}"
            parser = PageParser()
            parser.feed(response.content.decode(errors="replace"))
            links = [p for href in parser.links if (p := local_path(href, final))]
            pages.append(Page(final, parser.forms, links))
            seen.add(page_key(final))
            queue.extend(link for link in links if page_key(link) not in seen)
        return pages


def page_key(path: str) -> tuple:
    """Pages of one view with the same query keys show the same forms (for other objects)."""
    query = sorted({key for key, _ in parse_qsl(urlsplit(path).query)})
    return (view_name(path), *query)


# --- Judging one request --------------------------------------------------------------------


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every table a refusal must leave alone (raw rows: fast, and no decryption)."""
    rows = {}
    with connection.cursor() as cursor:
        for model in apps.get_models():
            if model._meta.app_label in VOLATILE_APPS or not model._meta.managed:
                continue
            table = connection.ops.quote_name(model._meta.db_table)
            key = connection.ops.quote_name(model._meta.pk.column)
            cursor.execute(f"SELECT * FROM {table} ORDER BY {key}")  # noqa: S608 - our names
            rows[model._meta.db_table] = [tuple(map(_plain, row)) for row in cursor.fetchall()]
    return rows


def _plain(value):
    return bytes(value) if isinstance(value, memoryview) else value


def _refused(response) -> bool:
    if response.status_code >= 400:
        return True
    if 300 <= response.status_code < 400:
        queued = messages.get_messages(response.wsgi_request)
        return any(message.level >= messages.WARNING for message in queued)
    contexts = response.context
    if contexts is None:
        return False
    for context in contexts if isinstance(contexts, list) else [contexts]:
        for value in context.flatten().values():
            if isinstance(value, BaseForm) and value.is_bound and value.errors:
                return True
            if isinstance(value, BaseFormSet) and value.is_bound and not value.is_valid():
                return True
    return False


def _crash(response) -> str:
    if response.exc_info is None:
        return "500"
    kind, error, trace = response.exc_info
    frames = traceback.extract_tb(trace)
    # The last frame of our own code says where to fix it; a library's frame says little.
    ours = [frame for frame in frames if "/.venv/" not in frame.filename]
    frame = (ours or frames)[-1]
    return f"500: {kind.__name__}: {str(error)[:120]} at {frame.filename}:{frame.lineno}"


class Judge:
    """Sends one hostile request in a rolled-back savepoint and notes what went wrong."""

    def __init__(self):
        self.problems: dict[str, str] = {}
        self.requests = 0
        self._before: dict | None = None

    def baseline(self) -> None:
        self._before = snapshot()

    def post(self, persona: Persona, target: Target, field: str, value) -> None:
        data = {**target.baseline, field: value}
        self._send(persona, f"{target.label()} {field}={_show(value)}", "post", target.action, data)

    def get(self, persona: Persona, path: str, params: dict) -> None:
        url = urlsplit(path)
        query = [(k, v) for k, v in parse_qsl(url.query, keep_blank_values=True) if k not in params]
        for param, value in params.items():
            query += [(param, v) for v in (value if isinstance(value, list) else [value])]
        shown = " ".join(f"{param}={_show(value)}" for param, value in params.items())
        label = f"{persona.name or 'visitor'} GET {url.path} {shown}"
        self._send(persona, label, "get", f"{url.path}?{urlencode(query)}", None)

    def _send(self, persona: Persona, label: str, method: str, url: str, data) -> None:
        self.requests += 1
        key = label[:300]
        with transaction.atomic():
            try:
                if method == "post":
                    response = persona.client.post(url, data)
                else:
                    response = persona.client.get(url)
            except Exception as error:  # noqa: BLE001 - the client itself failed: report it
                self.problems.setdefault(key, f"client error {error!r:.200}")
                transaction.set_rollback(True)
                persona.restore()
                return
            if response.status_code >= 500:
                self.problems.setdefault(key, _crash(response))
            elif method == "post" and _refused(response) and snapshot() != self._before:
                changed = [
                    name for name, rows in snapshot().items() if rows != self._before.get(name)
                ]
                self.problems.setdefault(key, f"refused ({response.status_code}) yet {changed}")
            transaction.set_rollback(True)
        persona.restore()

    def assert_clean(self) -> None:
        assert not self.problems, f"{len(self.problems)} problems:\n  " + "\n  ".join(
            f"{label}: {problem}" for label, problem in sorted(self.problems.items())
        )


def _show(value) -> str:
    return repr(value if len(str(value)) < 40 else f"{str(value)[:20]}...({len(str(value))})")


# --- Collecting every form and every query parameter ----------------------------------------


@dataclasses.dataclass
class Query:
    """A query parameter a page reads, and what to try in it."""

    persona: str | None
    path: str
    param: str
    values: tuple


@dataclasses.dataclass
class Site:
    personas: dict[str | None, Persona]
    targets: list[Target]
    pages: list[tuple[str | None, str]]  # every page once, with the first persona to see it
    queries: list[Query]


def survey(world) -> Site:
    seeds = seed_paths(world)
    personas: dict[str | None, Persona] = {}
    targets: dict[tuple, Target] = {}
    pages: dict[str, tuple[str | None, str]] = {}
    queries: dict[tuple, Query] = {}

    def read(name, path, param, kinds):
        key = (view_name(path), param)
        if key not in queries:
            queries[key] = Query(name, path, param, values_for(kinds))

    for name in PERSONAS:
        persona = personas[name] = Persona(world, name)
        for page in persona.crawl(seeds):
            pages.setdefault(view_name(page.path), (name, page.path))
            for form in page.forms:
                action = local_path(form.action or page.path, page.path)
                if action is None:
                    continue
                if form.method == "post":
                    kinds: dict[str, set[str]] = {}
                    for field in form.fields:
                        kinds.setdefault(field.name, set()).update(field_kinds(field))
                    target = Target(name, page.path, action, baseline_data(form), kinds)
                    # One form class shown on two pages (create and edit) is tried once.
                    targets.setdefault(tuple(target.fields) or (view_name(action),), target)
                else:
                    for field in form.fields:
                        read(name, action, field.name, field_kinds(field))
            for link in [page.path, *page.links]:
                if view_name(link) == view_name(page.path):
                    for key, _ in parse_qsl(urlsplit(link).query):
                        read(name, page.path, key, {"number", "date"})
    return Site(personas, list(targets.values()), list(pages.values()), list(queries.values()))


def _assert_survey_found_the_site(site: Site) -> None:
    # A crawl that silently found nothing would pass; these forms must always be there.
    actions = {view_name(target.action) for target in site.targets}
    for expected in (
        "scheduling:rsvp",
        "scheduling:change",
        "groups:create",
        "members:intake_new",
        "notifications:preferences",
        "account_login",
    ):
        assert expected in actions, f"the crawl found no {expected} form: {sorted(actions)}"


# --- The tests ------------------------------------------------------------------------------


def test_no_hostile_value_in_any_field_gives_a_500(full_world):
    # GIVEN every persona's forms and query parameters, found by crawling the site
    site = survey(full_world)
    _assert_survey_found_the_site(site)
    judge = Judge()
    judge.baseline()

    # WHEN each field of each form in turn gets each hostile value for its kind
    for target in site.targets:
        for field in target.fields:
            for value in values_for(target.kinds.get(field, ())):
                judge.post(site.personas[target.persona], target, field, value)
    # ... and each page gets a hostile way back and page number, and each parameter a page
    # reads (its GET forms' fields, its links' parameters) each hostile value
    for persona, page_path in site.pages:
        for params in EVERY_PAGE_QUERIES:
            judge.get(site.personas[persona], page_path, params)
    for query in site.queries:
        for value in query.values:
            judge.get(site.personas[query.persona], query.path, {query.param: value})

    # THEN nothing answered 500, and nothing refused changed the database
    assert judge.requests > 1000, "the crawl found too little to be a real test"
    judge.assert_clean()


# Generated text for what the fixed values do not think of: any unicode, any integer or
# float, any date or moment, several values for one field.
GENERATED = st.one_of(
    st.text(max_size=40),
    st.integers().map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.dates().map(str),
    st.datetimes().map(lambda moment: moment.isoformat()),
    st.lists(st.text(max_size=8), min_size=2, max_size=3),
)


def test_generated_values_give_no_500(full_world):
    # GIVEN the surveyed forms, every field of each
    site = survey(full_world)
    judge = Judge()
    judge.baseline()
    fields = [(target, field) for target in site.targets for field in target.fields]

    # WHEN Hypothesis posts generated values to them (derandomized: the same examples in
    # every run, so CI is deterministic)
    @hypothesis_settings(
        max_examples=200,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(choice=st.integers(min_value=0, max_value=len(fields) - 1), value=GENERATED)
    def post_one(choice, value):
        target, field = fields[choice]
        judge.post(site.personas[target.persona], target, field, value)

    post_one()

    # THEN nothing answered 500, and nothing refused changed the database
    judge.assert_clean()


# --- The judge itself ------------------------------------------------------------------------


def _boom(request):
    raise RuntimeError("a bug")


def _refuse_but_write(request):
    Group.objects.create(name="Written anyway")
    return HttpResponseBadRequest("no")


# This module doubles as a URL conf for the test below (pytest.mark.urls).
urlpatterns = [path("boom/", _boom), path("refuse/", _refuse_but_write)]


@pytest.mark.urls(__name__)
def test_the_judge_sees_a_500_and_a_refusal_that_wrote(full_world):
    # GIVEN a page that fails and one that refuses after writing
    judge = Judge()
    judge.baseline()
    visitor = Persona(full_world, None)

    # WHEN the judge posts to both
    for address in ("/boom/", "/refuse/"):
        judge.post(visitor, Target(None, address, address, {"a": ["1"]}, {}), "a", "x")

    # THEN it reports both, and its savepoint took the write back
    problems = sorted(judge.problems.values())
    assert problems[0].startswith("500: RuntimeError: a bug")
    assert problems[1].startswith("refused (400) yet ['groups_group']")
    assert not Group.objects.filter(name="Written anyway").exists()


# --- The two 500s the issue names, pinned ---------------------------------------------------


@pytest.mark.parametrize(
    ("next_value", "lands_on"),
    [
        ("foo", "detail"),  # a bare word: redirect() took it for a URL name (a 500)
        ("//evil.example/", "detail"),  # another site
        ("https://evil.example/", "detail"),
        ("/\nSet-Cookie:x=1", "detail"),  # a header break
        ("/sessions/", "/sessions/"),  # a page of ours: followed
    ],
)
def test_rsvp_goes_back_only_to_a_page_of_ours(client, full_world, next_value, lands_on):
    # GIVEN a member and an upcoming session of their group
    session = full_world.addict_group.sessions.filter(starts_at__gt=timezone.now()).first()
    client.force_login(full_world.member)
    detail = reverse("scheduling:detail", kwargs={"pk": session.pk})

    # WHEN they answer with a hostile way back
    response = client.post(
        reverse("scheduling:rsvp", kwargs={"pk": session.pk}),
        {"answer": "going", "next": next_value},
    )

    # THEN the answer lands, and they go back to the session or the page of ours they named
    assert response.status_code == 302
    assert response["Location"] == (detail if lands_on == "detail" else lands_on)
    assert session.rsvps.get(member=full_world.member).answer == "going"


@pytest.mark.parametrize("capacity", ["2147483648", "99999999999999999999999"])
def test_a_capacity_no_column_holds_is_a_form_error(client, full_world, capacity):
    # GIVEN the group's facilitator on a session's change form
    session = full_world.addict_group.sessions.filter(starts_at__gt=timezone.now()).first()
    client.force_login(full_world.facilitator)
    start = timezone.localtime(session.starts_at, zoneinfo.ZoneInfo(session.group.time_zone))

    # WHEN they ask for more seats than PostgreSQL's integer holds
    response = client.post(
        reverse("scheduling:change", kwargs={"pk": session.pk}),
        {
            "date": start.date().isoformat(),
            "start_time": start.strftime("%H:%M"),
            "end_time": "23:59",
            "capacity": capacity,
        },
    )

    # THEN the form says so, and the session keeps its seats
    assert response.status_code == 200
    assert "That number is too large" in response.context["form"].errors["capacity"][0]
    session.refresh_from_db()
    assert session.capacity is None or session.capacity < 2**31


def test_a_group_capacity_no_column_holds_is_a_form_error(client, full_world):
    # GIVEN staff on the new-group form
    client.force_login(full_world.staff)

    # WHEN the capacity and the follow-up count are beyond their columns
    response = client.post(
        reverse("groups:create"),
        {"name": "Big", "capacity": "2147483648", "absence_follow_up_after": "32768"},
    )

    # THEN both are form errors, and no group is made
    errors = response.context["form"].errors
    assert "That number is too large" in errors["capacity"][0]
    assert "That number is too large" in errors["absence_follow_up_after"][0]
    assert not Group.objects.filter(name="Big").exists()
