"""The parts of `make bench`, each returning rows of (figure, value, goal, met).

Imported after django.setup() (bench/run.py), connected to the large clinic's database.
"""

import datetime
import json
import os
import platform
import re
import signal
import smtplib
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import redis
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.db import connection, transaction
from django.utils import timezone

from bench import clinic
from notifications import api, delivery, tasks
from notifications import services as notification_services
from notifications.lookups import BatchLookups
from notifications.models import Channel, Kind, Notification, Status
from notifications.rendering import render_notification
from sessions.models import Series, Session
from tests.notifications.reliability import CountingSMTP, Worker, free_port, wait_for_port

ORDER = ["clinic", "queries", "http", "schedule", "reminders", "recovery"]


@dataclass
class Context:
    quick: bool
    seed: int
    root: Path
    env_for: Callable[[str], dict]
    large_db: str
    demo_db: str
    redis_url: str
    facts: dict = field(default_factory=dict)


@dataclass
class Row:
    figure: str
    value: str
    goal: str = ""
    met: bool | None = None


def title(context: Context, seconds: float) -> str:
    cpu = platform.processor() or platform.machine()
    try:
        model = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
        cpu = model
    except (OSError, StopIteration):
        pass
    size = "QUICK (small clinic)" if context.quick else "full"
    return (
        f"Circle bench, {size}, {timezone.now():%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores "
        f"({cpu}), Python {platform.python_version()}, {seconds:.0f} s in all"
    )


def table(rows: list[Row], title: str = "") -> str:
    widths = [
        max(len(r.figure) for r in rows) if rows else 10,
        max(len(r.value) for r in rows) if rows else 10,
        max(len(r.goal) for r in rows) if rows else 10,
    ]
    lines = [title, ""] if title else []
    header = f"| {'figure':<{widths[0]}} | {'value':<{widths[1]}} | {'goal':<{widths[2]}} | met |"
    lines += [header, "|" + "|".join("-" * (w + 2) for w in widths) + "|-----|"]
    for r in rows:
        met = "" if r.met is None else ("yes" if r.met else "NO")
        cells = (r.figure.ljust(widths[0]), r.value.ljust(widths[1]), r.goal.ljust(widths[2]))
        lines.append(f"| {' | '.join(cells)} | {met:<3} |")
    return "\n".join(lines)


def run_all(context: Context, wanted: list[str]) -> list[Row]:
    rows: list[Row] = []
    for name in ORDER:
        if name not in wanted:
            continue
        began = time.monotonic()
        print(f"== {name}", flush=True)  # noqa: T201
        try:
            part = globals()[f"part_{name}"](context)
        except Exception as exc:  # noqa: BLE001 - one broken part must not hide the others
            problem = " ".join(f"{type(exc).__name__}: {exc}".split())[:100]
            stderr = getattr(exc, "stderr", None)
            if isinstance(stderr, bytes):
                stderr = stderr.decode(errors="replace")
            if stderr:  # a child process failed: its last line says why (the table's cell cannot)
                last = stderr.strip().splitlines()[-1] if stderr.strip() else ""
                problem = " ".join(last.split())[:100] or problem
                print(f"   {name}: child's stderr ends:\n{stderr[-2000:]}", flush=True)  # noqa: T201
            part = [Row(f"{name}: failed", problem, "", False)]
        rows += part
        print(table(part), flush=True)  # noqa: T201 - as it goes: a stopped run keeps these
        print(f"   {name} took {time.monotonic() - began:.0f} s", flush=True)  # noqa: T201
    return rows


def percentile(values, p: float) -> float:
    values = sorted(values)
    if not values:
        return 0.0
    k = min(len(values) - 1, max(0, round(p / 100 * (len(values) - 1))))
    return values[k]


# --- the large clinic ---------------------------------------------------------------------------


def part_clinic(context: Context) -> list[Row]:
    scale = 0.05 if context.quick else 1.0
    sent = 5_000 if context.quick else 100_000
    if clinic.exists():
        built = None
        print("   reusing the clinic already built")  # noqa: T201
    else:
        built = clinic.build(seed=context.seed, scale=scale, sent_rows=sent, log=print)
    pending = Notification.objects.filter(status=Status.PENDING).count()
    rows = []
    if built:
        c = built.counts
        rows.append(
            Row(
                "large clinic: build time",
                f"{built.seconds:.0f} s ({c['members']} members, {c['groups']} groups, "
                f"{c['sessions']} sessions, {c['attendance']} marks)",
                "minutes",
                built.seconds < (60 if context.quick else 600),
            )
        )
    groups = max(1, Session.objects.values("group").distinct().count())
    per_group = pending / groups
    rows.append(
        Row(
            "outbox: pending rows (rolling window)",
            f"{pending} ({per_group:.0f} per group)",
            "thousands, not 846,000",
            per_group < 100,
        )
    )
    return rows


