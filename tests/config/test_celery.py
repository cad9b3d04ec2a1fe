"""A task makes the round trip through the real Redis broker and a real worker process."""

import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from celery import Celery

BASE_DIR = Path(__file__).resolve().parents[2]
# Our own Redis database, so the round trip never touches the suite's cache or broker.
ROUND_TRIP_REDIS_DB = 11


def _own_db(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{ROUND_TRIP_REDIS_DB}"))


@pytest.mark.service("redis")
def test_task_round_trip_through_redis_and_a_worker(tmp_path):
    redis_url = _own_db(os.environ["REDIS_URL"])
    queue = f"roundtrip-{uuid.uuid4().hex}"
    env = {**os.environ, "REDIS_URL": redis_url, "CIRCLE_VAR_DIR": str(tmp_path / "var")}
    worker = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "celery"),
            "-A", "config", "worker",
            "--queues", queue,
            "--pool", "solo",
            "--without-gossip", "--without-mingle", "--without-heartbeat",
            "--loglevel", "INFO",
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, so it can be stopped whole
    )  # fmt: skip
    producer = Celery("roundtrip", broker=redis_url, backend=redis_url)
    try:
        result = producer.send_task("members.tasks.ping", args=["hello"], queue=queue)
        assert result.get(timeout=60) == "hello"
    finally:
        producer.close()
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            output, _ = worker.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            output, _ = worker.communicate()
    assert b"members.tasks.ping" in output
