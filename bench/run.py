"""`make bench`: Circle measured against its own stack, on loopback, as ratios in one run.

    .venv/bin/python bench/run.py            # the full suite (large clinic, minutes)
    .venv/bin/python bench/run.py --quick    # every part at a small size (CI, < 3 minutes)
    .venv/bin/python bench/run.py --only http,queries --reuse

Everything runs on scratch databases (circle_bench*, created with createdb on 127.0.0.1)
and a private redis-server on a free port; the `test` database and the machine's Redis
are never touched. Prints one table: figure, value, goal, met.
"""

import argparse
import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
PG_ARGS = ["-h", "127.0.0.1", "-U", "postgres"]
# A fixed key for this scratch clinic only (DEBUG is off, as in production).
BENCH_FERNET = "YmVuY2gtb25seS1maWVsZC1rZXktMzItYnl0ZXMhISE="
BENCH_SECRET = "bench-only-secret-key-not-for-any-deployment-0123456789"  # noqa: S105


def bench_env(database: str, redis_url: str) -> dict:
    """Production-ish settings: DEBUG off, manifest static files, Redis cache."""
    var = ROOT / "var" / "bench"
    env = dict(os.environ)
    for name in ("TEST_DATABASE_NAME", "CELERY_TASK_ALWAYS_EAGER", "DEBUG"):
        env.pop(name, None)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=f"{PG}/{database}",
        REDIS_URL=redis_url,
        CACHE_KEY_PREFIX="bench",
        DEBUG="0",
        HTTPS="0",
        SECRET_KEY=BENCH_SECRET,
        FIELD_ENCRYPTION_KEY=BENCH_FERNET,
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        STATIC_ROOT=str(var / "static"),
        PRIVATE_MEDIA_ROOT=str(var / "private"),
        SITE_URL="http://127.0.0.1",
    )
    return env


def psql_db(action: str, name: str, template: str | None = None) -> None:
    if action == "drop":
        subprocess.run(
            ["dropdb", *PG_ARGS, "--if-exists", "--force", name], check=True, capture_output=True
        )
    else:
        extra = ["-T", template] if template else []
        subprocess.run(["createdb", *PG_ARGS, *extra, name], check=True, capture_output=True)


def db_exists(name: str) -> bool:
    out = subprocess.run(
        ["psql", *PG_ARGS, "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip() == "1"


def manage(env: dict, *args: str, quiet: bool = True) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL if quiet else None,
    )


def migrations_fingerprint() -> str:
    """Changes whenever any migration file does (an edited one included, not only a new one)."""
    digest = hashlib.sha256()
    for path in sorted(ROOT.glob("*/migrations/*.py")):
        digest.update(path.relative_to(ROOT).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def prepare_databases(names: list[str], redis_url: str, *, fresh: bool) -> None:
    """Migrate an empty template once per set of migrations, copy it for each run. A template
    left by other migrations (an edited one, on a machine that ran the bench before) is never
    reused: its schema would not be the code's. With --reuse a clinic already built is kept
    and migrated forward (building one takes minutes)."""
    template = f"circle_bench_template_{migrations_fingerprint()}"
    built = not db_exists(template)
    if built:
        psql_db("create", template)
        manage(bench_env(template, redis_url), "migrate", "--noinput")
    for name in names:
        if fresh or not db_exists(name):
            psql_db("drop", name)
            psql_db("create", name, template=template)
        else:
            manage(bench_env(name, redis_url), "migrate", "--noinput")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="every part, small (CI)")
    parser.add_argument("--only", default="", help="comma-separated parts")
    parser.add_argument("--reuse", action="store_true", help="keep a clinic already built")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--reminders", type=int, help="how many for the Celery run (10,000)")
    parser.add_argument("--recovery", type=int, help="how many for the kill -9 run (2,000)")
    args = parser.parse_args()

    from tests.notifications.reliability import PrivateRedis

    # A stopped run (Ctrl+C, CI timeout) still stops its servers: finally blocks run.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    began = time.monotonic()
    redis = PrivateRedis()
    redis.start()
    suffix = "_quick" if args.quick else ""
    large, demo = f"circle_bench{suffix}", f"circle_bench_demo{suffix}"
    try:
        prepare_databases([large, demo], redis.url, fresh=not args.reuse)
        # Manifest static files (DEBUG off): every page's {% static %} needs the manifest, the
        # query counts included, and a fresh clone (CI) has none yet.
        manage(bench_env(large, redis.url), "collectstatic", "--noinput")
        os.environ.update(bench_env(large, redis.url))
        import django

        django.setup()
        from bench import parts

        context = parts.Context(
            quick=args.quick,
            seed=args.seed,
            root=ROOT,
            env_for=lambda db: bench_env(db, redis.url),
            large_db=large,
            demo_db=demo,
            redis_url=redis.url,
        )
        context.facts["sizes"] = {"reminders": args.reminders, "recovery": args.recovery}
        wanted = [p for p in args.only.split(",") if p] or parts.ORDER
        rows = parts.run_all(context, wanted)
    finally:
        redis.stop()
    print(parts.table(rows, title=parts.title(context, time.monotonic() - began)))  # noqa: T201
    # A part that broke fails the run (CI); a goal missed on a noisy machine does not.
    return 1 if any(row.figure.endswith(": failed") for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