# --- signing in ---------------------------------------------------------------------------------


def session_cookie(user) -> str:
    """A real signed-in session, as django.contrib.auth.login leaves it."""
    from importlib import import_module

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def pages(sample: dict, feed_token: str) -> list[tuple[str, str, str]]:
    """(name, who, path) of every page measured; who is member, facilitator or staff."""
    group, coming, past = sample["group"], sample["coming"], sample["past"] or sample["coming"]
    rows = [
        ("health (baseline)", "", "/healthz"),
        ("sign-in page", "", "/accounts/login/"),
        ("member home", "member", "/"),
        ("upcoming sessions", "member", "/sessions/"),
        ("session page", "member", f"/sessions/{coming.pk}/"),
        ("group page", "member", f"/groups/{group.pk}/"),
        ("reading list", "member", "/reading/"),
        ("calendar feed", "", f"/sessions/feed/{feed_token}.ics"),
        ("facilitator dashboard", "facilitator", "/"),
        ("staff home", "staff", "/"),
        ("roll call", "facilitator", f"/attendance/sessions/{past.pk}/"),
        ("attendance summary", "facilitator", f"/attendance/groups/{group.pk}/"),
    ]
    if sample.get("download"):
        rows.append(("material download", "member", f"/reading/{sample['download'].pk}/file/"))
    return rows + clinical_pages(sample)


def clinical_pages(sample: dict) -> list[tuple[str, str, str]]:
    """The clinical record's pages: a member's own, their facilitator's, the clinic staff's."""
    group, member = sample["group"], sample["member"]
    disclosed = sample.get("disclosed") or member
    past = sample["past"] or sample["coming"]
    rows = [
        ("questionnaires", "member", "/measures/"),
        ("check-ins", "member", "/measures/check-ins/"),
        ("my record", "member", "/my-data/"),
        ("notes to write", "facilitator", "/notes/"),
        ("a session's notes", "facilitator", f"/notes/sessions/{past.pk}/"),
        ("a member's notes", "facilitator", f"/notes/members/{member.pk}/"),
        ("a group's questionnaires", "facilitator", f"/measures/groups/{group.pk}/"),
        ("a member's answers", "facilitator", f"/measures/groups/{group.pk}/members/{member.pk}/"),
        ("waiting list", "facilitator", f"/referrals/group/{group.pk}/waiting/"),
        ("referral requests", "staff", "/referrals/"),
        ("audit trail", "staff", "/audit/"),
        ("a member's disclosures", "staff", f"/audit/people/{disclosed.pk}/disclosures/"),
    ]
    if sample.get("note"):
        rows.insert(6, ("a progress note", "facilitator", f"/notes/{sample['note'].pk}/"))
    if sample.get("referral"):
        rows.append(("a referral request", "staff", f"/referrals/{sample['referral'].pk}/"))
    return rows


# Served only by the bench's gunicorn (bench/urls.py): the floor under every signed-in page,
# shown beside the baseline so a page's ratio can be read against what it cannot go below.
REFERENCE_PAGES = [
    ("signed in, renders nothing", "member", "/bench/signed-in"),
    ("signed in, the layout alone", "member", "/bench/layout"),
]


def _feed_token(user) -> str:
    from sessions.services import calendar_feed_make

    return calendar_feed_make(user=user)


# --- queries per page ---------------------------------------------------------------------------

QUERY_GOAL = 12


def _count_queries_here(clinic_name: str) -> dict:
    """In this process (connected to one clinic): queries per page, signed in for real."""
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    if clinic_name == "demo":
        from members.models import User
        from sessions.models import Session as S

        staff = User.objects.get(email="staff@example.com")
        fran = User.objects.get(email="fran@example.com")
        alex = User.objects.get(email="alex@example.com")
        group = fran.facilitated_groups.order_by("pk").first()
        now = timezone.now()
        sample = {
            "staff": staff,
            "facilitator": fran,
            "member": alex,
            "group": group,
            "coming": S.objects.filter(group=group, starts_at__gt=now).first(),
            "past": S.objects.filter(group=group, starts_at__lt=now).last(),
            "download": None,
            "note": clinic.signed_note(alex, group),
            "referral": clinic.head_of_queue(),
        }
    else:
        sample = clinic.sample()
    counts = {}
    clients = {}
    for who in ("member", "facilitator", "staff"):
        clients[who] = Client()
        clients[who].cookies.load(session_cookie(sample[who]))
    clients[""] = Client()
    for name, who, path in pages(sample, _feed_token(sample["member"])):
        client = clients[who]
        client.get(path)  # warm per-process caches, as a running server has them
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        status = response.status_code
        counts[name] = {"queries": len(queries), "status": status}
    return counts


