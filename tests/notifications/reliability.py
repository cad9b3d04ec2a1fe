"""The pieces of the reliability run: a private Redis, a counting SMTP server and Celery
worker processes, all on loopback. Used by test_reliability.py and bench/."""

import asyncio
import logging
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parents[2]
MESSAGE_ID = re.compile(rb"^Message-ID:\s*(<[^>]+>)", re.IGNORECASE | re.MULTILINE)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listening on {port}")


class PrivateRedis:
    """Our own redis-server on a free port, never the machine's shared one."""

    def __init__(self):
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def restart(self, down_for: float = 1.0) -> None:
        self.stop()
        time.sleep(down_for)
        self.start()


class CountingSMTP:
    """An SMTP server in its own process (no GIL shared with the test) that writes the
    Message-ID of every message it accepts to a file; counted from there."""

    def __init__(self, directory: Path):
        self.port = free_port()
        self.log = directory / "arrivals.txt"
        self.freeze_flag = directory / "freeze"
        self.process: subprocess.Popen | None = None

    def freeze(self) -> None:
        """Hold every new transaction at RCPT (before any row can be recorded as sent)."""
        self.freeze_flag.touch()

    def thaw(self) -> None:
        self.freeze_flag.unlink(missing_ok=True)

    def start(self) -> None:
        self.log.write_text("")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                __name__,
                "smtp",
                str(self.port),
                str(self.log),
                str(self.freeze_flag),
            ],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    @property
    def arrivals(self) -> Counter:
        return Counter(line for line in self.log.read_text().splitlines() if line)

    @property
    def total(self) -> int:
        return sum(self.arrivals.values())

    @property
    def unique(self) -> int:
        return len(self.arrivals)

    @property
    def duplicates(self) -> int:
        return sum(n - 1 for n in self.arrivals.values())


class _Sink:
    def __init__(self, out, freeze_flag: Path):
        self.out = out
        self.freeze_flag = freeze_flag

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        while self.freeze_flag.exists():
            await asyncio.sleep(0.02)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        match = MESSAGE_ID.search(envelope.content)
        self.out.write((match.group(1).decode() if match else "<missing>") + "\n")
        self.out.flush()
        return "250 OK"


def _serve(port: int, log_path: str, freeze_flag: str) -> None:
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command
    with open(log_path, "a") as out:  # noqa: PTH123
        controller = Controller(
            _Sink(out, Path(freeze_flag)),
            hostname="127.0.0.1",
            port=port,
            server_hostname="smtp.test",
        )
        controller.start()
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        try:
            while True:
                time.sleep(3600)
        finally:
            controller.stop()


class Worker:
    """A real `celery worker` in its own process group, so SIGKILL takes all of it."""

    def __init__(self, env: dict, directory: Path, concurrency: int | None = 4):
        self.env = env
        self.concurrency = concurrency
        self.log = directory / "worker.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool=prefork",
                # None: the settings' CELERY_WORKER_CONCURRENCY, as deployed.
                *([f"--concurrency={self.concurrency}"] if self.concurrency else []),
                "--loglevel=WARNING",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=ROOT,
            env=self.env,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=self.log.open("a"),
        )

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


class Dispatcher:
    """Plays Celery beat, fast: recover stale rows and dispatch due ones every half second,
    in its own process like the real beat-driven task. Leases are shortened to match."""

    def __init__(self, env: dict, directory: Path, lease_seconds: int = 4):
        self.env = dict(env, RELIABILITY_LEASE_SECONDS=str(lease_seconds))
        self.recovered_log = directory / "recovered.txt"
        self.log = directory / "dispatcher.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.recovered_log.write_text("")
        self.process = subprocess.Popen(
            [sys.executable, "-m", __name__, "dispatch", str(self.recovered_log)],
            cwd=ROOT,
            env=self.env,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=self.log.open("a"),
        )

    @property
    def recovered(self) -> int:
        return sum(int(n) for n in self.recovered_log.read_text().split())

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=15)


def _dispatch_forever(recovered_log: str) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.conf import settings

    from notifications import delivery, tasks

    lease = int(os.environ["RELIABILITY_LEASE_SECONDS"])
    settings.NOTIFICATIONS_DISPATCH_LEASE_SECONDS = lease
    settings.NOTIFICATIONS_SENDING_STALE_SECONDS = lease
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with open(recovered_log, "a") as out:  # noqa: PTH123
        while True:
            try:
                recovered = delivery.outbox_recover_stale()
                delivery.outbox_dispatch(send=tasks.deliver_batch.delay)
            except Exception:  # noqa: BLE001 - keep beating, as beat would, and try again
                logging.exception("dispatch failed")
                recovered = 0
            if recovered:
                out.write(f"{recovered}\n")
                out.flush()
            time.sleep(0.5)


def worker_env(*, database_url: str, redis_url: str, smtp_port: int) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_port),
        CELERY_TASK_ALWAYS_EAGER="0",
        # A send cut short by the kill or the Redis restart is retried in seconds, not the
        # production minute, so the run's time limit measures recovery rather than backoff.
        NOTIFICATIONS_RETRY_BASE_SECONDS="2",
    )
    env.pop("TEST_DATABASE_NAME", None)
    return env


if __name__ == "__main__":
    if sys.argv[1] == "smtp":
        _serve(int(sys.argv[2]), sys.argv[3], sys.argv[4])
    else:
        _dispatch_forever(sys.argv[2])