def part_queries(context: Context) -> list[Row]:
    # The demo clinic in its own database, so in a process of its own (seeded there too).
    out = subprocess.run(
        [sys.executable, "-m", "bench.queries", "demo"],
        cwd=context.root,
        env=context.env_for(context.demo_db),
        check=True,
        capture_output=True,
        text=True,
    )
    results = {
        "demo": json.loads(out.stdout.strip().splitlines()[-1]),
        "large": _count_queries_here("large"),
    }
    rows = []
    for page, large in results["large"].items():
        if page in ("health (baseline)", "sign-in page"):
            continue
        demo = results["demo"].get(page)
        n = large["queries"]
        value = f"{demo['queries'] if demo else '-'} demo / {n} large"
        if large["status"] != 200:
            value += f" (HTTP {large['status']})"
        flat = demo is None or demo["queries"] == n
        ok = flat and n <= QUERY_GOAL and large["status"] == 200
        rows.append(Row(f"queries: {page}", value, f"same, <= {QUERY_GOAL}", ok))
    context.facts["queries"] = results
    return rows


# --- HTTP ---------------------------------------------------------------------------------------

_UNIT = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _find(pattern: str, text: str) -> str:
    match = re.search(pattern, text)
    if match is None:
        raise ValueError(f"wrk printed no {pattern!r}: {text[-300:]}")
    return match.group(1)


def _ms(text: str) -> float:
    number, unit = _find(r"([\d.]+)([a-z]+)", text), _find(r"[\d.]+([a-z]+)", text)
    return float(number) * _UNIT[unit]


def wrk(url: str, cookie: str, seconds: int, connections: int = 16, headers=()) -> dict:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    for header in headers:
        command += ["-H", header]
    out = subprocess.run([*command, url], check=True, capture_output=True, text=True).stdout
    rps = float(_find(r"Requests/sec:\s+([\d.]+)", out))
    p50 = _ms(_find(r"\s50%\s+(\S+)", out))
    p99 = _ms(_find(r"\s99%\s+(\S+)", out))
    requests = int(_find(r"(\d+) requests in", out))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": rps,
        "p50": p50,
        "p99": p99,
        "requests": requests,
        "bad": int(bad.group(1)) if bad else 0,
    }


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


class Gunicorn:
    def __init__(self, context: Context, workers: int = 2):
        self.context = context
        self.port = free_port()
        self.workers = workers
        self.process: subprocess.Popen | None = None
        self.log = Path(tempfile.gettempdir()) / f"bench-gunicorn-{self.port}.log"

    def start(self) -> None:
        env = self.context.env_for(self.context.large_db)
        env["DJANGO_SETTINGS_MODULE"] = "bench.settings"  # the reference pages (bench/urls.py)
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "config.wsgi:application",
                f"--bind=127.0.0.1:{self.port}",
                f"--workers={self.workers}",
                "--worker-class=sync",
                "--access-logfile=-" if False else "--log-level=warning",
            ],
            cwd=self.context.root,
            env=env,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=self.log.open("w"),
        )
        wait_for_port(self.port, timeout=30)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def worker_rss(self) -> list[float]:
        return [rss_mb(pid) for pid in children(self.process.pid)] if self.process else [0.0]

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=20)


def _etag(url: str) -> str:
    with urllib.request.urlopen(url, timeout=20) as response:  # noqa: S310 - loopback
        return response.headers.get("ETag", "")


def _check(url: str, cookie: str, headers: dict | None = None) -> int:
    headers = {**({"Cookie": cookie} if cookie else {}), **(headers or {})}
    request = urllib.request.Request(url, headers=headers)

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=20) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


FEED_POLL = "calendar feed, polled (If-None-Match: 304)"

HTTP_GOALS = {
    "member home": 0.5,
    "upcoming sessions": 0.5,
    "calendar feed": 0.5,
    "facilitator dashboard": 0.35,
    "roll call": 0.35,
    "attendance summary": 0.35,
}


def part_http(context: Context) -> list[Row]:
    seconds = 1 if context.quick else 10
    sample = clinic.sample()
    cookies = {"": ""}
    for who in ("member", "facilitator", "staff"):
        cookies[who] = session_cookie(sample[who])
    server = Gunicorn(context)
    began = time.monotonic()
    server.start()
    print(f"   gunicorn up in {time.monotonic() - began:.0f} s")  # noqa: T201
    results: dict[str, dict] = {}
    memory: dict[str, float] = {}
    app_pages = pages(sample, _feed_token(sample["member"]))
    signed_in = {name for name, who, _ in app_pages if who}
    try:
        page_list = [*app_pages[:2], *REFERENCE_PAGES, *app_pages[2:]]
        for name, who, path in page_list:
            status = _check(server.url(path), cookies[who])
            if status != 200:
                results[name] = {"status": status}
                continue
            results[name] = wrk(server.url(path), cookies[who], seconds) | {"status": status}
        # The feed as calendar apps poll it: with the ETag of their last copy (304).
        feed_url = server.url({n: p for n, _, p in page_list}["calendar feed"])
        etag = _etag(feed_url)
        status = _check(feed_url, "", {"If-None-Match": etag}) if etag else 200
        results[FEED_POLL] = {"status": status}
        if status == 304:
            poll = wrk(feed_url, "", seconds, headers=[f"If-None-Match: {etag}"])
            results[FEED_POLL] |= poll
        # Memory: 10,000 requests across every signed-in page in turn (each page's code and
        # templates, not one page's), RSS at half-way and at the end.
        total = 150 if context.quick else 10_000
        limit = 10 if context.quick else 480
        rotation = [(who, path) for _, who, path in app_pages if who]
        started = time.monotonic()
        done, half_rss, turn = 0, 0.0, 0
        while done < total and time.monotonic() - started < limit:
            who, path = rotation[turn % len(rotation)]
            turn += 1
            done += wrk(server.url(path), cookies[who], 2)["requests"]
            halfway = time.monotonic() - started > limit / 2
            if not half_rss and (done >= total / 2 or halfway):
                half_rss = max(server.worker_rss())
        memory = {
            "half": half_rss,
            "end": max(server.worker_rss()),
            "requests": done,
            "wanted": total,
        }
    finally:
        server.stop()
    base = results.get("health (baseline)", {}).get("rps") or 1.0
    # Beside each page's ratio, its ratio to the floor no signed-in page can go below: what
    # the page's own work costs, which the baseline ratio hides under the frame's.
    layout = results.get(REFERENCE_PAGES[-1][0], {}).get("rps")
    rows = []
    names = [name for name in results if name != FEED_POLL]
    if FEED_POLL in results:  # beside the full fetch
        names.insert(names.index("calendar feed") + 1, FEED_POLL)
    for name in names:
        r = results[name]
        if "rps" not in r:
            wanted = "304" if name == FEED_POLL else "200"
            rows.append(Row(f"http: {name}", f"HTTP {r['status']} (not measured)", wanted, False))
            continue
        ratio = r["rps"] / base
        goal = HTTP_GOALS.get(name)
        p99_ok = r["p99"] < 100 and not r["bad"]
        met: bool | None = p99_ok and (goal is None or ratio >= goal)
        goal_text = (f">= {goal} of baseline, " if goal else "") + "p99 < 100 ms"
        if name == "health (baseline)":
            goal_text, met = "the stack's limit", None
        elif name in {n for n, _, _ in REFERENCE_PAGES}:
            goal_text, met = "reference: no signed-in page costs less", None
        elif name == FEED_POLL:
            goal_text = "p99 < 100 ms (how calendar apps ask; the ratio goal is the full fetch's)"
        value = (
            f"{r['rps']:.0f} req/s, ratio {ratio:.2f}, p50 {r['p50']:.1f} ms, p99 {r['p99']:.0f} ms"
        )
        if layout and name in signed_in:
            value += f" ({r['rps'] / layout:.2f} of the layout alone)"
        if r["bad"]:
            value += f", {r['bad']} non-2xx"
        rows.append(Row(f"http: {name}", value, goal_text, met))
    growth = memory["end"] - memory["half"]
    rows.append(
        Row(
            f"memory: gunicorn worker after {memory['requests']} requests (every signed-in page)",
            f"{memory['end']:.0f} MB ({growth:+.1f} MB over the second half)",
            f"< 150 MB, no growth, after {memory['wanted']:,} requests",
            memory["end"] < 150 and growth < 5 and memory["requests"] >= memory["wanted"],
        )
    )
    context.facts["http"] = results
    return rows


# --- schedule -----------------------------------------------------------------------------------


class _Rollback(Exception):
    pass


def part_schedule(context: Context) -> list[Row]:
    """5,000 new weekly series across the clinic's groups, materialised for 26 weeks by the
    periodic task's own function; then one series edited. All rolled back afterwards."""
    from groups.models import Group
    from sessions import recurrence, services

    n = 50 if context.quick else 5_000
    groups = list(Group.objects.order_by("pk"))
    staff = clinic.sample()["staff"]
    figures: dict[str, float] = {}
    series_before = Series.objects.count()
    pending_before = Notification.objects.filter(status=Status.PENDING).count()
    try:
        with transaction.atomic():
            today = timezone.now().date()
            Series.objects.bulk_create(
                [
                    Series(
                        group=groups[i % len(groups)],
                        rrule=recurrence.build_rule(
                            frequency="weekly", weekday=recurrence.WEEKDAYS[i % 7]
                        ),
                        starts_on=today,
                        start_time=datetime.time(8 + i % 12, 30),
                        duration_minutes=60,
                        created_by=staff,
                    )
                    for i in range(n)
                ],
                batch_size=1000,
            )
            before = Session.objects.count()
            began = time.monotonic()
            services.series_materialise_all()
            figures["all"] = time.monotonic() - began
            figures["sessions"] = Session.objects.count() - before
            # The task that follows on commit: reminders of the new sessions near enough.
            near = Session.objects.filter(
                series__starts_on=today,
                starts_at__lte=api.reminder_reach(timezone.now()),
                series__created_by=staff,
                series__pk__gt=0,
            ).values_list("pk", flat=True)
            began = time.monotonic()
            notification_services.reminders_sync_ids(list(near))
            figures["remind"] = time.monotonic() - began
            one = Series.objects.order_by("-pk").first()
            assert one is not None
            began = time.monotonic()
            services.series_update(
                series=one,
                actor=staff,
                rrule=one.rrule,
                start_time=datetime.time(7, 0),
                duration_minutes=75,
            )
            figures["edit"] = time.monotonic() - began
            figures["pending"] = Notification.objects.filter(status=Status.PENDING).count()
            raise _Rollback
    except _Rollback:
        pass
    _settle(Series, Session, Notification)
    limit = 10 * n / 5_000
    return [
        Row(
            f"schedule: materialise 26 weeks of {n} series",
            f"{figures['all']:.1f} s ({figures['sessions']} sessions)",
            f"< {limit:g} s",
            figures["all"] < limit,
        ),
        Row(
            "schedule: then the reminders task for the near sessions",
            f"{figures['remind']:.1f} s",
            "(after commit, not in the goal)",
            None,
        ),
        Row(
            "schedule: re-materialise after a series edit",
            f"{figures['edit'] * 1000:.0f} ms",
            "< 2 s",
            figures["edit"] < 2,
        ),
        # Rows exist only for the coming window (hours), so there are as many per series
        # after as before: not 26 weeks of reminders for each new one.
        Row(
            "schedule: pending outbox rows after it, per series",
            f"{figures['pending']} for {series_before + n} series: "
            f"{figures['pending'] / (series_before + n):.0f} per series "
            f"(before: {pending_before / max(series_before, 1):.0f})",
            "as before (the window only), not ~2,800",
            figures["pending"] / (series_before + n)
            < 2 * max(pending_before / max(series_before, 1), 10),
        ),
    ]


# --- reminders: Celery against a plain smtplib loop, and the dispatcher's claim ------------------


def _due_reminders(count: int, *, week_offset: int, now) -> list[int]:
    """`count` reminders due now for real members of real coming sessions (weeks ahead, where
    nobody has answered yet, so none is skipped): ids."""
    from groups.selectors import stints

    sessions = list(
        Session.objects.filter(
            starts_at__gte=now + datetime.timedelta(weeks=week_offset),
            starts_at__lt=now + datetime.timedelta(weeks=week_offset + 30),
        ).order_by("starts_at", "pk")
    )
    by_group: dict[int, list] = {}
    for s in sessions:
        by_group.setdefault(s.group_id, []).append(s)
    people: dict[int, list[int]] = {}
    for group_id, member_id in stints(statuses=("active",)).values_list("group_id", "member_id"):
        people.setdefault(group_id, []).append(member_id)
    rows: list[Notification] = []
    week = 0
    while len(rows) < count:
        added = False
        for group_id, group_sessions in by_group.items():
            if week >= len(group_sessions):
                continue
            session = group_sessions[week]
            stamp = int(session.starts_at.timestamp())
            for member_id in people.get(group_id, []):
                rows.append(
                    Notification(
                        recipient_id=member_id,
                        kind=Kind.REMINDER,
                        channel=Channel.EMAIL,
                        session=session,
                        offset_minutes=120,
                        key=f"reminder:{session.pk}:{stamp}:{member_id}:email:120:bench{now:%s}",
                        due_at=now,
                    )
                )
                added = True
                if len(rows) == count:
                    break
            if len(rows) == count:
                break
        week += 1
        if not added:
            break
    created = Notification.objects.bulk_create(rows, batch_size=5000)
    return [row.pk for row in created]


def _settle(*models) -> None:
    """VACUUM (ANALYZE) tables a part has just filled or rolled back, as autovacuum would in
    a clinic by then: otherwise autovacuum does it during the next part's measurements (the
    1,000,000-row top-up was vacuumed while the Celery worker was timed)."""
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(model._meta.db_table)}")


def _top_up_outbox(total: int) -> int:
    """Sent history rows (one INSERT ... SELECT) until the outbox holds `total` rows."""
    have = Notification.objects.count()
    missing = total - have
    if missing <= 0:
        return have
    member = clinic.sample()["member"]
    # Columns added since (NOT NULL with a default in the model) take an empty value.
    extra = {"details": "'{}'::jsonb"}
    names = {f.column for f in Notification._meta.concrete_fields}
    extra = {column: value for column, value in extra.items() if column in names}
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO notifications_notification
              (recipient_id, address, kind, channel, key, due_at, status, attempts, last_error,
               dispatch_token, sent_at, provider_message_id, title, body, created_at
               {"".join(", " + column for column in extra)})
            SELECT %s, '', 'reminder', 'email', 'bench-history:' || g,
                   now() - (g || ' minutes')::interval, 'sent', 1, '',
                   md5(g::text), now() - (g || ' minutes')::interval, '', 'Your session', '',
                   now() - (g || ' minutes')::interval
                   {"".join(", " + value for value in extra.values())}
            FROM generate_series(1, %s) AS g
            ON CONFLICT (key) DO NOTHING
            """,  # noqa: S608 - fixed column names and literals; values are parameters
            [member.pk, missing],
        )
    _settle(Notification)
    return Notification.objects.count()


def part_claim(context: Context, batches: int = 10) -> list[Row]:
    total = _top_up_outbox(100_000 if context.quick else 1_000_000)
    times: list[float] = []
    claimed_ids: list[int] = []
    for _ in range(batches):
        began = time.perf_counter()
        ids = delivery.outbox_claim_due(limit=500)
        took = (time.perf_counter() - began) * 1000
        print(f"   batch {len(times) + 1}: {took:.1f} ms, {len(ids)} rows")  # noqa: T201
        if not ids:
            break  # an empty claim is cheap: it would flatter the figures
        times.append(took)
        claimed_ids += ids
    # Give the rows back for the delivery run, then the plan of one more claim (undone).
    Notification.objects.filter(pk__in=claimed_ids).update(dispatch_token="", dispatched_at=None)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "EXPLAIN (ANALYZE, BUFFERS) " + delivery.CLAIM_SQL,
            delivery._claim_params(500, timezone.now()),
        )
        claim_plan = "\n".join(line for (line,) in cursor.fetchall())
        transaction.set_rollback(True)
    context.facts["claim_plans"] = {"claim (pick, lock and lease)": claim_plan}
    worst = max(times) if times else 0
    median = statistics.median(times) if times else 0
    for name, plan in context.facts["claim_plans"].items():
        plan = re.sub(r"'\{[\d,]{60,}\}'", "'{...500 ids...}'", plan)
        context.facts["claim_plans"][name] = plan
        print(f"   EXPLAIN ANALYZE {name}:\n" + plan)  # noqa: T201
    uses_index = "Seq Scan" not in claim_plan
    return [
        Row(
            f"dispatcher: claim a batch of 500 from {total:,} outbox rows",
            f"median {median:.1f} ms, worst {worst:.1f} ms "
            f"({'indexes' if uses_index else 'SEQ SCAN'})",
            "< 20 ms, an index",
            worst < 20 and uses_index,
        )
    ]


def _worker_env(context: Context, smtp_port: int, extra: dict | None = None) -> dict:
    env = context.env_for(context.large_db)
    env.update(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_port),
        NOTIFICATIONS_RETRY_BASE_SECONDS="2",
        **(extra or {}),
    )
    return env


def _smtplib_loop(messages: list, port: int) -> float:
    """The bare stack: one connection, sendmail per message. Seconds."""
    began = time.monotonic()
    with smtplib.SMTP("127.0.0.1", port) as server:
        for sender, recipients, data in messages:
            server.sendmail(sender, recipients, data)
    return time.monotonic() - began


def _plain_rate(messages: list, smtp) -> float:
    """Messages a second that the plain loop got the server to accept."""
    before = smtp.total
    seconds = _smtplib_loop(messages, smtp.port)
    return (smtp.total - before) / seconds if seconds else 0.0


def _arrivals_of(smtp, ids) -> tuple[int, int]:
    """(unique, duplicates) among the messages of these rows only: reminders of the clinic's
    own that fall due during the run go out too, and are not the bench's."""
    wanted = {str(pk) for pk in ids}
    ours = [
        n
        for message_id, n in smtp.arrivals.items()
        if (match := re.search(r"notification-(\d+)-", message_id)) and match.group(1) in wanted
    ]
    return len(ours), sum(n - 1 for n in ours)


def _wire_message(row, r) -> tuple:
    """(sender, recipients, bytes) of a rendered row, as Django's SMTP backend sends it."""
    message = delivery.rendered_email(row, r)
    return message.from_email, message.recipients(), message.message().as_bytes(linesep="\r\n")


def _given_up(ids) -> dict[tuple[str, str], int]:
    """{(status, reason): rows} of these rows that will not be sent."""
    rows = (
        Notification.objects.filter(pk__in=ids, status__in=[Status.FAILED, Status.SKIPPED])
        .values_list("status", "last_error")
        .order_by()
    )
    counts: dict[tuple[str, str], int] = {}
    for status, reason in rows:
        counts[(status, reason[:80])] = counts.get((status, reason[:80]), 0) + 1
    return counts


def part_reminders(context: Context) -> list[Row]:
    count = context.facts.get("sizes", {}).get("reminders") or (200 if context.quick else 10_000)
    now = timezone.now()
    ids = _due_reminders(count, week_offset=5, now=now)
    rows = part_claim(context)
    # The same messages, rendered once, for the plain loop.
    rendered = []
    due = list(
        Notification.objects.filter(pk__in=ids).select_related("recipient", "session__group")
    )
    for start in range(0, len(due), 500):
        chunk = due[start : start + 500]
        lookups = BatchLookups(chunk)
        rendered += [_wire_message(row, render_notification(row, lookups)) for row in chunk]
    workdir = Path(tempfile.mkdtemp(prefix="bench-reminders-"))
    plain_dir, celery_dir = workdir / "plain", workdir / "celery"
    plain_dir.mkdir()
    celery_dir.mkdir()
    plain_smtp, celery_smtp = CountingSMTP(plain_dir), CountingSMTP(celery_dir)
    worker = None
    memory: dict[str, float] = {}
    try:
        plain_smtp.start()
        # The plain loop runs before and after the worker: on a shared machine one run of it
        # alone moved by a third from run to run; the ratio is to the mean of the two.
        plain_rates = [_plain_rate(rendered, plain_smtp)]
        celery_smtp.start()
        # Tasks queued by earlier parts (a dispatch after the clinic's writes committed) would
        # deliver these rows before the clock starts.
        redis.Redis.from_url(context.redis_url).flushdb()
        worker = Worker(_worker_env(context, celery_smtp.port), celery_dir, concurrency=None)
        worker.start()
        time.sleep(3)  # let it connect before the clock starts
        early = _arrivals_of(celery_smtp, ids)[0]
        if early:
            raise RuntimeError(f"{early} reminders went out before the clock started")
        began = time.monotonic()
        limit = 60 if context.quick else 600
        before = -1
        while time.monotonic() - began < limit:
            with transaction.atomic():
                delivery.outbox_dispatch(send=tasks.deliver_batch.delay)
            arrived = _arrivals_of(celery_smtp, ids)[0]
            if "half" not in memory and arrived >= count / 2:
                memory["half"] = max(
                    [rss_mb(p) for p in children(worker.process.pid if worker.process else 0)]
                    or [0.0]
                )
            if arrived >= count:
                break
            # Once arrivals stall, rows that will never arrive (failed, skipped) end the wait
            # too: the table says so rather than waiting out the limit. Asked only then, so
            # the count does not load the database while messages flow.
            if arrived == before and arrived + sum(_given_up(ids).values()) >= count:
                break
            before = arrived
            time.sleep(0.5)
        celery_seconds = time.monotonic() - began
        given_up = _given_up(ids)
        memory["end"] = max(
            [rss_mb(p) for p in children(worker.process.pid if worker.process else 0)] or [0.0]
        )
        time.sleep(1)
        worker.stop()
        plain_rates.append(_plain_rate(rendered, plain_smtp))
    finally:
        if worker:
            worker.stop()
        plain_smtp.stop()
        celery_smtp.stop()
        # Whatever did not go out must not spill into the next part: neither rows nor the
        # copies the dispatcher queued again after their lease ran out.
        Notification.objects.filter(pk__in=ids, status=Status.PENDING).update(
            status=Status.CANCELLED
        )
        redis.Redis.from_url(context.redis_url).flushdb()
    plain_rate = sum(plain_rates) / len(plain_rates)
    unique, duplicates = _arrivals_of(celery_smtp, ids)
    celery_rate = unique / celery_seconds if celery_seconds else 0
    ratio = celery_rate / plain_rate if plain_rate else 0
    exact = unique == count and duplicates == 0
    rows += [
        Row(
            f"reminders: {count} through a Celery worker ({settings.CELERY_WORKER_CONCURRENCY} "
            "processes) vs a plain smtplib loop",
            f"{celery_rate:.0f}/s vs {plain_rate:.0f}/s "
            f"({' and '.join(f'{r:.0f}' for r in plain_rates)}), ratio {ratio:.2f}",
            ">= 0.5",
            ratio >= 0.5,
        ),
        Row(
            "reminders: received, duplicates",
            f"{unique} of {count}, {duplicates} duplicates"
            + "".join(f"; {n} {status}: {why}" for (status, why), n in given_up.items()),
            f"{count}, 0",
            exact,
        ),
        Row(
            f"memory: Celery worker child after {unique} deliveries",
            f"{memory['end']:.0f} MB ({memory['end'] - memory.get('half', memory['end']):+.1f} MB "
            "over the second half)",
            "< 200 MB, no growth",
            memory["end"] < 200 and memory["end"] - memory.get("half", 0) < 5,
        ),
    ]
    return rows


# --- recovery after kill -9 ---------------------------------------------------------------------


def part_recovery(context: Context) -> list[Row]:
    """Due reminders, a worker SIGKILLed mid-batch, beat's dispatcher at the production
    timers (QUICK: a tenth of them, and of the goal): p99 lateness of every reminder."""
    scale = 10 if context.quick else 1
    timers = {
        "NOTIFICATIONS_DISPATCH_SECONDS": settings.NOTIFICATIONS_DISPATCH_SECONDS // scale,
        "NOTIFICATIONS_DISPATCH_LEASE_SECONDS": settings.NOTIFICATIONS_DISPATCH_LEASE_SECONDS
        // scale,
        "NOTIFICATIONS_SENDING_STALE_SECONDS": settings.NOTIFICATIONS_SENDING_STALE_SECONDS
        // scale,
    }
    count = context.facts.get("sizes", {}).get("recovery") or (60 if context.quick else 2_000)
    goal = 120 / scale
    now = timezone.now()
    ids = _due_reminders(count, week_offset=10, now=now)
    workdir = Path(tempfile.mkdtemp(prefix="bench-recovery-"))
    smtp = CountingSMTP(workdir)
    env = _worker_env(context, smtp.port, {k: str(v) for k, v in timers.items()})
    worker = Worker(env, workdir, concurrency=None)
    beat = subprocess.Popen(
        [sys.executable, "-m", "bench.beat"],
        cwd=context.root,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=(workdir / "beat.log").open("w"),
    )
    killed_at = None
    rows_sent = Notification.objects.filter(pk__in=ids, status=Status.SENT)
    try:
        smtp.start()
        worker.start()
        began = time.monotonic()
        limit = 60 if context.quick else 400
        while time.monotonic() - began < limit:
            if killed_at is None and smtp.total >= count // 3:
                smtp.freeze()  # every worker process now waits on the server mid-send
                time.sleep(1.0)
                worker.kill()
                smtp.thaw()
                killed_at = smtp.total
                worker.start()
            if rows_sent.count() >= count:
                break
            time.sleep(0.5)
        time.sleep(1)
    finally:
        os.killpg(beat.pid, signal.SIGTERM)
        beat.wait(timeout=15)
        worker.stop()
        smtp.stop()
        Notification.objects.filter(pk__in=ids, status=Status.PENDING).update(
            status=Status.CANCELLED
        )
    lateness = [
        (sent - due).total_seconds()
        for due, sent in Notification.objects.filter(pk__in=ids, sent_at__isnull=False).values_list(
            "due_at", "sent_at"
        )
        if sent is not None
    ]
    p99 = percentile(lateness, 99)
    worst = max(lateness, default=0)
    sent = len(lateness)
    timer_text = ", ".join(f"{k.split('_', 1)[1].lower()} {v}s" for k, v in timers.items())
    return [
        Row(
            f"recovery: p99 lateness of {count} reminders, worker killed -9 after {killed_at}",
            f"p99 {p99:.0f} s, worst {worst:.0f} s; {sent} sent, {smtp.duplicates} duplicates "
            f"({timer_text})",
            f"p99 < {goal:g} s, 0 duplicates",
            p99 < goal and smtp.duplicates == 0 and sent == count and killed_at is not None,
        )
    ]


def part_noop(context: Context) -> list[Row]:  # pragma: no cover - kept for --only typos
    return []


__all__ = ["ORDER", "Context", "Row", "run_all", "table", "title"]

if __name__ == "__main__":  # pragma: no cover
    sys.exit("run bench/run.py")
